"""Answers from a worker reach the GUI thread, and are dropped (not crashed on) when the
widget that asked was deleted while the job ran; a worker is never the last to let go of
what the GUI side of a job holds."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kol_desk.ui.common import workers
from kol_desk.ui.common.workers import JobControl, alive, start_job
from kol_desk.ui.context import Change, DataEvents


def _blocked_job(release: threading.Event, fail: bool) -> object:
    def work(_control: JobControl) -> str:
        release.wait(10)
        if fail:
            raise ValueError("the file went away")
        return "answer"
    return work


def test_the_answer_reaches_a_living_widget(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    release = threading.Event()
    start_job(_blocked_job(release, fail=False), label.setText, owner=label)  # type: ignore[arg-type]
    release.set()
    qtbot.waitUntil(lambda: label.text() == "answer")


@pytest.mark.parametrize("fail", [False, True])
def test_an_answer_for_a_deleted_widget_is_dropped(qtbot: QtBot, fail: bool) -> None:
    label = QLabel()
    heard: list[object] = []

    def done(text: object) -> None:
        heard.append(text)
        label.setText(str(text))  # would raise: the C++ label is gone

    release = threading.Event()
    start_job(_blocked_job(release, fail), done,  # type: ignore[arg-type]
              lambda error: heard.append(error), owner=label)
    label.deleteLater()
    qtbot.waitUntil(lambda: not alive(label))
    release.set()
    assert QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(50)  # the queued answer is delivered, then dropped
    assert heard == []


def test_the_progress_dialogs_parent_is_the_default_owner(qtbot: QtBot) -> None:
    label = QLabel()
    heard: list[object] = []
    release = threading.Event()
    start_job(_blocked_job(release, fail=False), heard.append, parent=label,  # type: ignore[arg-type]
              title="Working…")
    label.deleteLater()  # deletes its progress dialog with it
    qtbot.waitUntil(lambda: not alive(label))
    release.set()
    assert QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(50)
    assert heard == []


class _LateReleasingPool:
    """Runs each job on its own thread, which lets go of the job only after the GUI thread
    has heard the answer and let go of its side: the order that, with a per-job signals
    object, destroyed that Qt object on the worker while the GUI thread disconnected from
    it (a crash once in a few runs). Here the order is certain."""

    def __init__(self) -> None:
        self.heard = threading.Event()
        self.threads: list[threading.Thread] = []

    def globalInstance(self) -> _LateReleasingPool:
        return self

    def start(self, run: Callable[[], None]) -> None:
        box = [run]

        def worker() -> None:
            box[0]()
            self.heard.wait(10)
            box.clear()  # the worker's last reference to the job

        thread = threading.Thread(target=worker)
        self.threads.append(thread)
        thread.start()


class _Held:
    """Stands for what a job's closure holds (a widget, a model)."""


def _holding(held: _Held, fail: bool) -> Callable[[JobControl], str]:
    def work(_control: JobControl) -> str:
        also_in_the_frame = held
        if fail:
            raise ValueError("bad numbers")
        return type(also_in_the_frame).__name__
    return work


@pytest.mark.parametrize("fail", [False, True])
def test_what_a_job_holds_is_let_go_on_the_gui_thread(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, fail: bool) -> None:
    pool = _LateReleasingPool()
    monkeypatch.setattr(workers, "QThreadPool", pool)
    held = _Held()
    died_on: list[int] = []
    weakref.finalize(held, lambda: died_on.append(threading.get_ident()))
    heard: list[str] = []
    start_job(_holding(held, fail), heard.append, lambda error: heard.append(str(error)))
    del held
    qtbot.waitUntil(lambda: heard != [] and not workers._running)
    pool.heard.set()
    for thread in pool.threads:
        thread.join(10)
    gc.collect()
    assert heard == ["bad numbers" if fail else "_Held"]
    assert died_on == [threading.get_ident()]


def test_garbage_a_worker_leaves_is_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    died_on: list[int] = []

    def work(_control: JobControl) -> int:
        cycle = _Held()
        cycle.itself = cycle  # type: ignore[attr-defined]
        weakref.finalize(cycle, lambda: died_on.append(threading.get_ident()))
        del cycle
        # Allocations enough for many of the collector's automatic passes.
        made = [[] for _ in range(20_000)]
        return len(made)

    heard: list[int] = []
    start_job(work, heard.append)
    qtbot.waitUntil(lambda: heard == [20_000])
    assert died_on == []
    gc.collect()
    assert died_on == [threading.get_ident()]


def test_the_gui_thread_runs_the_passes_that_are_due(qtbot: QtBot) -> None:
    start_job(lambda _control: None, lambda _result: None)
    assert not gc.isenabled()
    made = [[] for _ in range(gc.get_threshold()[0] * 2)]
    assert gc.get_count()[0] > gc.get_threshold()[0]
    qtbot.waitUntil(lambda: gc.get_count()[0] <= gc.get_threshold()[0])
    assert made


def test_changes_are_typed(qtbot: QtBot) -> None:
    events = DataEvents()
    with qtbot.waitSignal(events.changed) as blocker:
        events.announce(Change.BUDGET)
    assert blocker.args == [Change.BUDGET]
    with pytest.raises(TypeError):
        events.announce("budget")  # type: ignore[arg-type]
    assert Change.ALL.touches(Change.BUDGET)
    assert Change.BUDGET.touches(Change.BUDGET, Change.CAMPAIGNS)
    assert not Change.RESULTS.touches(Change.CREATORS)
