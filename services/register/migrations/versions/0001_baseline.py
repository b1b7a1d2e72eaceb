"""The register as main made it with create_all before migrations (companies, needs, offers, travel
matrix, users, meta). A database with these tables and no version is stamped at this revision.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("municipality_code", sa.String(4), nullable=False, index=True),
        sa.Column("sni_code", sa.String(8), nullable=False),
        sa.Column("industry_group", sa.String(40), nullable=False),
        sa.Column("size_class", sa.String(10), nullable=False),
    )
    op.create_table(
        "needs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), nullable=False, index=True),
        sa.Column("municipality_code", sa.String(4), nullable=False, index=True),
        sa.Column("industry_group", sa.String(40), nullable=False),
        sa.Column("competence", sa.String(40), nullable=False, index=True),
        sa.Column("need_type", sa.String(20), nullable=False),
        sa.Column("persons", sa.Integer, nullable=False),
        sa.Column("horizon", sa.String(8), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("collected_on", sa.Date, nullable=False, index=True),
        sa.Column("broker", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "offers",
        sa.Column("offer_id", sa.String(40), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("provider_type", sa.String(20), nullable=False),
        sa.Column("competence", sa.String(40), nullable=False, index=True),
        sa.Column("place_id", sa.String(20), nullable=False),
        sa.Column("centre_id", sa.String(40), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("start", sa.Date, nullable=True),
        sa.Column("weeks", sa.Integer, nullable=True),
        sa.Column("pace_pct", sa.Integer, nullable=False),
        sa.Column("is_real", sa.Boolean, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_table(
        "travel_matrix",
        sa.Column("from_id", sa.String(20), primary_key=True),
        sa.Column("to_id", sa.String(20), primary_key=True),
        sa.Column("from_name", sa.String(100), nullable=False),
        sa.Column("to_name", sa.String(100), nullable=False),
        sa.Column("km_road", sa.Float, nullable=False),
        sa.Column("minutes_car", sa.Float, nullable=False),
        sa.Column("minutes_pt", sa.Float, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("email", sa.String(254), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("municipalities", sa.String(400), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
