"""One card in detail: reading everything a collaboration holds and editing it.

Every edit is one transaction and returns what it replaced, so the UI can offer undo by
writing the old values back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kol_desk.domain import Channel, InvoiceType, QuoteSource, Stage
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.models import (
    BudgetEntry,
    Campaign,
    CollabDeliverable,
    Collaboration,
    Creator,
    PlatformAccount,
    Quote,
    ResultSnapshot,
    ReviewRound,
    StageChange,
)
from kol_desk.services.board import CardNotFound, campaign_budget_limit
from kol_desk.services.budget_checks import check_fee_in_session, collab_use, paid_per_card
from kol_desk.services.conflicts import Loaded, check_list_unchanged, check_version
from kol_desk.services.deal_cost import breakdown, cost_of
from kol_desk.store.database import Workspace

# The card fields a user edits on the detail panel (everything else has its own function).
EDITABLE = (
    "owner", "quoted_fee", "agreed_fee", "slot_fee", "commission_pct", "product_value",
    "tax_included", "tax_rate", "contract_status", "usage_rights",
    "usage_rights_until", "exclusivity", "payment_terms", "brief", "review_status",
    "ad_disclosure_confirmed", "ad_disclosure_ref", "post_url", "post_date",
    "protection_until", "promo_code", "tracking_link", "score_brand_fit", "score_creative",
    "score_message", "notes", "channel", "rebate_pct", "service_fee", "platform_fee_pct",
    "invoice_type",
)
SCORES = ("score_brand_fit", "score_creative", "score_message")
MONEY = ("quoted_fee", "agreed_fee", "slot_fee", "product_value", "service_fee")
RESULT_FIELDS = (
    "impressions", "views", "likes", "comments", "shares", "saves", "clicks", "promo_uses",
    "orders", "revenue", "new_followers",
)


@dataclass(frozen=True)
class DeliverableLine:
    kind: str
    count: int = 1
    video_length: str | None = None
    draft_due: date | None = None
    post_due: date | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class ReviewLine:
    round_no: int
    submitted_on: date | None = None
    feedback: str | None = None
    approved_on: date | None = None


@dataclass(frozen=True)
class HistoryLine:
    from_stage: str | None
    to_stage: str
    changed_at: datetime
    changed_by: str | None
    override_reason: str | None


@dataclass(frozen=True)
class QuoteLine:
    id: int
    quoted_on: date
    deliverable: str
    price_min: Decimal | None
    price_max: Decimal | None
    source: str
    agency: str | None
    notes: str | None
    counter_offer: bool  # recorded during this collaboration's negotiation


@dataclass(frozen=True)
class ResultLine:
    id: int
    taken_on: date
    values: dict[str, Any]


@dataclass
class CardDetail:
    id: int
    campaign_id: int
    campaign: str
    currency: str
    nickname: str
    platform: str
    handle: str
    stage: str
    fields: dict[str, Any]
    risk_override_reason: str | None
    boss_decision: str | None
    boss_comment: str | None
    deliverables: list[DeliverableLine] = field(default_factory=list)
    review_rounds: list[ReviewLine] = field(default_factory=list)
    history: list[HistoryLine] = field(default_factory=list)
    quotes: list[QuoteLine] = field(default_factory=list)
    results: list[ResultLine] = field(default_factory=list)
    loaded: Loaded | None = None  # the version ``fields`` come from, for a guarded save


def load_card(workspace: Workspace, collaboration_id: int) -> CardDetail:
    with workspace.session() as session:
        collab = session.get(Collaboration, collaboration_id)
        if collab is None:
            raise CardNotFound(N_("Card {id} no longer exists; refresh the board."),
                               id=collaboration_id)
        campaign = session.get(Campaign, collab.campaign_id)
        account = session.get(PlatformAccount, collab.account_id)
        creator = session.get(Creator, collab.creator_id)
        assert campaign is not None and account is not None and creator is not None
        detail = CardDetail(
            id=collab.id, campaign_id=campaign.id, campaign=campaign.name,
            currency=campaign.currency, nickname=account.nickname or creator.nickname,
            platform=account.platform, handle=account.handle_display, stage=collab.stage,
            fields={name: getattr(collab, name) for name in EDITABLE},
            risk_override_reason=collab.risk_override_reason,
            boss_decision=collab.boss_decision, boss_comment=collab.boss_comment,
        )
        detail.loaded = Loaded(collab.version, dict(detail.fields))
        detail.deliverables = [
            DeliverableLine(d.kind, d.count, d.video_length, d.draft_due, d.post_due, d.done_on)
            for d in sorted(collab.deliverables, key=lambda d: d.id)]
        detail.review_rounds = [
            ReviewLine(r.round_no, r.submitted_on, r.feedback, r.approved_on)
            for r in sorted(collab.review_rounds, key=lambda r: r.round_no)]
        detail.history = [
            HistoryLine(h.from_stage, h.to_stage, h.changed_at, h.changed_by, h.override_reason)
            for h in session.scalars(select(StageChange).where(
                StageChange.collaboration_id == collab.id).order_by(StageChange.id))]
        detail.quotes = [
            QuoteLine(q.id, q.quoted_on, q.deliverable, q.price_min, q.price_max, q.source_kind,
                      q.agency.name if q.agency else None, q.notes,
                      q.collaboration_id == collab.id)
            for q in session.scalars(select(Quote).where(Quote.account_id == collab.account_id)
                                     .order_by(Quote.quoted_on, Quote.id))]
        detail.results = [
            ResultLine(r.id, r.taken_on, {name: getattr(r, name) for name in RESULT_FIELDS})
            for r in sorted(collab.results, key=lambda r: (r.taken_on, r.id))]
    return detail


def _check(changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise BadInputError(N_("These card fields cannot be edited: {fields}."),
                            fields=", ".join(sorted(unknown)))
    for name in SCORES:
        value = changes.get(name)
        if value is not None and not 1 <= int(value) <= 5:
            raise BadInputError(N_("Scores are whole numbers from 1 to 5."))
    for name in MONEY:
        value = changes.get(name)
        if value is not None and Decimal(value) < 0:
            raise BadInputError(N_("Fees cannot be negative."))
    for name, message in (
            ("commission_pct", N_("The commission is a percentage from 0 to 100.")),
            ("rebate_pct", N_("The rebate is a percentage from 0 to 100.")),
            ("platform_fee_pct", N_("The platform fee is a percentage from 0 to 100."))):
        pct = changes.get(name)
        if pct is not None and not 0 <= float(pct) <= 100:
            raise BadInputError(message)
    if changes.get("channel") is not None and changes["channel"] not in set(Channel):
        raise BadInputError(N_("Unknown channel: {channel}."), channel=changes["channel"])
    if changes.get("invoice_type") is not None and changes["invoice_type"] not in set(InvoiceType):
        raise BadInputError(N_("Unknown invoice type: {kind}."), kind=changes["invoice_type"])


@dataclass(frozen=True)
class EditResult:
    previous: dict[str, Any]
    # Set when the agreed fee takes the campaign over its money: (used, limit).
    over_budget: tuple[Decimal, Decimal] | None = None
    # What was written: after a conflict's merge, not what the form held (for redo).
    written: dict[str, Any] = field(default_factory=dict)
    # The card's version after this write: undo and redo check against it.
    version: int | None = None


def update_card(workspace: Workspace, collaboration_id: int, changes: dict[str, Any],
                *, loaded: Loaded | None = None) -> EditResult:
    """Write the changed fields in one transaction; returns the values they replaced.
    With ``loaded`` (what the card form shows), a colleague's newer save of the card
    raises VersionConflict."""
    _check(changes)

    def again(values: dict[str, Any], seen: Loaded) -> EditResult:
        return update_card(workspace, collaboration_id, values, loaded=seen)

    with workspace.transaction() as session:
        collab = session.get(Collaboration, collaboration_id)
        if collab is None:
            raise CardNotFound(N_("Card {id} no longer exists; refresh the board."),
                               id=collaboration_id)
        check_version(session, collab, loaded, changes, save_again=again,
                      title=_card_title(session, collab) if loaded else None)
        over = None
        if changes.get("agreed_fee") is not None and changes["agreed_fee"] != collab.agreed_fee:
            over = _over_budget(session, collab, _with_net_cost(collab, changes))
        previous = {name: getattr(collab, name) for name in changes}
        for name, value in changes.items():
            setattr(collab, name, value)
        session.flush()
        version = collab.version
    return EditResult(previous, over, dict(changes), version)


def _with_net_cost(collab: Collaboration, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes with the agreed fee replaced by the net cost it makes with the card's
    (changed) rebate, service fee and platform fee: the budget counts net costs."""
    def value(name: str) -> Any:
        return changes[name] if name in changes else getattr(collab, name)
    net = breakdown(Decimal(changes["agreed_fee"]), channel=value("channel"),
                    rebate_pct=value("rebate_pct"), service_fee=value("service_fee"),
                    platform_fee_pct=value("platform_fee_pct")).net
    return {**changes, "agreed_fee": net}


