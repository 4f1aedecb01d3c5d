"""The store-level suite runs on SQLite and on PostgreSQL (see tests/team/engines.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kol_desk.store.database import Workspace
from tests.team.engines import ENGINES, engine_workspace


@pytest.fixture(params=ENGINES)
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    yield from engine_workspace(request, tmp_path, "empty")


@pytest.fixture(params=ENGINES)
def demo_workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    yield from engine_workspace(request, tmp_path, "demo")
