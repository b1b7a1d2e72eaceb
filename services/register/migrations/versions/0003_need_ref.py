"""A need's and a training effort's reference in the file they came from (the import keys; a need's goes
with its company's organisation number).

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
    op.add_column("efforts", sa.Column("ref", sa.String(60), nullable=False, server_default=""))
