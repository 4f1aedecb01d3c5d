"""Recording a negotiation: counter-offers and agreed prices are quote history with their
deliverable, and an agreed price can become the card's fee in the same write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kol_desk.errors import BadInputError
from kol_desk.models import Collaboration, Quote
from kol_desk.services.collaboration import DeliverableLine, add_counter_offer, set_deliverables
from kol_desk.services.negotiation import AGREED, COUNTER, open_cards, record_price
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account, make_campaign

D = Decimal
DAY = date(2026, 11, 20)


def _quotes(ws: Workspace, account: int) -> list[tuple[str, Decimal | None, str, str | None, int | None]]:
    with ws.session() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(Quote.deliverable, Quote.price_min, Quote.source_kind, Quote.notes, Quote.collaboration_id)
            .where(Quote.account_id == account, Quote.source_kind == "negotiation").order_by(Quote.id))]


def test_counter_offer_and_agreed_price_become_quote_history_and_the_card_fee(workspace: Workspace) -> None:
    account = make_account(workspace, "Alice")
    card = add_to_campaign(workspace, make_campaign(workspace), [account]).added[0]
    assert [c.id for c in open_cards(workspace, account)] == [card]
    record_price(workspace, account, "image_post", D("6500"), COUNTER, DAY, collaboration_id=card)
    record_price(workspace, account, "image_post", D("7000"), AGREED, DAY, collaboration_id=card,
                 set_card_fee=True, notes="two posts")
    assert _quotes(workspace, account) == [
        ("image_post", D("6500.00"), "negotiation", "counter-offer", card),
        ("image_post", D("7000.00"), "negotiation", "agreed · two posts", card)]
    with workspace.session() as s:
        collab = s.get(Collaboration, card)
        assert collab is not None and (collab.agreed_fee, collab.net_fee) == (D("7000.00"), D("7000.00"))


def test_a_price_in_another_currency_than_the_card_is_refused_whole(workspace: Workspace) -> None:
    account = make_account(workspace, "Bob")
    card = add_to_campaign(workspace, make_campaign(workspace), [account]).added[0]
    with workspace.session() as s:
        before = s.scalar(select(func.count()).select_from(Quote))
    with pytest.raises(BadInputError, match="currencies"):
        record_price(workspace, account, "video", D("900"), AGREED, DAY, currency="USD",
                     collaboration_id=card, set_card_fee=True)
    with pytest.raises(BadInputError):
        record_price(workspace, account, "video", D("0"), COUNTER, DAY)
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(Quote)) == before
        assert s.scalar(select(Collaboration.agreed_fee).where(Collaboration.id == card)) is None


def test_a_card_counter_offer_keeps_the_cards_deliverable(workspace: Workspace) -> None:
    account = make_account(workspace, "Cleo")
    card = add_to_campaign(workspace, make_campaign(workspace), [account]).added[0]
    set_deliverables(workspace, card, [DeliverableLine("live")])
    add_counter_offer(workspace, card, D("5000"), DAY)
    assert _quotes(workspace, account)[0][0] == "live"


def test_a_recorded_price_keeps_its_discount_and_channel(workspace: Workspace) -> None:
    account = make_account(workspace, "Cleo")
    record_price(workspace, account, "video", D("9000"), COUNTER, DAY, discount_pct=10.0,
                 channel="xingtu")
    record_price(workspace, account, "video", D("8000"), COUNTER, DAY)
    with workspace.session() as s:
        assert s.execute(select(Quote.discount_pct, Quote.channel).where(
            Quote.account_id == account, Quote.source_kind == "negotiation").order_by(Quote.id)).all() \
            == [(10.0, "xingtu"), (None, None)]
    with pytest.raises(BadInputError, match="discount"):
        record_price(workspace, account, "video", D("9000"), COUNTER, DAY, discount_pct=100.0)
    with pytest.raises(BadInputError, match="channel"):
        record_price(workspace, account, "video", D("9000"), COUNTER, DAY, channel="taobao")
