"""Answers from a worker reach the GUI thread, and are dropped (not crashed on) when the
widget that asked was deleted while the job ran."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

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
