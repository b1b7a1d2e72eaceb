"""The brokers' workspace: organisation numbers and contacts, visits, training efforts, the pipeline
fields of a need, a version and a soft delete on every edited record, and the append-only audit log.
Every existing row is kept: new columns have defaults (version 1, not withdrawn, empty text).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _versioned() -> list[sa.Column]:
    return [sa.Column("version", sa.Integer, nullable=False, server_default="1"),
            sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.false())]


def _text(name: str, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.Text, nullable=False, server_default="")


def upgrade() -> None:
    # plain ADD COLUMN (no table copy: on SQLite, copying companies would trip the needs' foreign key)
    for column in (_text("org_nr", 11), _text("contact_name", 200), _text("contact_role", 100),
                   _text("contact_email", 254), sa.Column("contact_until", sa.Date, nullable=True), *_versioned()):
        op.add_column("companies", column)
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), nullable=False, index=True),
        sa.Column("visited_on", sa.Date, nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("broker", sa.String(254), nullable=False),
        _text("note"),
        *_versioned(),
    )
    op.create_table(
        "efforts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        _text("offer_id", 40),
        _text("cohort_ref", 80),
        sa.Column("start", sa.Date, nullable=True),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("broker", sa.String(254), nullable=False),
        _text("note"),
        *_versioned(),
    )
    with op.batch_alter_table("needs") as batch:
        batch.add_column(sa.Column("visit_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("follow_up_on", sa.Date, nullable=True))
        batch.add_column(_text("outcome", 20))
        batch.add_column(_text("offer_id", 40))
        batch.add_column(sa.Column("effort_id", sa.Integer, nullable=True))
        for column in _versioned():
            batch.add_column(column)
        batch.create_index("ix_needs_visit_id", ["visit_id"])
        batch.create_index("ix_needs_effort_id", ["effort_id"])
        batch.create_foreign_key("fk_needs_visit_id_visits", "visits", ["visit_id"], ["id"])
        batch.create_foreign_key("fk_needs_effort_id_efforts", "efforts", ["effort_id"], ["id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("actor", sa.String(254), nullable=False, index=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("table_name", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(40), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=True),
        _text("before"),
        _text("after"),
        _text("detail"),
    )
