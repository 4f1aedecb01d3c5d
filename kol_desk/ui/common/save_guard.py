"""One way for every form to meet a colleague's newer change: the save call sites wrap
their service call in :func:`save_guarded`, which shows the conflict dialog and carries
out the choice through the same service function.

- "Keep mine" saves the form again on top of the colleague's version.
- "Merge as ticked" saves the field-by-field choice on top of it.
- "Keep theirs" saves nothing; the caller shows the stored version (``None`` back).
- Closing the dialog saves nothing and leaves the form open with the user's values
  (a :class:`NotSaved` error, which the forms already show as a refusal).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from PySide6.QtWidgets import QWidget

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.services.conflicts import Side, VersionConflict, resolve
from kol_desk.ui.dialogs.conflict import ask_resolution

T = TypeVar("T")


class NotSaved(KnownError):
    """The user closed the conflict dialog without choosing."""


def save_guarded(parent: QWidget | None, save: Callable[[], T],
                 labels: Mapping[str, str] | None = None,
                 shown: Mapping[str, Callable[[Any], str]] | None = None) -> T | None:
    """Run ``save`` (a service call given the version its form was loaded from). Returns
    what it returned, also after "keep mine" or a merge; None when the user kept the
    colleague's version. A third change while the dialog was open asks again."""
    try:
        return save()
    except VersionConflict as error:
        conflict = error.conflict
    while True:
        resolution = ask_resolution(conflict, parent, labels, shown=shown)
        if resolution is None:
            raise NotSaved(tr("Not saved: a colleague changed this record. Save again to "
                              "compare both versions, or close without saving."))
        if resolution.keep is Side.THEIRS or conflict.deleted:
            return None
        try:
            return cast("T", resolve(conflict, resolution))
        except VersionConflict as again:
            conflict = again.conflict
