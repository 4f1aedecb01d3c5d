"""Putting creator accounts on a campaign's board (the Shortlisted column).

Called by the Creators tab's bulk "add to campaign" and by the board, whose "add
creators" dialog also lists what one agency-list import brought.
Blacklisted and risk-flagged creators are refused unless the caller passes the reason the
user gave for adding them anyway (an explicit, recorded override).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kol_desk.domain import RISK_LABELS, RiskLevel, Stage
from kol_desk.errors import N_, KnownError, Listed, Text
from kol_desk.models import Campaign, Collaboration, Creator, PlatformAccount, Quote, StageChange
from kol_desk.models.base import utcnow
from kol_desk.services import activity
from kol_desk.store.database import Workspace


class ShortlistError(KnownError):
    """The accounts cannot be added (unknown campaign, archived, risky without a reason)."""


@dataclass(frozen=True)
class RiskNotice:
    """A creator the user must confirm before shortlisting, and why."""

    account_id: int
    creator_id: int
    nickname: str
    blacklisted: bool
    risk_level: str
    reason: str | None

    @property
    def label(self) -> Text:
        """The creator and why, translated where it is shown."""
        if self.blacklisted:
            return Text(N_("{name} (blacklisted)"), name=self.nickname)
        risk = {level.value: label for level, label in RISK_LABELS.items()}.get(self.risk_level)
        return Text(N_("{name} ({risk} risk)"), name=self.nickname,
                    risk=Text(risk) if risk else self.risk_level)


@dataclass
class ShortlistResult:
    campaign_id: int
    added: list[int] = field(default_factory=list)          # new collaboration ids
    added_accounts: list[int] = field(default_factory=list)  # their account ids
    already_on_campaign: list[int] = field(default_factory=list)  # account ids skipped
    unknown_accounts: list[int] = field(default_factory=list)
    overridden: list[int] = field(default_factory=list)      # risky account ids added


# An import can bring 50k accounts; the board's "add creators" list shows this many.
IMPORT_ACCOUNTS_SHOWN = 2000


def accounts_of_import(workspace: Workspace, batch_id: int,
                       limit: int = IMPORT_ACCOUNTS_SHOWN) -> list[int]:
    """The accounts an agency-list import brought or priced (new and matched creators
    alike), in the list's order, so the board can shortlist straight from a list. A new
    account whose row had no price counts too: the wizard says how many it brought."""
    with workspace.session() as session:
        priced = list(session.scalars(
            select(Quote.account_id).where(Quote.import_batch_id == batch_id)
            .group_by(Quote.account_id).order_by(func.min(Quote.id)).limit(limit)))
        created = session.scalars(
            select(PlatformAccount.id).where(PlatformAccount.created_by_batch_id == batch_id)
            .order_by(PlatformAccount.id).limit(limit)).all()
    seen = set(priced)
    return (priced + [account for account in created if account not in seen])[:limit]


def needs_confirmation(workspace: Workspace, account_ids: list[int]) -> list[RiskNotice]:
    """Accounts whose creator is blacklisted or risk-flagged: ask the user before adding."""
    if not account_ids:
        return []
    with workspace.session() as session:
        rows = session.execute(
            select(PlatformAccount.id, Creator.id, Creator.nickname, Creator.blacklisted,
                   Creator.risk_level, Creator.blacklist_reason, Creator.risk_reason)
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .where(PlatformAccount.id.in_(set(account_ids)))
            .where((Creator.blacklisted.is_(True)) | (Creator.risk_level != RiskLevel.NONE.value))
            .order_by(PlatformAccount.id)
        ).all()
    return [
        RiskNotice(account_id=r[0], creator_id=r[1], nickname=r[2], blacklisted=bool(r[3]),
                   risk_level=r[4], reason=(r[5] if r[3] else r[6]))
        for r in rows
    ]


def _latest_quotes(session: Session, account_ids: list[int]) -> dict[int, Decimal]:
    """The most recent known price per account, to prefill the card's quoted fee."""
    latest = (
        select(Quote.account_id, func.max(Quote.quoted_on).label("on"))
        .where(Quote.account_id.in_(account_ids), Quote.price_min.is_not(None))
        .group_by(Quote.account_id)
        .subquery()
    )
    rows = session.execute(
        select(Quote.account_id, Quote.price_min, Quote.price_max)
        .join(latest, (latest.c.account_id == Quote.account_id) & (latest.c.on == Quote.quoted_on))
        .where(Quote.price_min.is_not(None))
        .order_by(Quote.id)
    ).all()
    prices: dict[int, Decimal] = {}
    for account_id, low, high in rows:
        price = high if high is not None else low
        if price is not None:
            prices[account_id] = price
    return prices


