"""The one place a failure that no form or tab handled reaches the user: at once, in a
message box in their language, never only in a log.

A write that failed (``WriteFailedError``: full disk, unwritable file, failing drive)
also makes every tab read the stored data again, so the window never goes on showing
work that was not saved.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kol_desk.errors import KnownError, WriteFailedError
from kol_desk.i18n import tr
from kol_desk.ui.context import AppContext, Change

log = logging.getLogger(__name__)


def _main_window(near: QWidget | None) -> QWidget | None:
    if near is not None:
        return near.window()
    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(getattr(w, "context", None), AppContext) and w.isVisible()]
    return windows[0] if windows else None


def tell_user(error: BaseException, near: QWidget | None = None) -> None:
    """Show ``error``; after a failed write, show what is stored again."""
    window = _main_window(near)
    if isinstance(error, KnownError):
        text = str(error)
    else:
        text = tr("Something went wrong, and your last action may not have been saved "
                  "({error}). Check what the window shows and try again; if it happens "
                  "again, restart KOL Desk.", error=f"{type(error).__name__}: {error}")
    title = tr("Not saved") if isinstance(error, WriteFailedError) else tr("KOL Desk")
    QMessageBox.warning(window, title, text)
    context = getattr(window, "context", None)
    if isinstance(error, WriteFailedError) and isinstance(context, AppContext):
        context.events.announce(Change.ALL)


def _uncaught(kind: type[BaseException], error: BaseException,
              trace: TracebackType | None) -> None:
    if not isinstance(error, KnownError):
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, trace)))
    if isinstance(error, Exception):
        tell_user(error)
    else:
        sys.__excepthook__(kind, error, trace)


def install() -> None:
    """An error raised in a slot (a click, a menu action) reaches the user too."""
    sys.excepthook = _uncaught
