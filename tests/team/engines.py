"""Real PostgreSQL for the tests: one throwaway server per run, one fresh database per test.

`sh tools/test.sh` starts the server (tools/postgres.sh) and exports its URL as
KOL_DESK_TEST_PG_URL; a bare `pytest` starts one itself when the server programs are
installed. Each PostgreSQL test gets its own database, copied from a migrated template
(CREATE DATABASE ... TEMPLATE takes milliseconds, migrating takes a second). The store-level
suites (tests/store, tests/services, tests/team) ask for `workspace` / `demo_workspace`
through `engine_workspace`, parametrised over both engines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace

REPO = Path(__file__).resolve().parents[2]
ENGINES = ["sqlite", "postgresql"]
_TEMPLATES = {"empty": "kol_test_template_empty", "demo": "kol_test_template_demo"}


def _admin(url: URL) -> Callable[[str], None]:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""

    def run(statement: str) -> None:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    return run


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    """The server's maintenance URL (database `postgres`)."""
    given = os.environ.get("KOL_DESK_TEST_PG_URL")
    if given:
        yield make_url(given)
        return
    reason = os.environ.get("KOL_DESK_TEST_PG_UNAVAILABLE")
    if reason:
        pytest.skip(f"PostgreSQL could not be installed or started: {reason}")
    state = tmp_path_factory.mktemp("postgres")
    started = subprocess.run(
        ["sh", str(REPO / "tools" / "postgres.sh"), "start", str(state), "--no-install"],
        capture_output=True, text=True, check=False,
    )
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["no message"])[-1]
        pytest.skip(f"PostgreSQL is not available here ({last}); `sh tools/test.sh` installs it")
    try:
        yield make_url(started.stdout.strip())
    finally:
        subprocess.run(["sh", str(REPO / "tools" / "postgres.sh"), "stop", str(state)], check=False)


@pytest.fixture(scope="session")
def pg_templates(pg_server: URL) -> dict[str, URL]:
    """Migrated template databases: an empty workspace and the 300-creator demo."""
    from kol_desk.services.demo import generate_demo

    admin = _admin(pg_server)
    urls = {}
    for kind, name in _TEMPLATES.items():
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin(f"CREATE DATABASE {name}")
        url = pg_server.set(database=name)
        ws = open_workspace(url.render_as_string(hide_password=False))
        if kind == "demo":
            generate_demo(ws, today=date(2026, 11, 20))
        ws.dispose()
        urls[kind] = url
    return urls


def fresh_pg_url(pg_server: URL, pg_templates: dict[str, URL], kind: str = "empty") -> URL:
    name = f"kol_test_{uuid.uuid4().hex[:12]}"
    _admin(pg_server)(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATES[kind]}")
    return pg_server.set(database=name)


def drop_pg(pg_server: URL, url: URL) -> None:
    _admin(pg_server)(f"DROP DATABASE IF EXISTS {url.database} WITH (FORCE)")


@pytest.fixture
def pg_database(request: pytest.FixtureRequest) -> Iterator[Callable[[str], URL]]:
    """Make fresh PostgreSQL databases ("empty" or "demo"); all are dropped afterwards."""
    server = request.getfixturevalue("pg_server")
    templates = request.getfixturevalue("pg_templates")
    made: list[URL] = []

    def make(kind: str = "empty") -> URL:
        url = fresh_pg_url(server, templates, kind)
        made.append(url)
        return url

    yield make
    for url in made:
        drop_pg(server, url)


def engine_workspace(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str
) -> Iterator[Workspace]:
    """A workspace on the engine in request.param: SQLite file or fresh PostgreSQL database."""
    engine = getattr(request, "param", "sqlite")
    if engine == "postgresql":
        make = request.getfixturevalue("pg_database")
        ws = open_workspace(make(kind).render_as_string(hide_password=False))
    elif kind == "demo":
        target = tmp_path / "demo.sqlite"
        shutil.copyfile(request.getfixturevalue("demo_template"), target)
        ws = open_workspace(target, tmp_path / "backups")
    else:
        ws = open_workspace(tmp_path / "test.sqlite", tmp_path / "backups")
    yield ws
    ws.dispose()


# A conftest that imports these runs its folder's tests on both engines; they replace the
# SQLite-only ``workspace`` and ``demo_workspace`` of tests/conftest.py there.
@pytest.fixture(params=ENGINES, name="workspace")
def workspace_on_both_engines(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    yield from engine_workspace(request, tmp_path, "empty")


@pytest.fixture(params=ENGINES, name="demo_workspace")
def demo_workspace_on_both_engines(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    yield from engine_workspace(request, tmp_path, "demo")
