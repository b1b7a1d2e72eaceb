"""Rounds of the training supply an admin imported (MYH's results workbooks, Skolverket's planned adult education),
kept beside each other with their source, and their rows (new tables only: every existing row is kept).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TEXT_COLUMNS = (  # core.exchange.supply.COLUMNS as stored: every value as the reader gave it (text)
    ("source", 20), ("kind", 10), ("round", 20), ("diarienummer", 40), ("event_id", 300), ("title", 300),
    ("provider", 300), ("education_area", 300), ("sun5_code", 20), ("sun5_name", 300), ("municipality_code", 4),
    ("municipality_name", 300), ("several_municipalities", 3), ("municipalities", 20), ("yh_points", 20),
    ("credits_text", 620), ("study_form", 10), ("pace_pct", 20), ("intakes", 20), ("first_intake_year", 20),
    ("seats_per_intake", 20), *((f"seats_intake_{k}", 20) for k in range(1, 6)), ("seats_total", 20), ("start", 10),
    ("continuous_intake", 3), ("source_sheet", 80), ("source_row", 20),
)


def upgrade() -> None:
    op.create_table(
        "supply_rounds",
        sa.Column("round_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_kind", sa.String(12), nullable=False),  # myh, skolverket, admin
        sa.Column("label", sa.String(60), nullable=False),  # "MYH program 2025", "Skolverket 2026-12-05"
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(254), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
    )
    op.create_table(
        "supply",
        sa.Column("round_id", sa.Integer, sa.ForeignKey("supply_rounds.round_id"), primary_key=True),
        sa.Column("line", sa.Integer, primary_key=True),  # the row's place in the round (0, 1, ...)
        *(sa.Column(name, sa.String(length), nullable=False, server_default="") for name, length in TEXT_COLUMNS),
    )