def _card_title(session: Session, collab: Collaboration) -> str:
    account = session.get(PlatformAccount, collab.account_id)
    creator = session.get(Creator, collab.creator_id)
    return (account.nickname if account and account.nickname else None) or (
        creator.nickname if creator else str(collab.id))


def _over_budget(session: Session, collab: Collaboration,
                 changes: dict[str, Any]) -> tuple[Decimal, Decimal] | None:
    """The Budget area's rule (services/budget_checks): its allocation check when the
    campaign has an allocation; else the same sum of fees with tax (or what was paid)
    against the campaign's planned budget."""
    has_allocation = session.scalar(
        select(func.count()).select_from(BudgetEntry)
        .where(BudgetEntry.campaign_id == collab.campaign_id)) or 0
    new_fee = Decimal(changes["agreed_fee"])
    if has_allocation:
        warning = check_fee_in_session(
            session, new_fee=new_fee, collaboration_id=collab.id,
            tax_included=changes.get("tax_included"), tax_rate=changes.get("tax_rate"),
            invoice_type=changes.get("invoice_type", collab.invoice_type))
        return (warning.used_after, warning.allocated) if warning else None
    limit = campaign_budget_limit(session, collab.campaign_id)
    if limit is None:
        return None
    paid = paid_per_card(session, collab.campaign_id)
    total = Decimal(0)
    for other in session.scalars(select(Collaboration).where(
            Collaboration.campaign_id == collab.campaign_id)):
        mine = other.id == collab.id
        total += collab_use(
            new_fee if mine else cost_of(other),
            changes.get("tax_included", other.tax_included) if mine else other.tax_included,
            changes.get("tax_rate", other.tax_rate) if mine else other.tax_rate,
            paid.get(other.id, Decimal(0)), not mine and other.stage == Stage.DROPPED.value,
            changes.get("invoice_type", other.invoice_type) if mine else other.invoice_type)
    return (total, limit) if total > limit else None


