"""A release names the release it was built on (``based_on``: its id, 0 for the first), and no two releases are built
on the same one (a unique index): two publishers at once (two servers, or one whose register moved during the
build) cannot both store a release, in SQLite and PostgreSQL alike. Existing releases are chained in their order.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("releases", sa.Column("based_on", sa.Integer, nullable=False, server_default="0"))
    op.execute("UPDATE releases SET based_on = COALESCE((SELECT MAX(r.id) FROM releases r WHERE r.id < releases.id), 0)")
    op.create_index("uq_releases_based_on", "releases", ["based_on"], unique=True)
