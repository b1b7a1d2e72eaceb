"""A user carries a version like the brokers' records: raised by one on every save, so an admin's save based
on an older read is refused instead of silently overwriting another admin's. Every existing user gets version 1
(a plain ADD COLUMN with a default: every row is kept).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
