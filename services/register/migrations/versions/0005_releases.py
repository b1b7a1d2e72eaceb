"""Published releases of the public figures, each frozen (a new table only: every existing row is kept).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("through", sa.String(7), nullable=False),
        sa.Column("published_on", sa.Date, nullable=False),
        sa.Column("revision", sa.String(20), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by", sa.String(254), nullable=False),
        sa.Column("shown", sa.Integer, nullable=False),
        sa.Column("hidden", sa.Integer, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("cells", sa.LargeBinary, nullable=False),
        sa.Column("needs", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("through", "revision", name="uq_releases_through_revision"),
    )

