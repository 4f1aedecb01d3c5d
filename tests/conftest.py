"""The test environment, set once: offscreen Qt, and for every test its own database,
data folder and config folder in a temporary directory; English UI unless a test
switches."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest

from kol_desk.i18n import set_language
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace
from tests.file_guard import forbidden_file_use

REPO = Path(__file__).resolve().parents[1]
# The shared agency lists beside the checkout; KOL_DESK_SAMPLES names their folder when
# the checkout sits elsewhere (tests that read them skip where it is absent).
AGENCY_LISTS = Path(os.environ.get("KOL_DESK_SAMPLES")
                    or REPO.parent / "shared" / "samples" / "agency_lists").resolve()

# The PostgreSQL server and per-test databases for the engine-parametrised suites; the
# test's widgets deleted by Qt, not by the garbage collector.
pytest_plugins = ["tests.team.engines", "tests.qt_lifetimes"]




@pytest.fixture(autouse=True)
def workspace_files_left_to_sqlite() -> Iterator[None]:
    """Only SQLite may open a workspace file while this process has it open (the audit
    hook in tests/file_guard.py)."""
    forbidden_file_use.clear()
    yield
    if forbidden_file_use:
        found = list(forbidden_file_use)
        forbidden_file_use.clear()
        pytest.fail("a workspace file was opened by hand while SQLite had it open: "
                    + "; ".join(found))


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("KOL_DESK_DATA_DIR", str(data))
    monkeypatch.setenv("KOL_DESK_CONFIG_DIR", str(tmp_path / "config"))
    set_language("en")
    yield data
    set_language("en")


# Static functions that open a modal dialog of their own inside Qt.
_STATIC_MODALS = {
    "QMessageBox": ("information", "warning", "critical", "question", "about"),
    "QFileDialog": ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"),
    "QInputDialog": ("getText", "getInt", "getDouble", "getItem"),
}


@dataclass
class ModalWatch:
    """What ``unanswered_modals_fail`` saw. Tests that expect a modal dialog answer it
    within milliseconds (a QTimer that clicks it); one nobody answers would otherwise
    block the whole run."""

    limit_ms: int = 20_000
    stuck: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def unanswered_modals_fail(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModalWatch]:
    """A modal dialog (exec() or a static QMessageBox/QFileDialog/QInputDialog call) still
    open after ``limit_ms`` is closed and fails the test with its text, instead of hanging
    the run. Tests that patch these functions or answer the dialog are unaffected."""
    from PySide6 import QtWidgets
    from PySide6.QtCore import QTimer

    watch = ModalWatch()
    stuck = watch.stuck

    def describe(widget: object) -> str:
        if isinstance(widget, QtWidgets.QMessageBox):
            return f"{widget.windowTitle()}: {widget.text()} {widget.informativeText()}".strip()
        if isinstance(widget, QtWidgets.QWidget):
            return f"{type(widget).__name__} {widget.windowTitle()!r}"
        return repr(widget)

    def guarded(call: Callable[..., object], find: Callable[[tuple[object, ...]], object]
                ) -> Callable[..., object]:
        def run(*args: object, **kwargs: object) -> object:
            open_ = [True]

            def check() -> None:
                dialog = find(args)
                if open_[0] and isinstance(dialog, QtWidgets.QDialog) and dialog.isVisible():
                    stuck.append(describe(dialog))
                    dialog.reject()

            QTimer.singleShot(watch.limit_ms, check)
            try:
                return call(*args, **kwargs)
            finally:
                open_[0] = False
        return run

    def active(_args: tuple[object, ...]) -> object:
        return QtWidgets.QApplication.activeModalWidget()

    def this_dialog(args: tuple[object, ...]) -> object:
        return args[0] if args else None

    for cls in (QtWidgets.QDialog, QtWidgets.QMessageBox):
        monkeypatch.setattr(cls, "exec", guarded(cls.exec, this_dialog))
    for name, functions in _STATIC_MODALS.items():
        cls = getattr(QtWidgets, name)
        for function in functions:
            monkeypatch.setattr(cls, function, staticmethod(guarded(getattr(cls, function), active)))
    yield watch
    if stuck:
        pytest.fail(f"a modal dialog nobody answered was closed after {watch.limit_ms} ms: "
                    + " | ".join(stuck))


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
