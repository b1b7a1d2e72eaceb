"""The register itself: its tables (schema), the engine and the one audited write path (store), migrations, the
audit log and backups."""