def add_to_campaign(
    workspace: Workspace,
    campaign_id: int,
    account_ids: list[int],
    *,
    override_reason: str | None = None,
    user: str | None = None,
) -> ShortlistResult:
    """Create Shortlisted cards for the accounts not yet on the campaign, in one transaction.

    Raises ShortlistError, adding nothing, when a blacklisted or risk-flagged creator is
    among them and no ``override_reason`` is given; with a reason, it is stored on each
    such card (``risk_override_reason``).
    """
    reason = (override_reason or "").strip() or None
    risky = {n.account_id: n for n in needs_confirmation(workspace, account_ids)}
    if risky and reason is None:
        names = Listed(n.label for n in list(risky.values())[:5])
        raise ShortlistError(
            N_("{n} creator(s) are blacklisted or risk-flagged ({names}); confirm and give a "
               "reason to add them anyway."), n=len(risky), names=names)
    result = ShortlistResult(campaign_id)
    wanted = list(dict.fromkeys(account_ids))  # keep the caller's order, drop repeats
    now = utcnow()
    with workspace.transaction() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise ShortlistError(N_("Campaign {id} no longer exists; refresh the list."),
                                 id=campaign_id)
        if campaign.archived_at is not None:
            raise ShortlistError(N_("Campaign “{name}” is archived; restore it first."),
                                 name=campaign.name)
        existing = set(session.scalars(
            select(Collaboration.account_id).where(Collaboration.campaign_id == campaign_id)
        ))
        accounts = dict(session.execute(
            select(PlatformAccount.id, PlatformAccount.creator_id)
            .where(PlatformAccount.id.in_(wanted))
        ).all())
        position = session.scalar(
            select(func.max(Collaboration.position)).where(
                Collaboration.campaign_id == campaign_id,
                Collaboration.stage == Stage.SHORTLISTED.value)
        ) or 0
        prices = _latest_quotes(session, [a for a in wanted if a in accounts])
        rows: list[dict[str, object]] = []
        for account_id in wanted:
            if account_id not in accounts:
                result.unknown_accounts.append(account_id)
                continue
            if account_id in existing:
                result.already_on_campaign.append(account_id)
                continue
            position += 1
            rows.append({
                "campaign_id": campaign_id, "account_id": account_id,
                "creator_id": accounts[account_id], "stage": Stage.SHORTLISTED.value,
                "position": position, "owner": campaign.owner,
                "quoted_fee": prices.get(account_id),
                "risk_override_reason": reason if account_id in risky else None,
            })
        if not rows:
            return result
        # Core bulk inserts: a bulk shortlist of hundreds of accounts stays well under a
        # second (the ORM unit of work took ~13 ms per card).
        created = session.execute(
            insert(Collaboration).returning(Collaboration.id, Collaboration.account_id,
                                            sort_by_parameter_order=True),
            rows,
        ).all()
        session.execute(insert(StageChange), [
            {"collaboration_id": cid, "from_stage": None, "to_stage": Stage.SHORTLISTED.value,
             "changed_at": now, "changed_by": user or activity.user_of(workspace),
             "override_reason": reason if account_id in risky else None}
            for cid, account_id in created
        ])
        nicknames = dict(session.execute(select(Creator.id, Creator.nickname).where(
            Creator.id.in_({accounts[account_id] for _cid, account_id in created}))).all())
        activity.record_creates(session, "collaborations", {
            cid: nicknames.get(accounts[account_id]) for cid, account_id in created}, user=user)
        for cid, account_id in created:
            result.added.append(cid)
            result.added_accounts.append(account_id)
            if account_id in risky:
                result.overridden.append(account_id)
    return result
