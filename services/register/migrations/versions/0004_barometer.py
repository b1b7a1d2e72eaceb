"""Rounds of Arbetsförmedlingen's Yrkesbarometer imported by an admin, kept beside each other (new tables only:
every existing row is kept).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = {"nullable": False}
    op.create_table(
        "barometer",
        sa.Column("omgang", sa.String(10), primary_key=True),
        sa.Column("lan", sa.String(2), primary_key=True),
        sa.Column("yb_concept_id", sa.String(40), primary_key=True),
        *(sa.Column(name, sa.String(length), **text) for name, length in (
            ("yb_yrke", 200), ("yrkesomrade", 200), ("ssyk", 200), ("antal_ssyk", 4), ("jobbmojligheter", 20),
            ("rekryteringssituation", 20), ("prognos", 20), ("hogsta_bedomningsniva", 20), ("delvis_helt", 10),
            ("taxonomi_version", 4))),
    )
    op.create_table(
        "barometer_rounds",
        sa.Column("omgang", sa.String(10), primary_key=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(254), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("occupations", sa.Integer, nullable=False),
    )
