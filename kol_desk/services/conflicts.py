"""Saving over someone else's newer change: detect it, show both versions, resolve it.

Every record carries a ``version`` that the ORM checks on each UPDATE (``version_id_col``),
but a desktop edit spans minutes: the form is filled from version 3, and by the time the
user presses Save a colleague may have saved version 4. So a save names the version the
user started from and the values the form was loaded with (a :class:`Loaded`). When
the stored version moved on, nothing is written and a :class:`VersionConflict` carries
the three sides (what the form started from, mine, theirs) so the user can keep mine,
keep theirs, or merge field by field; the conflict also carries how to save again, so
the choice goes through the same service function (search text, tags, activity log)
as the first attempt. The version check locks the row (PostgreSQL's SELECT ... FOR
UPDATE, SQLite's write lock), so a colleague cannot commit between check and write;
the ORM's own ``version_id_col`` check stays as the last line of defence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kol_desk.errors import N_, KnownError, Text
from kol_desk.i18n import tr
from kol_desk.models import Activity, Record
from kol_desk.models.base import utcnow
from kol_desk.store.database import Workspace

T = TypeVar("T")


@dataclass(frozen=True)
class Loaded:
    """What an edit form was filled from: the record's version and the values shown."""

    version: int
    values: Mapping[str, Any]


# Save the given values again over the version the user has now seen.
SaveAgain = Callable[[dict[str, Any], Loaded], Any]


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
    save_again: SaveAgain | None = field(default=None, compare=False, repr=False)

    @property
    def clashing(self) -> list[FieldConflict]:
        return [f for f in self.fields if f.clashes]

    def merged(self, choices: Mapping[str, Side] | None = None) -> dict[str, Any]:
        """The values to write: each field from the chosen (or suggested) side."""
        chosen = choices or {}
        return {f.name: (f.theirs if chosen.get(f.name, f.suggested) is Side.THEIRS else f.mine)
                for f in self.fields}

    @property
    def seen(self) -> Loaded:
        """The stored version, as the user has now seen it in the dialog."""
        return Loaded(self.their_version, {f.name: f.theirs for f in self.fields})


class ListChanged(KnownError):
    """A list that a form replaces as a whole (a card's deliverables or review rounds, its
    unpaid payments) was changed by someone else since the form showed it. Lists have no
    fields to merge, so nothing is written and the form shows theirs."""


def check_list_unchanged(stored: Sequence[object], shown: Sequence[object] | None,
                         what: str) -> None:
    """Refuse to replace ``stored`` when the form showed something else (``shown`` None:
    no form, e.g. an import, so no check)."""
    if shown is not None and list(stored) != list(shown):
        raise ListChanged(tr("Not saved: a colleague changed {what} since it was shown here. "
                             "Theirs is shown now; make your change again if it is still "
                             "needed.", what=what))


class VersionConflict(KnownError):
    """Someone else saved this record after it was opened here; nothing was written."""

    def __init__(self, conflict: Conflict) -> None:
        who = conflict.their_user or Text(N_("someone else"))
        if conflict.deleted:
            super().__init__(N_("{title} was deleted by {who} while you were editing it."),
                             title=conflict.title, who=who)
        else:
            super().__init__(N_("{title} was changed by {who} while you were editing it (version "
                                "{mine} → {theirs}); nothing was saved. Keep yours, keep theirs, "
                                "or merge field by field."), title=conflict.title, who=who,
                             mine=conflict.my_version, theirs=conflict.their_version)
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
                   title: str | None = None, *,
                   current: Callable[[Any], Mapping[str, Any]] | None = None,
                   save_again: SaveAgain | None = None) -> Conflict:
    """Read the stored record afresh and lay out base / mine / theirs for ``changes``.
    ``current`` reads a record's comparable values where they are not plain columns
    (a creator's tags)."""
    session.expire_all()
    stored = session.get(model, record_id, populate_existing=True)
    who, when = last_writer(session, model, record_id)
    label = title or f"{model.__name__} {record_id}"
    if stored is None:
        return Conflict(model, record_id, label, expected_version, expected_version,
                        tuple(FieldConflict(n, (base or {}).get(n), v, None)
                              for n, v in changes.items()), who, when, deleted=True)
    now = current(stored) if current is not None else {}
    theirs = {name: now[name] if name in now else getattr(stored, name) for name in changes}
    # Without the loaded values, assume the colleague changed every field that differs.
    start = dict(base) if base is not None else {n: changes[n] for n in changes}
    fields = tuple(FieldConflict(n, start.get(n), changes[n], theirs[n]) for n in changes)
    return Conflict(model, record_id, label, expected_version, stored.version, fields,
                    who, when or stored.updated_at, save_again=save_again)


