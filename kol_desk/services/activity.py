"""Who did what, when: the team's activity log (the ``activity`` table).

Two ways in. Every ORM write to the records people care about (creators, campaigns,
cards, payments, agencies, budget lines) is logged automatically, in the same
transaction, once :func:`set_user` has named the person behind a workspace — so no
service can forget it. Bulk Core writes (imports, the demo) bypass the ORM; they call
:func:`record` themselves with one summary line. Entries store facts (action, table,
id, field names, stage names), never sentences, so each reader sees them in their own
language.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kol_desk.errors import N_, StoreError
from kol_desk.labels import RECORD_FIELDS_UNSHOWN
from kol_desk.models import (
    Activity,
    Agency,
    BudgetEntry,
    BudgetPeriod,
    Campaign,
    Collaboration,
    Creator,
    Payment,
    PlatformAccount,
    Quote,
    Record,
)
from kol_desk.models.base import utcnow
from kol_desk.store.database import Workspace

_ACTIVITY: Table = Activity.__table__  # type: ignore[assignment]
# What "create / edit / delete" is logged for, and the column naming the record.
TRACKED: dict[type[Record], str | None] = {
    Creator: "nickname",
    PlatformAccount: "handle_display",
    Campaign: "name",
    Collaboration: None,
    Payment: None,
    Agency: "name",
    BudgetPeriod: "name",
    BudgetEntry: None,
}
# Columns whose change is bookkeeping, not an edit a colleague needs to hear about (the
# list, and why, is with the labels of the columns that are logged).
_QUIET = RECORD_FIELDS_UNSHOWN

# The person behind each open workspace (keyed by engine: one per connection/user).
_users: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


# On PostgreSQL every logged write also NOTIFYs this channel (delivered at commit), so
# colleagues' windows refresh at once; the payload names the sending workspace, so a
# window can skip its own writes.
CHANNEL = "kol_desk_changes"
_senders: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def set_user(workspace: Workspace, name: str | None) -> None:
    """Name the person working on ``workspace``; from now on their writes are logged."""
    if name and name.strip():
        _users[workspace.engine] = name.strip()[:100]
    else:
        _users.pop(workspace.engine, None)


def _sender(engine: Engine) -> str:
    return _senders.setdefault(engine, uuid.uuid4().hex)


def _write(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert log entries in the caller's transaction; on a team server, tell the others."""
    connection.execute(insert(_ACTIVITY), rows)
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_notify(CHANNEL, _sender(connection.engine))))


def user_of(workspace: Workspace) -> str | None:
    return _users.get(workspace.engine)


def _session_user(session: Session) -> str | None:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return _users.get(engine)


def record(session: Session | Connection, action: str, entity: str, entity_id: int | None = None,
           *, summary: str | None = None, details: dict[str, Any] | None = None,
           user: str | None = None) -> None:
    """Log one entry inside the caller's transaction (ORM session or Core connection), for
    bulk work such as an import: ``record(conn, "import", "import_batches", batch_id,
    summary=file_name, details={"creators_new": 12, "quotes_added": 40})``."""
    if isinstance(session, Session):
        connection, who = session.connection(), _session_user(session)
    else:
        connection, who = session, _users.get(session.engine)
    _write(connection, [{
        "at": utcnow(), "user": user or who, "action": action,
        "entity": entity, "entity_id": entity_id, "summary": summary, "details": details,
    }])


def record_creates(session: Session, entity: str, names: Mapping[int, str | None],
                   *, user: str | None = None) -> None:
    """Log the rows a bulk Core insert created (a shortlist of hundreds of cards), one
    entry each, in one statement; like the ORM's own logging, only for a named user."""
    who = user or _session_user(session)
    if who is None or not names:
        return
    now = utcnow()
    _write(session.connection(), [
        {"at": now, "user": who, "action": "create", "entity": entity, "entity_id": key,
         "summary": name[:200] if name else None, "details": None}
        for key, name in names.items()])


def _label(session: Session, obj: Record) -> str | None:
    """The name a person knows the record by; a card or payment by its creator's nickname."""
    column = TRACKED.get(type(obj))
    value = getattr(obj, column, None) if column else None
    if isinstance(obj, Collaboration | Payment):
        # Core, not a lazy load: we are inside a flush.
        collab = Collaboration.__table__.c
        creator_of = (select(Creator.nickname).join_from(Creator, Collaboration.__table__,
                                                         collab.creator_id == Creator.id))
        key = obj.id if isinstance(obj, Collaboration) else obj.collaboration_id
        value = session.connection().scalar(creator_of.where(collab.id == key))
    return str(value)[:200] if value else None


def _changed_fields(obj: Record) -> list[str]:
    state = inspect(obj)
    names = []
    for attr in state.mapper.column_attrs:
        if attr.key in _QUIET:
            continue
        if state.attrs[attr.key].history.has_changes():
            names.append(attr.key)
    return names


def _entries(session: Session, user: str) -> list[dict[str, Any]]:
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Record, details: dict[str, Any] | None = None) -> None:
        rows.append({"at": now, "user": user, "action": action, "entity": obj.__tablename__,
                     "entity_id": obj.id, "summary": _label(session, obj), "details": details})

    for obj in session.new:
        if type(obj) in TRACKED:
            add("create", obj)
    for obj in session.dirty:
        if type(obj) not in TRACKED or not session.is_modified(obj):
            continue
        fields = _changed_fields(obj)
        if isinstance(obj, Collaboration) and "stage" in fields:
            old = inspect(obj).attrs["stage"].history.deleted
            add("move", obj, {"from": old[0] if old else None, "to": obj.stage})
            fields.remove("stage")
        if fields:
            add("edit", obj, {"fields": sorted(fields)})
    for obj in session.deleted:
        if type(obj) in TRACKED:
            add("delete", obj)
    return rows