def set_deliverables(workspace: Workspace, collaboration_id: int, lines: list[DeliverableLine],
                     shown: list[DeliverableLine] | None = None) -> list[DeliverableLine]:
    """Replace the card's deliverables; returns the old list (for undo). ``shown``: the
    list the user changed, refused (:class:`ListChanged`) if it is no longer stored."""
    for line in lines:
        if line.count < 1:
            raise BadInputError(N_("A deliverable needs a count of at least 1."))
    with workspace.transaction() as session:
        old = [DeliverableLine(d.kind, d.count, d.video_length, d.draft_due, d.post_due, d.done_on)
               for d in session.scalars(select(CollabDeliverable).where(
                   CollabDeliverable.collaboration_id == collaboration_id).order_by(CollabDeliverable.id))]
        check_list_unchanged(old, shown, tr("the deliverables of this card"))
        session.execute(delete(CollabDeliverable).where(
            CollabDeliverable.collaboration_id == collaboration_id))
        session.add_all(CollabDeliverable(collaboration_id=collaboration_id, kind=line.kind,
                                          count=line.count, video_length=line.video_length,
                                          draft_due=line.draft_due, post_due=line.post_due,
                                          done_on=line.done_on) for line in lines)
    return old


def set_review_rounds(workspace: Workspace, collaboration_id: int, lines: list[ReviewLine],
                      shown: list[ReviewLine] | None = None) -> list[ReviewLine]:
    """Replace the card's content-review rounds; returns the old list (for undo). ``shown``
    as for :func:`set_deliverables`."""
    with workspace.transaction() as session:
        old = [ReviewLine(r.round_no, r.submitted_on, r.feedback, r.approved_on)
               for r in session.scalars(select(ReviewRound).where(
                   ReviewRound.collaboration_id == collaboration_id).order_by(ReviewRound.round_no))]
        check_list_unchanged(old, shown, tr("the review rounds of this card"))
        session.execute(delete(ReviewRound).where(ReviewRound.collaboration_id == collaboration_id))
        session.add_all(ReviewRound(collaboration_id=collaboration_id, round_no=line.round_no,
                                    submitted_on=line.submitted_on, feedback=line.feedback,
                                    approved_on=line.approved_on) for line in lines)
    return old


