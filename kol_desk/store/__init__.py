"""The store: engine factory, migrations, backups and workspace-level settings."""
