"""The store-level suite runs on SQLite and on PostgreSQL (see tests/team/engines.py)."""

from tests.team.engines import demo_workspace_on_both_engines, workspace_on_both_engines

__all__ = ["demo_workspace_on_both_engines", "workspace_on_both_engines"]  # fixtures