def add_result_snapshot(workspace: Workspace, collaboration_id: int, taken_on: date,
                        values: dict[str, Any], source: str | None = "manual") -> int:
    """Record results at one point in time (T+7, T+21...); snapshots are never overwritten."""
    unknown = set(values) - set(RESULT_FIELDS)
    if unknown:
        raise BadInputError(N_("Unknown result fields: {fields}."),
                            fields=", ".join(sorted(unknown)))
    with workspace.transaction() as session:
        snapshot = ResultSnapshot(collaboration_id=collaboration_id, taken_on=taken_on,
                                  source=source, **values)
        session.add(snapshot)
        session.flush()
        return snapshot.id


def delete_result_snapshot(workspace: Workspace, snapshot_id: int) -> None:
    """Remove a snapshot entered by mistake (the undo of add_result_snapshot)."""
    with workspace.transaction() as session:
        session.execute(delete(ResultSnapshot).where(ResultSnapshot.id == snapshot_id))


def add_counter_offer(workspace: Workspace, collaboration_id: int, amount: Decimal,
                      on: date, notes: str | None = None, deliverable: str | None = None) -> int:
    """A price named during this negotiation, kept as a quote (quotes are history), for the
    card's own deliverable unless another is given."""
    if amount < 0:
        raise BadInputError(N_("A counter-offer cannot be negative."))
    with workspace.transaction() as session:
        collab = session.get(Collaboration, collaboration_id)
        if collab is None:
            raise CardNotFound(N_("Card {id} no longer exists; refresh the board."),
                               id=collaboration_id)
        deliverable = deliverable or session.scalar(
            select(CollabDeliverable.kind).where(CollabDeliverable.collaboration_id == collaboration_id)
            .order_by(CollabDeliverable.id).limit(1)) or "custom"
        quote = Quote(account_id=collab.account_id, deliverable=deliverable, price_min=amount,
                      price_max=amount, source_kind=QuoteSource.NEGOTIATION.value,
                      collaboration_id=collaboration_id, quoted_on=on, notes=notes)
        session.add(quote)
        session.flush()
        return quote.id


def delete_counter_offer(workspace: Workspace, quote_id: int) -> None:
    with workspace.transaction() as session:
        session.execute(delete(Quote).where(Quote.id == quote_id,
                                            Quote.source_kind == QuoteSource.NEGOTIATION.value))
