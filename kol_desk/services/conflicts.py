"""Saving over someone else's newer change: detect it, show both versions, resolve it.

Every record carries a ``version`` that the ORM checks on each UPDATE (``version_id_col``),
but a desktop edit spans minutes: the form is filled from version 3, and by the time the
user presses Save a colleague may have saved version 4. So a save names the version the
user started from (``expected_version``) and the values the form was loaded with
(``base``). When the stored version moved on, nothing is written and a
:class:`VersionConflict` carries the three sides (what the form started from, mine,
theirs) so the user can keep mine, keep theirs, or merge field by field. A conflict
that happens between our read and our write (a concurrent transaction on PostgreSQL)
surfaces as SQLAlchemy's ``StaleDataError`` and is turned into the same conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kol_desk.errors import KnownError
from kol_desk.models import Activity, Record
from kol_desk.store.database import Workspace

T = TypeVar("T")

class Side(Enum):
    MINE = "mine"
    THEIRS = "theirs"


@dataclass(frozen=True)
class FieldConflict:
    name: str
    base: Any
    mine: Any
    theirs: Any

    @property
    def i_changed(self) -> bool:
        return bool(self.mine != self.base)

    @property
    def they_changed(self) -> bool:
        return bool(self.theirs != self.base)

    @property
    def clashes(self) -> bool:
        """Both sides changed this field, to different values: only a person can choose."""
        return self.i_changed and self.they_changed and self.mine != self.theirs

    @property
    def suggested(self) -> Side:
        """The side a field-by-field merge takes unless the user says otherwise."""
        return Side.THEIRS if self.they_changed and not self.i_changed else Side.MINE


@dataclass(frozen=True)
class Conflict:
    """Both versions of one record, field by field."""

    model: type[Record]
    record_id: int
    title: str
    my_version: int  # the version the user's edit started from
    their_version: int  # the version stored now
    fields: tuple[FieldConflict, ...]
    their_user: str | None = None
    their_time: datetime | None = None
    deleted: bool = False  # the colleague deleted the record

    @property
    def clashing(self) -> list[FieldConflict]:
        return [f for f in self.fields if f.clashes]

    def merged(self, choices: Mapping[str, Side] | None = None) -> dict[str, Any]:
        """The values to write: each field from the chosen (or suggested) side."""
        chosen = choices or {}
        return {f.name: (f.theirs if chosen.get(f.name, f.suggested) is Side.THEIRS else f.mine)
                for f in self.fields}


class VersionConflict(KnownError):
    """Someone else saved this record after it was opened here; nothing was written."""

    def __init__(self, conflict: Conflict) -> None:
        who = conflict.their_user or "someone else"
        if conflict.deleted:
            message = f"{conflict.title} was deleted by {who} while you were editing it."
        else:
            message = (f"{conflict.title} was changed by {who} while you were editing it "
                       f"(version {conflict.my_version} → {conflict.their_version}); "
                       "nothing was saved. Keep yours, keep theirs, or merge field by field.")
        super().__init__(message)
        self.conflict = conflict


def last_writer(session: Session, model: type[Record], record_id: int) -> tuple[str | None, datetime | None]:
    """Who last changed a record and when, from the activity log (if it was logged)."""
    row = session.execute(
        select(Activity.user, Activity.at)
        .where(Activity.entity == model.__tablename__, Activity.entity_id == record_id)
        .order_by(Activity.at.desc(), Activity.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def build_conflict(session: Session, model: type[Record], record_id: int, expected_version: int,
                   changes: Mapping[str, Any], base: Mapping[str, Any] | None = None,
                   title: str | None = None) -> Conflict:
    """Read the stored record afresh and lay out base / mine / theirs for ``changes``."""
    session.expire_all()
    stored = session.get(model, record_id, populate_existing=True)
    who, when = last_writer(session, model, record_id)
    label = title or f"{model.__name__} {record_id}"
    if stored is None:
        return Conflict(model, record_id, label, expected_version, expected_version,
                        tuple(FieldConflict(n, (base or {}).get(n), v, None)
                              for n, v in changes.items()), who, when, deleted=True)
    theirs = {name: getattr(stored, name) for name in changes}
    # Without the loaded values, assume the colleague changed every field that differs.
    start = dict(base) if base is not None else {n: changes[n] for n in changes}
    fields = tuple(FieldConflict(n, start.get(n), changes[n], theirs[n]) for n in changes)
    return Conflict(model, record_id, label, expected_version, stored.version, fields,
                    who, when or stored.updated_at)


def check_version(session: Session, record: Record, expected_version: int | None,
                  changes: Mapping[str, Any], base: Mapping[str, Any] | None = None,
                  title: str | None = None) -> None:
    """For other services' save functions: raise VersionConflict before writing over a
    newer version. ``record`` was just loaded in ``session``; None skips the check."""
    if expected_version is None or record.version == expected_version:
        return
    raise VersionConflict(build_conflict(session, type(record), record.id, expected_version,
                                         changes, base, title))


def save_fields(
    workspace: Workspace,
    model: type[Record],
    record_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
    *,
    base: Mapping[str, Any] | None = None,
    title: str | None = None,
    after: Callable[[Session, Record], None] | None = None,
) -> int:
    """Write ``changes`` to one record if it is still at ``expected_version``, in one
    transaction; returns the new version. ``after`` runs in the same transaction (an
    activity entry, a recomputed search text). Raises VersionConflict otherwise."""
    try:
        with workspace.transaction() as session:
            record = session.get(model, record_id)
            if record is None:
                raise VersionConflict(build_conflict(session, model, record_id, expected_version,
                                                     changes, base, title))
            check_version(session, record, expected_version, changes, base, title)
            for name, value in changes.items():
                setattr(record, name, value)
            session.flush()
            if after is not None:
                after(session, record)
            new_version = record.version
    except StaleDataError:
        # A colleague committed between our read and our UPDATE (version_id_col caught it).
        with workspace.session() as session:
            raise VersionConflict(build_conflict(session, model, record_id, expected_version,
                                                 changes, base, title)) from None
    return new_version


@dataclass
class Resolution:
    """What the user decided for a conflict."""

    keep: Side | None = None  # the whole record from one side, or None for field by field
    choices: dict[str, Side] = field(default_factory=dict)


def resolve(workspace: Workspace, conflict: Conflict, resolution: Resolution,
            after: Callable[[Session, Record], None] | None = None) -> int | None:
    """Write the user's choice over the version they have now seen. Keeping theirs writes
    nothing (returns None); a further change meanwhile raises a new VersionConflict."""
    if resolution.keep is Side.THEIRS or conflict.deleted:
        return None
    if resolution.keep is Side.MINE:
        values = {f.name: f.mine for f in conflict.fields}
    else:
        values = conflict.merged(resolution.choices)
    their_values = {f.name: f.theirs for f in conflict.fields}
    return save_fields(workspace, conflict.model, conflict.record_id, conflict.their_version,
                       values, base=their_values, title=conflict.title, after=after)


def is_duplicate_key(error: IntegrityError) -> bool:
    """A unique constraint refused a row (PostgreSQL SQLSTATE 23505, SQLite UNIQUE)."""
    state = getattr(error.orig, "sqlstate", None)
    return state == "23505" or "UNIQUE constraint failed" in str(error.orig)


def retry_on_duplicate(work: Callable[[], T], attempts: int = 3) -> T:
    """Run ``work`` again when a colleague's concurrent transaction inserted the same
    account (platform, handle) first: two imports of overlapping lists at once. ``work``
    must plan from the database afresh each time, so the retry matches the creators the
    other import just created instead of creating twins; the unique constraint, not luck,
    is what makes a twin impossible."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except IntegrityError as exc:
            if not is_duplicate_key(exc) or attempt == attempts:
                raise
    raise AssertionError("unreachable")
