"""Widgets a test made are deleted by Qt, never by Python's garbage collector.

When a test returns, the widgets it made without a parent (a dialog, a tab) are often
left in reference cycles. A collector pass would then make Shiboken delete each C++
widget from inside the pass, while other wrappers of the same cycle (its children, event
filters, models) are already half torn down: a segfault in ``collect_due`` seen in CI as
pytest-qt delivered the events left after a test that had left its dialog behind. Qt's
own deletion is the path PySide supports. So once the test returns, what it allocated is
frozen (no pass looks at it) until its fixtures are torn down, which may still use its
widgets; then every top-level widget made from Python is closed and deleted by Qt and
every undo stack emptied, before the collector may look at the test's garbage again."""

from __future__ import annotations

import gc
from collections.abc import Generator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication


def _delete_top_level_widgets() -> None:
    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if shiboken6.createdByPython(widget):
            widget.close()
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _empty_undo_stacks() -> None:
    """Tests make their contexts' undo stacks without a parent (the app parents its stack
    to the window). A stack freed in the same collector pass as its Python undo commands
    deletes commands whose wrappers the pass has already torn down: a crash in
    ``QUndoStack::clear``, seen in gdb. Emptied here, the commands go while intact."""
    for wrapper in shiboken6.getAllValidWrappers():
        if isinstance(wrapper, QUndoStack):
            wrapper.clear()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    # Innermost: before pytest-qt delivers the events left after the test.
    try:
        return (yield)
    finally:
        gc.freeze()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    # Outermost: after every fixture of the test is torn down. Its garbage, without live
    # widgets or undo commands now, is left to the usual passes (a full collection here
    # would cost a third of a second per test).
    try:
        return (yield)
    finally:
        _delete_top_level_widgets()
        _empty_undo_stacks()
        gc.unfreeze()
