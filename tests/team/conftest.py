"""Team-mode tests run on both engines; the concurrency ones on PostgreSQL only."""

from tests.team.engines import demo_workspace_on_both_engines, workspace_on_both_engines

__all__ = ["demo_workspace_on_both_engines", "workspace_on_both_engines"]  # fixtures
