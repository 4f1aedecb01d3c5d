"""Correcting a stored quote, or removing it: a price an agency list gave wrongly, a
wrong deliverable, a discount or channel the list did not state.

Quotes are history (a new price is a new quote), but a quote that was wrong from the
start is fixed where it is, not buried under a second one. Every function is one
transaction; ``update_quote`` checks the version the form was loaded from (a colleague's
newer change meets the conflict dialog, as creator edits do) and ``remove_quote`` returns
a snapshot that ``restore_quote`` puts back, so an undo is another ordinary write.

A quote from an import stays that import's quote when it is corrected: undoing the import
removes it with the others. The correction is of a price that list gave, so it belongs
with the list; keeping the batch id also keeps undoing the import possible (a quote
without it would count as "entered by hand" and block the undo of an import that
created the account).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kol_desk.domain import Channel, Deliverable
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.importing.values import CURRENCY_CODES
from kol_desk.models import Agency, Collaboration, ImportBatch, PlatformAccount, Quote
from kol_desk.services import activity
from kol_desk.services.conflicts import Loaded, check_version, put_back, snapshot_of
from kol_desk.store.database import Workspace
from kol_desk.validation import MONEY_LIMIT

VIDEO_LENGTH_MAX = 20  # the column's width (quotes.video_length)
_CENT = Decimal("0.01")


class QuoteEditError(BadInputError):
    """A quote that cannot be saved, removed or put back, with the reason."""


@dataclass(frozen=True)
class QuoteFields:
    """What the edit form shows of a quote. An exact price has low == high, a "from"
    price no high, a negotiable one (面议) neither and ``price_unknown``."""

    deliverable: str  # domain.Deliverable key
    quoted_on: date
    price_min: Decimal | None
    price_max: Decimal | None
    price_unknown: bool = False
    currency: str = "CNY"
    tax_included: bool | None = None  # None: the quote does not say
    discount_pct: float | None = None  # percent off the price (九折 = 10)
    channel: str | None = None  # domain.Channel key; None when unstated
    video_length: str | None = None  # a length variant (1-20s) or a list's column name
    notes: str | None = None


def _fields_of(quote: Quote) -> QuoteFields:
    return QuoteFields(quote.deliverable, quote.quoted_on, quote.price_min, quote.price_max,
                       bool(quote.price_unknown), quote.currency, quote.tax_included,
                       quote.discount_pct, quote.channel, quote.video_length, quote.notes)


def _normal(fields: QuoteFields) -> QuoteFields:
    """Blank texts and a zero discount stored as "not stated", as the importer does, so
    an edit that changes nothing compares equal to what is stored."""
    return replace(fields, video_length=(fields.video_length or "").strip() or None,
                   notes=(fields.notes or "").strip() or None,
                   discount_pct=fields.discount_pct or None)


def check_quote(fields: QuoteFields) -> None:
    """Refuse what no quote can be, with the reason (translated where it is shown)."""
    if fields.deliverable not in {d.value for d in Deliverable}:
        raise QuoteEditError(N_("Unknown deliverable: {deliverable}."), deliverable=fields.deliverable)
    if fields.currency not in CURRENCY_CODES:
        raise QuoteEditError(N_("Unknown currency: {currency}."), currency=fields.currency)
    if fields.channel is not None and fields.channel not in {c.value for c in Channel}:
        raise QuoteEditError(N_("Unknown channel: {channel}."), channel=fields.channel)
    if fields.price_unknown:
        if fields.price_min is not None or fields.price_max is not None:
            raise QuoteEditError(N_("A negotiable price has no amount; give one or the other."))
    else:
        low, high = fields.price_min, fields.price_max
        if low is None:
            raise QuoteEditError(N_("A quote needs a price, or 'negotiable'."))
        for amount in (low, high):
            if amount is None:
                continue
            if amount <= 0:
                raise QuoteEditError(N_("A price must be above zero."))
            if amount >= MONEY_LIMIT:
                raise QuoteEditError(N_("The amount is too large."))
            if amount != amount.quantize(_CENT):
                raise QuoteEditError(N_("Money has at most two decimals."))
        if high is not None and low > high:
            raise QuoteEditError(N_("The low end of the price range is above its high end."))
    if fields.discount_pct is not None and not 0 <= fields.discount_pct < 100:
        raise QuoteEditError(N_("A discount is between 0 and 100 percent."))
    if fields.video_length is not None and len(fields.video_length) > VIDEO_LENGTH_MAX:
        raise QuoteEditError(N_("A video length or variant is at most {n} characters."),
                             n=VIDEO_LENGTH_MAX)


def _load(session: Session, quote_id: int) -> Quote:
    quote = session.get(Quote, quote_id)
    if quote is None:
        raise QuoteEditError(N_("This quote no longer exists; refresh the page."))
    return quote


def _handle(session: Session, account_id: int) -> str:
    return str(session.scalar(select(PlatformAccount.handle_display)
                              .where(PlatformAccount.id == account_id)) or "")


def _title(session: Session, quote: Quote) -> str:
    """How the conflict dialog names the quote."""
    return tr("Quote of {handle} ({date})", handle=_handle(session, quote.account_id),
              date=quote.quoted_on.isoformat())


def _log(workspace: Workspace, session: Session, action: str, quote_id: int, account_id: int,
         details: dict[str, Any] | None = None) -> None:
    # Quotes are not in activity.TRACKED (an import writes thousands in bulk): an edit by
    # hand is logged here, like the ORM logs other edits, only for a named user.
    if activity.user_of(workspace) is None:
        return
    activity.record(session, action, "quotes", quote_id, summary=_handle(session, account_id)[:200],
                    details=details)


def read_quote(workspace: Workspace, quote_id: int) -> QuoteFields:
    with workspace.session() as session:
        return _fields_of(_load(session, quote_id))


def read_quote_for_edit(workspace: Workspace, quote_id: int) -> tuple[QuoteFields, Loaded]:
    """The fields for the edit form, and the version they come from (for the save)."""
    with workspace.session() as session:
        quote = _load(session, quote_id)
        fields = _fields_of(quote)
        return fields, Loaded(quote.version, asdict(fields))


def update_quote(workspace: Workspace, quote_id: int, fields: QuoteFields,
                 *, loaded: Loaded | None = None) -> QuoteFields:
    """Saves the form in one transaction; with ``loaded`` (what the form was filled
    from), refuses with a VersionConflict when a colleague saved the quote since.
    Returns what was saved. The quote keeps its source, agency, card and import batch."""
    fields = _normal(fields)
    check_quote(fields)

    def again(values: dict[str, Any], seen: Loaded) -> QuoteFields:
        return update_quote(workspace, quote_id, replace(fields, **values), loaded=seen)

    with workspace.transaction() as session:
        quote = _load(session, quote_id)
        check_version(session, quote, loaded, asdict(fields), title=_title(session, quote),
                      current=lambda q: asdict(_fields_of(q)), save_again=again)
        before = asdict(_fields_of(quote))
        # in the fields' order (low end before high end), as the log lists them
        changed = [name for name, value in asdict(fields).items() if before[name] != value]
        for name in changed:
            setattr(quote, name, getattr(fields, name))
        if changed:
            session.flush()
            _log(workspace, session, "edit", quote.id, quote.account_id, {"fields": changed})
    return fields


def remove_quote(workspace: Workspace, quote_id: int) -> dict[str, Any]:
    """Removes one quote; returns a snapshot for ``restore_quote`` (the undo)."""
    with workspace.transaction() as session:
        quote = _load(session, quote_id)
        snapshot = snapshot_of(quote)
        _log(workspace, session, "delete", quote.id, quote.account_id)
        session.delete(quote)
        return snapshot


def restore_quote(workspace: Workspace, snapshot: dict[str, Any]) -> None:
    """Puts a removed quote back as it was (same id, so its history stays its own).
    Refused when what it belonged to went meanwhile: its account, the import it came
    from (undone: its quotes are gone with it), or the card it was recorded for."""
    with workspace.transaction() as session:
        if session.get(PlatformAccount, snapshot["account_id"]) is None:
            raise QuoteEditError(N_("The account of this quote was removed; the quote cannot be put back."))
        batch_id = snapshot.get("import_batch_id")
        if batch_id is not None:
            batch = session.get(ImportBatch, batch_id)
            if batch is None or batch.undone_at is not None:
                raise QuoteEditError(N_("The import this quote came from was undone; the quote "
                                        "cannot be put back. Import the list again instead."))
        card_id = snapshot.get("collaboration_id")
        if card_id is not None and session.get(Collaboration, card_id) is None:
            raise QuoteEditError(N_("The campaign card this price was recorded for was removed; "
                                    "the quote cannot be put back."))
        row = dict(snapshot)
        agency_id = row.get("agency_id")
        if agency_id is not None and session.get(Agency, agency_id) is None:
            row["agency_id"] = None  # as the agency's removal would have left it
        put_back(session, Quote, [row])
        _log(workspace, session, "create", row["id"], row["account_id"])