def check_version(session: Session, record: Record, loaded: Loaded | None,
                  changes: Mapping[str, Any], *, title: str | None = None,
                  current: Callable[[Any], Mapping[str, Any]] | None = None,
                  save_again: SaveAgain | None = None) -> None:
    """For the services' save functions, before they write: raise VersionConflict when
    ``record`` (just loaded in ``session``) moved past the version the form was loaded
    from. ``loaded`` None (undo, scripts) skips the check. On PostgreSQL the row stays
    locked until the caller's transaction ends, so nobody slips in between."""
    if loaded is None:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.refresh(record, with_for_update=True)
    else:
        # SQLite has no row locks: a no-op UPDATE takes the database's write lock, so
        # nobody can commit between this check and the caller's write.
        table = cast(Table, record.__table__)
        session.execute(update(table).where(table.c.id == record.id)
                        .values(version=table.c.version))
        session.refresh(record)
    if record.version == loaded.version:
        return
    base = {name: loaded.values.get(name) for name in changes}
    raise VersionConflict(build_conflict(session, type(record), record.id, loaded.version,
                                         changes, base, title, current=current,
                                         save_again=save_again))


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
    """Write ``changes`` (plain columns) to one record if it is still at
    ``expected_version``, in one transaction; returns the new version. ``after`` runs in
    the same transaction (an activity entry, a recomputed search text). Raises
    VersionConflict otherwise."""

    def again(values: dict[str, Any], seen: Loaded) -> int:
        return save_fields(workspace, model, record_id, seen.version, values,
                           base=seen.values, title=title, after=after)

    with workspace.transaction() as session:
        record = session.get(model, record_id)
        if record is None:
            raise VersionConflict(build_conflict(session, model, record_id, expected_version,
                                                 changes, base, title))
        check_version(session, record, Loaded(expected_version, base or dict(changes)),
                      changes, title=title, save_again=again)
        for name, value in changes.items():
            setattr(record, name, value)
        session.flush()
        if after is not None:
            after(session, record)
        return record.version


@dataclass
class Resolution:
    """What the user decided for a conflict."""

    keep: Side | None = None  # the whole record from one side, or None for field by field
    choices: dict[str, Side] = field(default_factory=dict)


def resolve(conflict: Conflict, resolution: Resolution) -> Any:
    """Write the user's choice over the version they have now seen, through the same
    save that met the conflict; returns what that save returns. Keeping theirs writes
    nothing (returns None); a further change meanwhile raises a new VersionConflict."""
    if resolution.keep is Side.THEIRS or conflict.deleted or conflict.save_again is None:
        return None
    if resolution.keep is Side.MINE:
        values = {f.name: f.mine for f in conflict.fields}
    else:
        values = conflict.merged(resolution.choices)
    return conflict.save_again(values, conflict.seen)


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


# -- remove and put back (undo) ----------------------------------------------------------

def snapshot_of(record: Record) -> dict[str, Any]:
    """Every column of ``record``, for ``put_back`` after it is removed."""
    table = cast(Table, record.__table__)
    return {column.key: getattr(record, column.key) for column in table.columns}


def put_back(session: Session, model: type[Record], rows: Sequence[Mapping[str, Any]]) -> None:
    """Inserts removed rows again (same ids, so their history stays theirs), each at a new
    version: a form still open on one meets a conflict instead of saving over it. Through
    the Core table: the ORM's bulk insert would start every version at 1 again."""
    if rows:
        table = cast(Table, model.__table__)
        now = utcnow()
        session.execute(insert(table), [{**row, "version": int(row["version"]) + 1, "updated_at": now}
                                        for row in rows])
