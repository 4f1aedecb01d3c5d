"""Long work off the GUI thread: a job on the QThreadPool that reports progress, can be
cancelled, and hands its result (or its error) back to the GUI thread through signals."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from kol_desk.errors import KnownError
from kol_desk.i18n import tr

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user pressed Cancel."""


class JobControl:
    """Given to the job function: report progress, and ask whether to stop."""

    def __init__(self, signals: JobSignals) -> None:
        self._signals = signals
        self.cancelled = False

    def progress(self, done: int, total: int, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled
        self._signals.progress.emit(done, total, text)

    def is_cancelled(self) -> bool:
        return self.cancelled


class JobSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Job:
    """One piece of work for the pool. Not a QRunnable: the pool is handed the bound
    ``run``, which keeps the job (and its signals) alive until the worker has left it, even
    when the GUI thread has already heard the answer and let go of the job."""

    def __init__(self, function: Callable[[JobControl], Any]) -> None:
        self.signals = JobSignals()
        self.control = JobControl(self.signals)
        self._function = function

    def cancel(self) -> None:
        self.control.cancelled = True

    def run(self) -> None:
        try:
            result = self._function(self.control)
        except Cancelled:
            self.signals.cancelled.emit()
        except KnownError as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:  # a bug: keep the app alive, log the traceback
            log.error("background job failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def alive(obj: QObject | None) -> bool:
    """Whether the Qt object behind ``obj`` still exists (a closed tab's widgets are
    deleted while their Python wrappers live on in callbacks)."""
    return obj is not None and shiboken6.isValid(obj)


class _Relay(QObject):
    """Lives in the GUI thread, so the job's signals reach the callbacks there (a plain
    lambda would run in the worker thread). The one place that drops an answer whose
    owner (the widget or model that asked) was deleted while the job ran."""

    def __init__(
        self,
        job: Job,
        dialog: QProgressDialog | None,
        owner: QObject | None,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        on_cancel: Callable[[], None] | None,
    ) -> None:
        super().__init__()
        self._job, self._dialog, self._owner = job, dialog, owner
        self._on_done, self._on_error, self._on_cancel = on_done, on_error, on_cancel

    def _close(self) -> bool:
        """Forget the job; whether its owner is still there to hear the answer."""
        _running.pop(self._job, None)
        if self._dialog is not None and alive(self._dialog):
            self._dialog.close()
            self._dialog.deleteLater()
        return self._owner is None or alive(self._owner)

    @Slot(int, int, str)
    def progress(self, done: int, total: int, text: str) -> None:
        if self._dialog is None or not alive(self._dialog):
            return
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        if text:
            self._dialog.setLabelText(text)

    @Slot(object)
    def done(self, result: object) -> None:
        if self._close():
            self._on_done(result)

    @Slot(object)
    def failed(self, error: BaseException) -> None:
        if not self._close():
            log.warning("a job failed after the window that started it closed: %s", error)
        elif self._on_error is not None:
            self._on_error(error)
        else:  # nobody asked to hear it: the user still must
            from kol_desk.ui.common.error_report import tell_user

            tell_user(error, self._owner if isinstance(self._owner, QWidget) else None)

    @Slot()
    def cancelled(self) -> None:
        if self._close() and self._on_cancel is not None:
            self._on_cancel()


# Running jobs and their relays, kept alive until they report back.
_running: dict[Job, _Relay] = {}


def start_job(
    function: Callable[[JobControl], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    parent: QWidget | None = None,
    title: str | None = None,
    on_cancel: Callable[[], None] | None = None,
    owner: QObject | None = None,
) -> Job:
    """Run ``function`` on the thread pool. With a ``title``, a progress dialog with a
    Cancel button appears if the work takes longer than a moment. The callbacks are not
    called once ``owner`` (by default ``parent``) has been deleted: they need not check."""
    job = Job(function)
    dialog: QProgressDialog | None = None
    if title is not None:
        dialog = QProgressDialog(title, tr("Cancel"), 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(job.cancel)

    relay = _Relay(job, dialog, owner if owner is not None else parent, on_done, on_error,
                   on_cancel)
    job.signals.progress.connect(relay.progress)
    job.signals.finished.connect(relay.done)
    job.signals.failed.connect(relay.failed)
    job.signals.cancelled.connect(relay.cancelled)
    _running[job] = relay
    QThreadPool.globalInstance().start(job.run)
    return job
