"""The test environment, set once: offscreen Qt, and for every test its own database,
data folder and config folder in a temporary directory; English UI unless a test
switches."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest

from kol_desk.i18n import set_language
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace

REPO = Path(__file__).resolve().parents[1]
SHARED_SAMPLES = REPO.parent / "shared" / "samples"
AGENCY_LISTS = SHARED_SAMPLES / "agency_lists"

# The PostgreSQL server and per-test databases for the engine-parametrised suites.
pytest_plugins = ["tests.team.engines"]


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("KOL_DESK_DATA_DIR", str(data))
    monkeypatch.setenv("KOL_DESK_CONFIG_DIR", str(tmp_path / "config"))
    set_language("en")
    yield data
    set_language("en")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """An empty, migrated workspace in a temporary SQLite file."""
    ws = open_workspace(tmp_path / "test.sqlite", tmp_path / "backups")
    yield ws
    ws.dispose()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 300-creator demo database, generated once per run and copied per test."""
    from datetime import date

    from kol_desk.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    ws = open_workspace(path)
    generate_demo(ws, today=date(2026, 11, 20))
    ws.dispose()
    return path


@pytest.fixture
def demo_workspace(tmp_path: Path, demo_template: Path) -> Iterator[Workspace]:
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    ws = open_workspace(target, tmp_path / "backups")
    yield ws
    ws.dispose()


@pytest.fixture
def agency_lists() -> Path:
    if not AGENCY_LISTS.is_dir():
        pytest.skip(f"the shared agency-list samples are not at {AGENCY_LISTS}")
    return AGENCY_LISTS
