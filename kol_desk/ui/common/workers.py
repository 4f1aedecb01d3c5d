"""Long work off the GUI thread: a job on the QThreadPool that reports progress, can be
cancelled, and hands its result (or its error) back to the GUI thread through signals.

No Qt object belongs to a job. The worker reports through one dispatcher that lives as
long as the app, and everything the GUI side of a job holds (its callbacks, its dialog,
its owner, the job's function) is let go on the GUI thread: a Qt object destroyed on a
worker while the GUI thread disconnects from it crashes the app (a per-job signals object
did, when its worker let go of it just as the GUI thread deleted its receiver).

For the same reason the cyclic garbage collector runs on the GUI thread only, once jobs
run: see ``_Dispatcher``."""

from __future__ import annotations

import gc
import logging
import traceback
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from kol_desk.errors import KnownError
from kol_desk.i18n import tr

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user pressed Cancel."""


class JobControl:
    """Given to the job function: report progress, and ask whether to stop."""

    def __init__(self, job: Job) -> None:
        # Weak: the running worker holds the job; a cycle would leave it to the collector.
        self._job = weakref.ref(job)
        self.cancelled = False

    def progress(self, done: int, total: int, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled
        job = self._job()
        if job is not None:
            _dispatcher().progressed.emit(job, done, total, text)

    def is_cancelled(self) -> bool:
        return self.cancelled


# How a job ended, as the dispatcher is told.
_DONE, _FAILED, _CANCELLED = "done", "failed", "cancelled"


class Job:
    """One piece of work for the pool, and the handle ``start_job`` returns (to cancel it).

    Holds no Qt object: the worker lets go of the job after it has answered, possibly after
    the GUI thread has. It lets go of the function (and whatever its closure holds) before
    it answers, so the GUI thread, which holds the function until the answer arrives, is
    the last to hold it."""

    def __init__(self, function: Callable[[JobControl], Any]) -> None:
        self.control = JobControl(self)
        self._function: Callable[[JobControl], Any] | None = function

    def cancel(self) -> None:
        self.control.cancelled = True

    def run(self) -> None:
        kind, payload = self._call()
        try:
            _dispatcher().answered.emit(self, kind, payload)
        except RuntimeError:  # "Signal source has been deleted": the app has quit
            log.info("a job finished after the app quit; nobody is left to tell")

    def _call(self) -> tuple[str, object]:
        """Runs the function; returns after this frame, the only one on the worker holding
        the function, has let go of it."""
        function, self._function = self._function, None
        if function is None:
            return _FAILED, RuntimeError("a job runs once")
        try:
            return _DONE, function(self.control)
        except Cancelled:
            return _CANCELLED, None
        except KnownError as exc:
            _forget_locals(exc)
            return _FAILED, exc
        except Exception as exc:  # a bug: keep the app alive, log the traceback
            log.error("background job failed:\n%s", traceback.format_exc())
            _forget_locals(exc)
            return _FAILED, exc


def _forget_locals(error: BaseException) -> None:
    """The traceback's frames keep the function's locals (a widget's ``self``, say); the
    worker may hold the error last, and must not be the one to let go of those. The text
    of the traceback (file, line, source) stays."""
    seen: set[int] = set()
    chained: BaseException | None = error
    while chained is not None and id(chained) not in seen:
        seen.add(id(chained))
        traceback.clear_frames(chained.__traceback__)
        chained = chained.__cause__ or chained.__context__


def alive(obj: QObject | None) -> bool:
    """Whether the Qt object behind ``obj`` still exists (a closed tab's widgets are
    deleted while their Python wrappers live on in callbacks)."""
    return obj is not None and shiboken6.isValid(obj)


class _Pending:
    """The GUI side of a running job. The one place that drops an answer whose owner (the
    widget or model that asked) was deleted while the job ran."""

    def __init__(
        self,
        function: Callable[[JobControl], Any],
        dialog: QProgressDialog | None,
        owner: QObject | None,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
        on_cancel: Callable[[], None] | None,
    ) -> None:
        # Held only so that the GUI thread, not the worker, lets go of it last.
        self._function: Callable[[JobControl], Any] | None = function
        self._dialog, self._owner = dialog, owner
        self._on_done, self._on_error, self._on_cancel = on_done, on_error, on_cancel

    def progress(self, done: int, total: int, text: str) -> None:
        if self._dialog is None or not alive(self._dialog):
            return
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        if text:
            self._dialog.setLabelText(text)

    def answer(self, kind: str, payload: Any) -> None:
        self._function = None
        if self._dialog is not None and alive(self._dialog):
            self._dialog.close()
            self._dialog.deleteLater()
        heard = self._owner is None or alive(self._owner)
        if kind == _DONE:
            if heard:
                self._on_done(payload)
        elif kind == _CANCELLED:
            if heard and self._on_cancel is not None:
                self._on_cancel()
        elif not heard:
            log.warning("a job failed after the window that started it closed: %s", payload)
        elif self._on_error is not None:
            self._on_error(payload)
        else:  # nobody asked to hear it: the user still must
            from kol_desk.ui.common.error_report import tell_user

            tell_user(payload, self._owner if isinstance(self._owner, QWidget) else None)


# How often the GUI thread runs the collector's passes that are due.
COLLECT_INTERVAL_MS = 500


class _Dispatcher(QObject):
    """Lives in the GUI thread as long as the app, so the jobs' signals reach the
    callbacks there (a plain lambda would run in the worker thread), and no worker ever
    holds the last reference to a Qt object.

    It also takes over the cyclic garbage collector. Python runs a pass on whichever
    thread happens to allocate when one is due, often a worker (a chart, a page of rows);
    a pass there destroys any Qt object in the garbage it finds on that worker: a model or
    widget of a closed view, whose timers then fire at freed memory in the GUI thread
    (QApplication::notify, a crash). So the automatic passes are off, and the GUI thread
    runs the same passes, when the same thresholds say they are due, from a timer."""

    progressed = Signal(object, int, int, str)
    answered = Signal(object, str, object)

    def __init__(self) -> None:
        super().__init__()
        # Queued even if a job were run on the GUI thread: answers arrive from the loop.
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.answered.connect(self._answered, Qt.ConnectionType.QueuedConnection)
        gc.disable()
        self._collector = QTimer(self)
        self._collector.setInterval(COLLECT_INTERVAL_MS)
        self._collector.timeout.connect(collect_due)
        self._collector.start()

    @Slot(object, int, int, str)
    def _progressed(self, job: Job, done: int, total: int, text: str) -> None:
        pending = _running.get(job)
        if pending is not None:
            pending.progress(done, total, text)

    @Slot(object, str, object)
    def _answered(self, job: Job, kind: str, payload: object) -> None:
        pending = _running.pop(job, None)
        if pending is not None:
            pending.answer(kind, payload)


def collect_due() -> None:
    """The collector's passes that its thresholds say are due, as its automatic runs
    would choose them (each older generation when enough younger passes have run)."""
    due = gc.get_threshold()
    counts = gc.get_count()
    if counts[0] <= due[0]:
        return
    generation = 0
    if counts[1] > due[1]:
        generation = 2 if counts[2] > due[2] else 1
    gc.collect(generation)


_the_dispatcher: _Dispatcher | None = None


def _dispatcher() -> _Dispatcher:
    """Made by the first ``start_job``, on the GUI thread, before any worker runs Python;
    never deleted."""
    global _the_dispatcher
    if _the_dispatcher is None:
        _the_dispatcher = _Dispatcher()
    return _the_dispatcher


# Running jobs and their GUI sides, kept until they report back.
_running: dict[Job, _Pending] = {}


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
    called once ``owner`` (by default ``parent``) has been deleted: they need not check.
    Call on the GUI thread."""
    _dispatcher()  # before any worker can report
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

    _running[job] = _Pending(function, dialog, owner if owner is not None else parent,
                             on_done, on_error, on_cancel)
    QThreadPool.globalInstance().start(job.run)
    return job
