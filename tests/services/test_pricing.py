"""The negotiation desk's facts on a small workspace whose answer is known, and the
backtest's honesty and quality on the demo and on a generated history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from benchmarks.pricing_history import generate
from kol_desk.models import Agency, Creator, PlatformAccount, Quote
from kol_desk.services.pricing import find_account, negotiation_facts
from kol_desk.services.pricing_backtest import run_backtest
from kol_desk.store.database import Workspace
from kol_desk.store.migrate import open_workspace

D = Decimal
TODAY = date(2026, 11, 20)


def _account(ws: Workspace, handle: str, followers: int, category: str,
             quotes: list[tuple[str | None, str, dict[str, object]]], platform: str = "douyin") -> int:
    with ws.transaction() as s:
        creator = Creator(nickname=handle, category=category, search_text=handle)
        account = PlatformAccount(platform=platform, handle=handle, handle_display=handle,
                                  nickname=handle, followers=followers)
        creator.accounts.append(account)
        s.add(creator)
        s.flush()
        for agency, amount, extra in quotes:
            agency_id = None
            if agency is not None:
                found = s.query(Agency).filter_by(name=agency).one_or_none() or Agency(name=agency)
                s.add(found)
                s.flush()
                agency_id = found.id
            s.add(Quote(account_id=account.id, deliverable="video", price_min=D(amount), price_max=D(amount),
                        quoted_on=date(2026, 9, 1), agency_id=agency_id, **extra))
        return account.id


@pytest.fixture
def desk(workspace: Workspace) -> Workspace:
    _account(workspace, "alice", 200_000, "美妆", [
        ("星耀", "10000", {"rebate_pct": 10.0}), ("青柚", "9000", {"service_fee": D("500")}),
        ("青柚", "7000", {"currency": "USD"})])
    for n, followers in enumerate((110_000, 150_000, 180_000, 220_000, 260_000, 300_000, 350_000, 390_000)):
        _account(workspace, f"peer{n}", followers, "美妆", [(None, str(4000 + 1000 * n), {})])
    _account(workspace, "car", 200_000, "汽车", [("星耀", "12000", {})])
    _account(workspace, "lonely", 50_000, "美食", [], platform="weibo")
    return workspace


def test_routes_compare_net_cost_per_agency_cheapest_first(desk: Workspace) -> None:
    facts = negotiation_facts(desk, find_account(desk, "douyin:@Alice"), "video", today=TODAY)
    assert [(r.source, r.price, r.net) for r in facts.routes] == [
        ("星耀", D("10000.00"), D("9000.00")), ("青柚", D("9000.00"), D("9500.00"))]
    assert facts.currency == "CNY" and facts.left_out_currency == 1  # the USD quote, not mixed in
    assert facts.price == D("9000.00")  # the cheapest latest quote is the one on the table
    assert sorted((h.source, h.net) for h in facts.history) == [("星耀", D("9000.00")), ("青柚", D("9500.00"))]


def test_quotes_compare_on_one_tax_basis_after_their_discount_through_their_channel(desk: Workspace) -> None:
    from kol_desk.domain import Channel
    from kol_desk.services.deal_cost import set_platform_fee_rates

    set_platform_fee_rates(desk, {Channel.XINGTU: D("5")})
    bob = _account(desk, "bob", 200_000, "美妆", [
        ("直签", "10000", {"channel": "direct"}),  # direct (水下): no platform fee
        ("报备", "10000", {"channel": "xingtu"}),  # a Xingtu order: + 5 % platform fee
        ("不含税", "10000", {"tax_included": False}),  # + 6 % VAT to the tax-included basis
        ("九折", "10000", {"discount_pct": 10.0}),  # 九折: 10 % off
    ])
    facts = negotiation_facts(desk, bob, "video", today=TODAY)
    assert [(r.source, r.price, r.platform_fee, r.net) for r in facts.routes] == [
        ("九折", D("9000.00"), D("0.00"), D("9000.00")),
        ("直签", D("10000.00"), D("0.00"), D("10000.00")),
        ("报备", D("10000.00"), D("500.00"), D("10500.00")),
        ("不含税", D("10600.00"), D("0.00"), D("10600.00")),
    ]
    assert facts.price == D("9000.00")
    # The model's own prices are on the same basis: the tax-exclusive quote counts 10,600.
    assert sorted(h.amount for h in facts.history) == [D("9000.00"), D("10000.00"), D("10000.00"), D("10600.00")]


def test_an_agreed_fee_without_tax_counts_with_its_tax_as_evidence(desk: Workspace) -> None:
    from kol_desk.services.collaboration import update_card
    from kol_desk.services.pricing import _points
    from kol_desk.services.shortlist import add_to_campaign
    from tests.campaign_factory import make_campaign

    alice = find_account(desk, "douyin:alice")
    card = add_to_campaign(desk, make_campaign(desk, start_date=date(2026, 10, 1)), [alice]).added[0]
    update_card(desk, card, {"agreed_fee": D("8000"), "tax_included": False, "tax_rate": 0.06})
    with desk.session() as s:
        agreed = [p for _a, p, _c in _points(s, [alice], "video") if p.kind == "agreed"]
    assert [p.amount for p in agreed] == [D("8480.00")]


def test_comparables_and_estimate_with_their_evidence(desk: Workspace) -> None:
    facts = negotiation_facts(desk, find_account(desk, "douyin:alice"), "video", today=TODAY)
    peers = facts.peers
    assert peers.step.key == "tier_category_band" and not peers.widened
    assert peers.count == 8  # 110k–390k: within ×2 of 200k and of the same tier
    assert peers.q1 is not None and peers.median is not None and peers.q3 is not None
    assert peers.q1 <= peers.median <= peers.q3
    e = facts.estimate
    assert e is not None and e.ask < e.target < e.walk_away
    assert (e.own_quotes, e.peers) == (2, 8)
    assert "2 source(s)" in facts.reason and "8 comparables" in facts.reason
    assert "same tier and category" in facts.evidence
    assert "another currency" in facts.evidence


def test_too_few_comparables_widens_and_says_so(desk: Workspace) -> None:
    facts = negotiation_facts(desk, find_account(desk, "douyin:car"), "video", today=TODAY)
    assert facts.peers.widened and facts.peers.step.key == "tier_band"
    assert "too few in the same category" in facts.evidence


def test_not_enough_data_is_said_plainly(desk: Workspace) -> None:
    facts = negotiation_facts(desk, find_account(desk, "weibo:lonely"), "video", today=TODAY)
    assert facts.estimate is None and facts.routes == []
    assert facts.reason.startswith("Not enough data")


def test_without_a_follower_count_only_its_own_prices_count(desk: Workspace) -> None:
    with desk.transaction() as s:
        account = s.get(PlatformAccount, find_account(desk, "douyin:alice"))
        assert account is not None
        account.followers = None
    facts = negotiation_facts(desk, find_account(desk, "douyin:alice"), "video", today=TODAY)
    e = facts.estimate
    assert e is not None and (e.own_quotes, e.peers, e.peer_level) == (2, 0, None)
    assert "comparables" not in facts.reason


def test_backtest_beats_both_naive_guesses_on_the_demo(demo_workspace: Workspace) -> None:
    result = run_backtest(demo_workspace)
    assert result.n >= 30
    assert result.mape is not None and result.latest_quote is not None and result.peer_median is not None
    assert result.mape < result.latest_quote and result.mape < result.peer_median


def test_backtest_beats_both_naive_guesses_on_a_structured_history(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    generate(path, creators=600, seed=3)
    ws = open_workspace(path)
    try:
        result = run_backtest(ws)
    finally:
        ws.dispose()
    assert result.n >= 200
    assert result.mape is not None and result.latest_quote is not None and result.peer_median is not None
    assert result.mape < result.latest_quote and result.mape < result.peer_median


def test_backtest_uses_only_what_was_known_before_each_deal(desk: Workspace) -> None:
    from kol_desk.models import Campaign, Collaboration

    alice = find_account(desk, "douyin:alice")
    with desk.transaction() as s:
        campaign = Campaign(name="Autumn", start_date=date(2026, 10, 1), currency="CNY")
        s.add(campaign)
        s.flush()
        creator_id = s.get(PlatformAccount, alice).creator_id  # type: ignore[union-attr]
        s.add(Collaboration(campaign_id=campaign.id, account_id=alice, creator_id=creator_id,
                            quoted_fee=D("9500"), agreed_fee=D("8800")))
    before = run_backtest(desk)
    assert before.n == 1
    # Prices named after the deal's date, ten times higher, change nothing.
    with desk.transaction() as s:
        for account in s.scalars(select(PlatformAccount.id)):
            s.add(Quote(account_id=account, deliverable="video", price_min=D("99000"), price_max=D("99000"),
                        quoted_on=date(2026, 10, 2)))
    assert run_backtest(desk) == before
