"""Recording what happened in a negotiation: a counter-offer or an agreed price goes into
the account's quote history (source "negotiation", its deliverable kept), and an agreed
price can become a card's fee in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from kol_desk.domain import Channel, QuoteSource, Stage
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.models import Campaign, Collaboration, Quote
from kol_desk.store.database import Workspace

COUNTER = "counter"
AGREED = "agreed"
NOTE = {COUNTER: "counter-offer", AGREED: "agreed"}


@dataclass(frozen=True)
class OpenCard:
    """A card of this account that is still being negotiated or signed."""

    id: int
    campaign: str
    currency: str
    stage: str
    agreed_fee: Decimal | None


def open_cards(workspace: Workspace, account_id: int) -> list[OpenCard]:
    with workspace.session() as s:
        return [OpenCard(*row) for row in s.execute(
            select(Collaboration.id, Campaign.name, Campaign.currency, Collaboration.stage,
                   Collaboration.agreed_fee)
            .join(Campaign, Campaign.id == Collaboration.campaign_id)
            .where(Collaboration.account_id == account_id, Campaign.archived_at.is_(None),
                   Collaboration.stage.in_([Stage.SHORTLISTED.value, Stage.CONTACTED.value,
                                            Stage.NEGOTIATING.value, Stage.CONTRACTED.value]))
            .order_by(Collaboration.id.desc()))]


def record_price(workspace: Workspace, account_id: int, deliverable: str, amount: Decimal, kind: str,
                 on: date, *, currency: str = "CNY", collaboration_id: int | None = None,
                 set_card_fee: bool = False, notes: str | None = None,
                 discount_pct: float | None = None, channel: str | None = None) -> int:
    """Keep the price as a quote, with its discount (percent off) and channel when
    stated; with ``set_card_fee``, the card's agreed fee becomes it too (one
    transaction). Returns the quote's id."""
    if kind not in NOTE:
        raise BadInputError(N_("Unknown kind of price: {kind}."), kind=kind)
    if amount <= 0:
        raise BadInputError(tr("A price must be above zero."))
    if discount_pct is not None and not 0 <= discount_pct < 100:
        raise BadInputError(tr("A discount is between 0 and 100 percent."))
    if channel is not None and channel not in {c.value for c in Channel}:
        raise BadInputError(N_("Unknown channel: {channel}."), channel=channel)
    with workspace.transaction() as s:
        collab = s.get(Collaboration, collaboration_id) if collaboration_id is not None else None
        if collaboration_id is not None and (collab is None or collab.account_id != account_id):
            raise BadInputError(tr("That card is no longer this account's; refresh."))
        if collab is not None:
            card_currency = s.scalar(select(Campaign.currency).where(Campaign.id == collab.campaign_id))
            if card_currency != currency:
                raise BadInputError(tr("The card's campaign is in {theirs}, the price in {mine}: "
                                       "currencies are never mixed.", theirs=card_currency, mine=currency))
        quote = Quote(account_id=account_id, deliverable=deliverable, price_min=amount, price_max=amount,
                      currency=currency, source_kind=QuoteSource.NEGOTIATION.value,
                      collaboration_id=collaboration_id, quoted_on=on,
                      discount_pct=discount_pct or None, channel=channel,
                      notes=" · ".join(x for x in (NOTE[kind], notes) if x))
        s.add(quote)
        if set_card_fee and collab is not None:
            collab.agreed_fee = amount
        s.flush()
        return quote.id
