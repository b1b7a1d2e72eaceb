"""Alembic's environment: always run from ``services.register.migrate`` with an open connection (no alembic.ini)."""

from alembic import context

from services.register.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
