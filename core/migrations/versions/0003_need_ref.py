"""A need's reference in the file it came from (the import key with the company's organisation number).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("needs", sa.Column("ref", sa.String(60), nullable=False, server_default=""))
