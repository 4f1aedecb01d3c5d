"""The campaign board: its cards with their warning marks, and moving cards between stages
under the rules that protect the user.

Rules: a card cannot reach Contracted (or anything after it) without an agreed fee; it
cannot reach Published (or after) without a post URL, a post date and the ad-disclosure
check, unless an override reason is given, which is then stored with the move. Moving
backwards and dropping are always allowed. Every move is a StageChange with its time, so
undo is simply a recorded move back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kol_desk.domain import PIPELINE, Stage, Tier, stage_rank
from kol_desk.errors import N_, KnownError, Listed, Text
from kol_desk.i18n import tr
from kol_desk.labels import stage_label
from kol_desk.models import (
    BudgetEntry,
    Campaign,
    CollabDeliverable,
    Collaboration,
    Creator,
    Payment,
    PlatformAccount,
    StageChange,
)
from kol_desk.models.base import utcnow
from kol_desk.services import activity
from kol_desk.services.budget_checks import collab_use, paid_per_card
from kol_desk.services.deal_cost import NET_COST
from kol_desk.services.money import collaboration_cost
from kol_desk.services.tiers import thresholds_of, tier_of
from kol_desk.store.database import Workspace

ZERO = Decimal("0.00")
# From In review on, a post is about to go live: the ad label must be settled.
DISCLOSURE_FROM = stage_rank(Stage.IN_REVIEW)


class MoveRefused(KnownError):
    """A move broke a rule; ``rule`` names it and ``can_override`` says whether an
    explicit, recorded reason lets it through."""

    def __init__(self, message: str, rule: str, can_override: bool,
                 missing: tuple[str, ...] = (), **values: object) -> None:
        super().__init__(message, **values)
        self.rule = rule
        self.can_override = can_override
        # For "publication": which of post_url, post_date, ad_disclosure is missing.
        self.missing = missing


class CardNotFound(KnownError):
    """The card was deleted or changed elsewhere."""


@dataclass(frozen=True)
class BoardCard:
    id: int
    campaign_id: int
    account_id: int
    creator_id: int
    nickname: str
    platform: str
    tier: Tier | None
    owner: str | None
    stage: str
    position: int
    quoted_fee: Decimal | None
    agreed_fee: Decimal | None  # as its net cost (services/deal_cost)
    next_due: date | None
    overdue: bool
    disclosure_missing: bool
    risk_flag: bool
    over_budget: bool
    boss_decision: str | None
    # What the agreed deal costs the budget (net cost, tax added where the fee excludes
    # it: services/money.collaboration_cost); None until a fee is agreed.
    cost: Decimal | None = None

    @property
    def fee(self) -> Decimal | None:
        """What the card costs as far as we know: the agreed deal's cost (so the cards of a
        column add up to its total), else the quote."""
        return self.cost if self.cost is not None else self.quoted_fee

    @property
    def fee_is_agreed(self) -> bool:
        return self.agreed_fee is not None


@dataclass(frozen=True)
class MoveResult:
    collaboration_id: int
    from_stage: str
    to_stage: str
    change_id: int
    from_position: int = 0
    # What the board shows differently after the move: the moved card first, then any
    # card whose over-budget mark flipped (a drop frees money, an undrop takes it back).
    cards: tuple[BoardCard, ...] = ()


def campaign_budget_limit(session: Session, campaign_id: int) -> Decimal | None:
    """The money the campaign may commit: its Budget-tab allocation when there is one,
    else its planned budget."""
    allocated = session.scalar(
        select(func.sum(BudgetEntry.amount)).where(BudgetEntry.campaign_id == campaign_id))
    if allocated is not None:
        return Decimal(allocated)
    return session.scalar(select(Campaign.budget).where(Campaign.id == campaign_id))


def campaign_has_allocation(workspace: Workspace, campaign_id: int) -> bool:
    """Whether the Budget tab allocated money to the campaign (then its fee guard asks
    before a fee goes over; without an allocation there is nothing to go over)."""
    with workspace.session() as session:
        return bool(session.scalar(select(func.count()).select_from(BudgetEntry)
                                   .where(BudgetEntry.campaign_id == campaign_id)))


def _due_dates(
    stage: str, deliverables: Iterable[tuple[date | None, date | None, date | None]],
    payments: Iterable[date | None],
) -> list[date]:
    """The due dates still open for a card in this stage: drafts until review, posts until
    published, unpaid payments until paid."""
    rank = stage_rank(Stage(stage))
    dates: list[date] = []
    if stage in (Stage.DROPPED, Stage.PAID):
        return dates
    for draft_due, post_due, done_on in deliverables:
        if done_on is not None:
            continue
        if draft_due is not None and rank < stage_rank(Stage.IN_REVIEW):
            dates.append(draft_due)
        if post_due is not None and rank < stage_rank(Stage.PUBLISHED):
            dates.append(post_due)
    dates.extend(d for d in payments if d is not None)
    return dates


def board_cards(workspace: Workspace, campaign_id: int, today: date | None = None) -> list[BoardCard]:
    """Every card of the campaign, in board order, with its warning marks."""
    with workspace.session() as session:
        return _load_cards(session, campaign_id, today or date.today())


def _load_cards(session: Session, campaign_id: int, today: date,
                only: Collection[int] | None = None, over: set[int] | None = None) -> list[BoardCard]:
    """The campaign's cards (or just the ``only`` ones) in board order; ``over`` is
    ``over_budget_cards`` when the caller has it already."""
    mine = (Collaboration.campaign_id == campaign_id,
            *(() if only is None else (Collaboration.id.in_(only),)))
    rows = session.execute(
        select(Collaboration.id, Collaboration.account_id, Collaboration.creator_id,
               Creator.nickname, PlatformAccount.nickname, PlatformAccount.platform,
               PlatformAccount.followers, Creator.tier_override, Collaboration.owner,
               Collaboration.stage, Collaboration.position, Collaboration.quoted_fee,
               NET_COST, Collaboration.ad_disclosure_confirmed,
               Creator.blacklisted, Creator.risk_level, Collaboration.boss_decision,
               Collaboration.tax_included, Collaboration.tax_rate, Collaboration.invoice_type)
        .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
        .join(Creator, Creator.id == Collaboration.creator_id)
        .where(*mine)
        .order_by(Collaboration.position, Collaboration.id)
    ).all()
    deliverables: dict[int, list[tuple[date | None, date | None, date | None]]] = {}
    for cid, draft, post, done in session.execute(
        select(CollabDeliverable.collaboration_id, CollabDeliverable.draft_due,
               CollabDeliverable.post_due, CollabDeliverable.done_on)
        .join(Collaboration, Collaboration.id == CollabDeliverable.collaboration_id)
        .where(*mine)
    ):
        deliverables.setdefault(cid, []).append((draft, post, done))
    payments: dict[int, list[date | None]] = {}
    for cid, due in session.execute(
        select(Payment.collaboration_id, Payment.due_date)
        .join(Collaboration, Collaboration.id == Payment.collaboration_id)
        .where(*mine, Payment.paid_on.is_(None))
    ):
        payments.setdefault(cid, []).append(due)
    if over is None:
        over = over_budget_cards(session, campaign_id)
    thresholds = thresholds_of(session)
    cards = []
    for r in rows:
        dues = _due_dates(r[9], deliverables.get(r[0], ()), payments.get(r[0], ()))
        upcoming = min(dues) if dues else None
        tier = tier_of(r[6], r[5], r[7], thresholds)
        cards.append(BoardCard(
            id=r[0], account_id=r[1], creator_id=r[2], campaign_id=campaign_id,
            nickname=r[4] or r[3], platform=r[5], tier=tier, owner=r[8], stage=r[9],
            position=r[10], quoted_fee=r[11], agreed_fee=r[12], next_due=upcoming,
            overdue=upcoming is not None and upcoming < today,
            disclosure_missing=(not r[13] and r[9] != Stage.DROPPED
                                and stage_rank(Stage(r[9])) >= DISCLOSURE_FROM),
            risk_flag=bool(r[14]) or r[15] not in (None, "none"),
            over_budget=r[0] in over, boss_decision=r[16],
            cost=collaboration_cost(r[12], r[17], r[18], r[19]),
        ))
    return cards


def over_budget_cards(session: Session, campaign_id: int) -> set[int]:
    """The cards whose fee took the campaign past its money, counted by the Budget area's
    rule (``budget_checks.collab_use``: the fee with tax, or what was paid if more; a
    dropped card only what was paid), in the order the cards were created: the earlier
    deals fit, the later ones did not."""
    limit = campaign_budget_limit(session, campaign_id)
    if limit is None:
        return set()
    paid = paid_per_card(session, campaign_id)
    total = ZERO
    over: set[int] = set()
    for cid, stage, fee, included, rate, invoice in session.execute(
        select(Collaboration.id, Collaboration.stage, NET_COST,
               Collaboration.tax_included, Collaboration.tax_rate, Collaboration.invoice_type)
        .where(Collaboration.campaign_id == campaign_id).order_by(Collaboration.id)
    ):
        total += collab_use(fee, included, rate, paid.get(cid, ZERO), stage == Stage.DROPPED, invoice)
        if fee is not None and stage != Stage.DROPPED and total > limit:
            over.add(cid)
    return over


@dataclass(frozen=True)
class CardFilter:
    platform: str | None = None
    tier: str | None = None
    owner: str | None = None
    overdue_only: bool = False

    def accepts(self, card: BoardCard) -> bool:
        return ((self.platform is None or card.platform == self.platform)
                and (self.tier is None or card.tier == self.tier)
                and (self.owner is None or (card.owner or "") == self.owner)
                and (not self.overdue_only or card.overdue))


class ColumnTotal(NamedTuple):
    """How many cards a column holds and what they cost. ``agreed`` is the cost of those
    with an agreed fee, by the rule every money figure uses, so it matches the Campaigns
    list and the Budget tab for the same cards; ``total`` adds the quotes of the
    ``quoted`` cards without one."""

    cards: int
    total: Decimal
    agreed: Decimal
    quoted: int


def column_totals(cards: Iterable[BoardCard]) -> dict[str, ColumnTotal]:
    """Per stage: how many cards and what they cost (agreed deals with tax, else the quote)."""
    stages = [s.value for s in (*PIPELINE, Stage.DROPPED)]
    counts = dict.fromkeys(stages, 0)
    agreed = dict.fromkeys(stages, ZERO)
    quotes = dict.fromkeys(stages, ZERO)
    quoted = dict.fromkeys(stages, 0)
    for card in cards:
        stage = card.stage
        counts[stage] = counts.get(stage, 0) + 1
        if card.cost is not None:
            agreed[stage] = agreed.get(stage, ZERO) + card.cost
        elif card.quoted_fee is not None:
            quotes[stage] = quotes.get(stage, ZERO) + card.quoted_fee
            quoted[stage] = quoted.get(stage, 0) + 1
    return {stage: ColumnTotal(count, agreed.get(stage, ZERO) + quotes.get(stage, ZERO),
                               agreed.get(stage, ZERO), quoted.get(stage, 0))
            for stage, count in counts.items()}


def check_move(collab: Collaboration, to_stage: Stage) -> MoveRefused | None:
    """The rule a move to ``to_stage`` would break, or None. Backward moves and drops
    are always allowed."""
    current = Stage(collab.stage)
    if to_stage == Stage.DROPPED or (current != Stage.DROPPED
                                     and stage_rank(to_stage) <= stage_rank(current)):
        return None
    if stage_rank(to_stage) >= stage_rank(Stage.CONTRACTED) and collab.agreed_fee is None:
        return MoveRefused(
            N_("A card can only be contracted with an agreed fee: enter the agreed fee on the "
               "card first."), rule="agreed_fee", can_override=False)
    if stage_rank(to_stage) >= stage_rank(Stage.PUBLISHED):
        missing = {key: words for key, words, present in (
            ("post_url", Text(N_("the post URL")), bool(collab.post_url)),
            ("post_date", Text(N_("the post date")), collab.post_date is not None),
            ("ad_disclosure", Text(N_("the ad-disclosure check")), collab.ad_disclosure_confirmed),
        ) if not present}
        if missing:
            return MoveRefused(
                N_("A card can only be published with {missing_words} on the card (or give a "
                   "reason to override, which is recorded)."),
                rule="publication", can_override=True, missing=tuple(missing),
                missing_words=Listed(missing.values()))
    return None


def move(
    workspace: Workspace,
    collaboration_id: int,
    to_stage: Stage | str,
    *,
    override_reason: str | None = None,
    user: str | None = None,
    position: int | None = None,
    today: date | None = None,
    expected_stage: Stage | str | None = None,
) -> MoveResult:
    """Move one card, recording the change with its time; raises MoveRefused.

    The card goes to the end of its new column, or to ``position`` (an undo puts it back
    where it was). The result carries the cards as the board now shows them, so the
    board can update in place instead of reading the whole campaign again.
    ``expected_stage`` (undo and redo) refuses the move when someone moved the card since."""
    target = Stage(to_stage)
    reason = (override_reason or "").strip() or None
    with workspace.transaction() as session:
        collab = session.get(Collaboration, collaboration_id)
        if collab is None:
            raise CardNotFound(N_("Card {id} no longer exists; refresh the board."),
                               id=collaboration_id)
        source, from_position = collab.stage, collab.position
        if expected_stage is not None and source != Stage(expected_stage).value:
            who = session.scalar(select(StageChange.changed_by)
                                 .where(StageChange.collaboration_id == collab.id)
                                 .order_by(StageChange.id.desc()).limit(1))
            raise MoveRefused(tr("{who} moved this card to {stage} since, so it was left "
                                 "there; move it yourself if it should go back.",
                                 who=who or tr("Someone"), stage=stage_label(source)),
                              rule="moved_since", can_override=False)
        if source == target:
            raise MoveRefused(N_("The card is already in that column."), rule="same_stage",
                              can_override=False)
        refusal = check_move(collab, target)
        if refusal is not None and not (refusal.can_override and reason):
            raise refusal
        # Only a drop or an undrop changes what a card counts against the budget, and a
        # card without an agreed fee is never over: most moves need no budget sums.
        dropping = Stage.DROPPED in (source, target)
        over_before = over_budget_cards(session, collab.campaign_id) if dropping else set()
        needs_over = dropping or collab.agreed_fee is not None
        # The new place is read before the card changes, so the move is one UPDATE (and
        # one version step) rather than an autoflushed stage plus a position.
        if position is None:
            position = (session.scalar(
                select(func.max(Collaboration.position)).where(
                    Collaboration.campaign_id == collab.campaign_id,
                    Collaboration.stage == target.value)) or 0) + 1
        collab.stage, collab.position = target.value, position
        # Added by id, not appended to collab.stage_changes, which would first load the
        # card's whole history.
        change = StageChange(collaboration_id=collab.id, from_stage=source,
                             to_stage=target.value, changed_at=utcnow(),
                             changed_by=user or activity.user_of(workspace),
                             override_reason=reason if refusal else None)
        session.add(change)
        session.flush()
        over_after = over_budget_cards(session, collab.campaign_id) if needs_over else set()
        flipped = (over_before ^ over_after) - {collab.id}
        cards = _load_cards(session, collab.campaign_id, today or date.today(),
                            only={collab.id, *flipped}, over=over_after)
        cards.sort(key=lambda c: c.id != collab.id)
        return MoveResult(collaboration_id, source, target.value, change.id, from_position,
                          tuple(cards))


@dataclass(frozen=True)
class DueItem:
    collaboration_id: int
    campaign_id: int
    campaign: str
    nickname: str
    platform: str
    stage: str
    what: str  # "draft", "post" or "payment"
    due: date
    overdue: bool


def due_items(workspace: Workspace, today: date | None = None, days: int = 7) -> list[DueItem]:
    """Open drafts, posts and payments across active campaigns that are overdue or due
    within ``days`` days, the most urgent first."""
    today = today or date.today()
    horizon = today + timedelta(days=days)
    active = (Collaboration.stage.not_in([Stage.DROPPED.value, Stage.PAID.value]),
              Campaign.archived_at.is_(None))
    base = (Collaboration.id, Campaign.id, Campaign.name,
            func.coalesce(PlatformAccount.nickname, Creator.nickname),
            PlatformAccount.platform, Collaboration.stage)
    items: list[DueItem] = []
    with workspace.session() as session:
        deliverable_rows = session.execute(
            select(*base, CollabDeliverable.draft_due, CollabDeliverable.post_due)
            .join(Collaboration, Collaboration.id == CollabDeliverable.collaboration_id)
            .join(Campaign, Campaign.id == Collaboration.campaign_id)
            .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
            .join(Creator, Creator.id == Collaboration.creator_id)
            .where(*active, CollabDeliverable.done_on.is_(None),
                   (CollabDeliverable.draft_due <= horizon) | (CollabDeliverable.post_due <= horizon))
        ).all()
        payment_rows = session.execute(
            select(*base, Payment.due_date)
            .join(Collaboration, Collaboration.id == Payment.collaboration_id)
            .join(Campaign, Campaign.id == Collaboration.campaign_id)
            .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
            .join(Creator, Creator.id == Collaboration.creator_id)
            .where(*active, Payment.paid_on.is_(None), Payment.due_date <= horizon)
        ).all()
    for cid, camp_id, camp, nick, platform, stage, draft, post in deliverable_rows:
        rank = stage_rank(Stage(stage))
        for what, due, open_until in (("draft", draft, Stage.IN_REVIEW), ("post", post, Stage.PUBLISHED)):
            if due is not None and due <= horizon and rank < stage_rank(open_until):
                items.append(DueItem(cid, camp_id, camp, nick, platform, stage, what, due, due < today))
    for cid, camp_id, camp, nick, platform, stage, due in payment_rows:
        if due is not None:
            items.append(DueItem(cid, camp_id, camp, nick, platform, stage, "payment", due, due < today))
    items.sort(key=lambda i: (i.due, i.campaign, i.nickname))
    return items