@event.listens_for(Session, "after_flush")
def _log_flush(session: Session, _context: Any) -> None:
    # after_flush still sees the pending changes and their history, and the new rows
    # have their ids; a Core insert here joins the same transaction.
    if session.info.get("kol_desk_no_activity"):
        return
    user = _session_user(session)
    if user is None:
        return
    rows = _entries(session, user)
    if rows:
        # Core on the table, not the ORM: an ORM statement here would autoflush again.
        _write(session.connection(), rows)


@dataclass(frozen=True)
class ActivityLine:
    at: datetime
    user: str | None
    action: str
    entity: str
    entity_id: int | None
    summary: str | None
    details: dict[str, Any] | None


def recent(workspace: Workspace, *, limit: int = 500, entity: str | None = None,
           entity_id: int | None = None, user: str | None = None) -> list[ActivityLine]:
    """The newest entries first; narrowed to one table, record or person when asked."""
    wanted: list[ColumnElement[bool]] = [true()]
    if entity is not None:
        wanted.append(Activity.entity == entity)
    if entity_id is not None:
        wanted.append(Activity.entity_id == entity_id)
    if user is not None:
        wanted.append(Activity.user == user)
    return _lines(workspace, and_(*wanted), limit)


def _lines(workspace: Workspace, wanted: Any, limit: int) -> list[ActivityLine]:
    query = (select(Activity).where(wanted)
             .order_by(Activity.at.desc(), Activity.id.desc()).limit(limit))
    with workspace.session() as session:
        return [ActivityLine(a.at, a.user, a.action, a.entity, a.entity_id, a.summary, a.details)
                for a in session.scalars(query)]


def creator_history(workspace: Workspace, creator_id: int, *, limit: int = 100) -> list[ActivityLine]:
    """Who did what to one creator, newest first: edits of the creator and its accounts,
    its quotes corrected by hand (services/quote_edit; a removed quote's entries show
    again when it is put back), its cards (adds, moves, edits) and the imports that
    brought its prices."""
    accounts = select(PlatformAccount.id).where(PlatformAccount.creator_id == creator_id)
    quotes = select(Quote.id).where(Quote.account_id.in_(accounts))
    cards = select(Collaboration.id).where(Collaboration.creator_id == creator_id)
    batches = (select(Quote.import_batch_id)
               .where(Quote.account_id.in_(accounts), Quote.import_batch_id.is_not(None)))
    return _lines(workspace, or_(
        and_(Activity.entity == "creators", Activity.entity_id == creator_id),
        and_(Activity.entity == "platform_accounts", Activity.entity_id.in_(accounts)),
        and_(Activity.entity == "quotes", Activity.entity_id.in_(quotes)),
        and_(Activity.entity == "collaborations", Activity.entity_id.in_(cards)),
        and_(Activity.entity == "import_batches", Activity.entity_id.in_(batches)),
    ), limit)


def card_history(workspace: Workspace, collaboration_id: int, *, limit: int = 100) -> list[ActivityLine]:
    """Who did what on one card, newest first: its edits and stage moves, and its
    payments (planned, edited, marked paid)."""
    payments = select(Payment.id).where(Payment.collaboration_id == collaboration_id)
    return _lines(workspace, or_(
        and_(Activity.entity == "collaborations", Activity.entity_id == collaboration_id),
        and_(Activity.entity.in_(("payments", "payment")), Activity.entity_id.in_(payments)),
    ), limit)


def users(workspace: Workspace) -> list[str]:
    with workspace.session() as session:
        names = session.scalars(select(Activity.user).where(Activity.user.is_not(None)).distinct())
        return sorted(n for n in names if n)


def change_stamp(workspace: Workspace) -> int:
    """A number that grows with every logged change: cheap to poll, so other windows on
    a team database notice a colleague's move or edit and refresh."""
    with workspace.session() as session:
        return int(session.scalar(select(func.max(Activity.id))) or 0)


class ChangeFeed:
    """A connection of its own LISTENing for colleagues' writes on a team database.

    ``fileno()`` turns readable when a notification arrives (the UI watches it with a
    socket notifier); ``colleagues_wrote()`` takes what arrived without blocking."""

    def __init__(self, workspace: Workspace) -> None:
        import psycopg  # only team databases need it; a local workspace starts without it

        # The engine's own URL (password included, from the credential store) in libpq's
        # spelling; autocommit, as a LISTEN only hears notifications between transactions.
        url = workspace.url.set(drivername="postgresql")
        self._own = _sender(workspace.engine)
        self._where = workspace.display_location
        try:
            self._connection = psycopg.connect(url.render_as_string(hide_password=False),
                                               autocommit=True, connect_timeout=10,
                                               application_name="KOL Desk (changes)")
            self._connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise StoreError(N_("No change notifications from {location}: {reason}"),
                             location=self._where, reason=exc) from exc

    def fileno(self) -> int:
        return self._connection.fileno()

    def colleagues_wrote(self) -> bool:
        """Whether anyone else committed a logged change since the last call."""
        import psycopg

        try:
            return any(n.payload != self._own for n in self._connection.notifies(timeout=0))
        except psycopg.Error as exc:
            raise StoreError(N_("Change notifications from {location} stopped: {reason}"),
                             location=self._where, reason=exc) from exc

    def close(self) -> None:
        self._connection.close()
