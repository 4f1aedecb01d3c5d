"""Application services: the operations the GUI and the command line share. No Qt."""

# Registers the listener that keeps every card's net cost in step with its fee parts.
from kol_desk.services import deal_cost as _deal_cost  # noqa: F401
