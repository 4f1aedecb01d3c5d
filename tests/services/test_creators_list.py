"""The Creators list queries on the demo workspace: search paths agree, filters combine,
sorting puts unknowns last, and the value columns follow the metric formulas of kol_desk/metrics.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from kol_desk.models import Creator, PlatformAccount, Quote
from kol_desk.services import creators
from kol_desk.services.creator_edit import AccountFields, CreatorFields, add_account, create_creator
from kol_desk.services.creator_filters import CreatorFilter, search_condition
from kol_desk.services.creators import (
    QueryStopped,
    Stop,
    account_ids,
    count_accounts,
    fetch_accounts,
    fetch_accounts_by_ids,
    filter_choices,
)
from kol_desk.services.quote_prices import on_basis
from kol_desk.services.search_text import normalise_for_search
from kol_desk.store.database import Workspace


def _ids(workspace: Workspace, query: str, use_index: bool) -> set[int]:
    condition = search_condition(query, workspace.engine.dialect.name, use_index=use_index)
    assert condition is not None
    with workspace.session() as session:
        return set(session.scalars(select(Creator.id).where(condition)))


QUERIES = ["牛奶", "奶盖", "luna", "LUNA", "ｌｕｎａ", "的厨房", "测评", "只接图文", "a", "鱼", "yu", "_",
           "%", 'a"b', "no such creator"]


def test_index_and_like_give_the_same_creators(demo_workspace: Workspace) -> None:
    with demo_workspace.session() as session:
        texts = {r[0]: r[1] for r in session.execute(select(Creator.id, Creator.search_text))}
    for query in QUERIES:
        by_index = _ids(demo_workspace, query, use_index=True)
        by_like = _ids(demo_workspace, query, use_index=False)
        assert by_index == by_like, query
        needle = normalise_for_search(query)
        assert by_like == {cid for cid, text in texts.items() if needle in text}, query
    assert _ids(demo_workspace, "luna", use_index=True)


@pytest.mark.parametrize("sort", ["followers", "nickname", "quote:video"])
def test_a_search_gives_the_same_page_walking_the_sort_or_reading_the_matches_first(
        demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    """SQLite's two plans for a search (services.creators picks one per term)."""
    plans: set[str] = set()
    conditions = creators.filter_conditions

    def spy(*args: Any, **kwargs: Any) -> Any:
        plans.add(kwargs.get("search_plan", ""))
        return conditions(*args, **kwargs)

    monkeypatch.setattr(creators, "filter_conditions", spy)

    def page(query: str, by_creator: bool) -> list[int | None]:
        return [r.account_id for r in fetch_accounts(demo_workspace, 0, 40, query, sort,
                                                     by_creator=by_creator)]

    for query in ["鱼", "牛奶", "a", "yu", "_", "luna", "的厨房", "no such creator"]:
        for by_creator in (False, True):
            monkeypatch.setattr(creators, "FTS_WALK_MATCHES", 1)  # any match: walk
            monkeypatch.setattr(creators, "LIKE_WALK_CPU", 60.0)  # never gives up walking
            walked = page(query, by_creator)
            monkeypatch.setattr(creators, "FTS_WALK_MATCHES", 10**9)
            monkeypatch.setattr(creators, "LIKE_WALK_CPU", 0.0)  # stops at once
            assert page(query, by_creator) == walked, (query, by_creator)
            flt = CreatorFilter(search=query)
            assert walked == account_ids(demo_workspace, sort=sort, filters=flt,
                                         by_creator=by_creator)[:40], (query, by_creator)
    assert page("鱼", False)
    if demo_workspace.is_sqlite:
        assert {"walk", "matches"} <= plans


def test_short_and_long_queries_find_creators(demo_workspace: Workspace) -> None:
    assert count_accounts(demo_workspace, "鱼") > 0  # one character: LIKE
    assert count_accounts(demo_workspace, "luna") > 0  # FTS
    rows = fetch_accounts(demo_workspace, 0, 500, "牛奶")
    assert rows and all("牛奶" in r.nickname for r in rows)
    assert count_accounts(demo_workspace, "%") == 0


# Creators whose search texts hold LIKE's special characters, mixed case, full-width
# letters, and short terms only at their end (the last one or two characters, which no
# trigram of the index starts with).
SHORT_TEXTS = [("100%纯棉", "cotton", "纯棉"), ("a_b小店", "shop", None), ("C:\\盘", "disk", "桃"),
               ("AbC Studio", "studio", "核实"), ("ＸＹ", "xy_", "小桃"), ("小桃", "peach", None)]
SHORT_QUERIES = ["%", "_", "\\", "%纯", "a%", "__", "ab", "AB", "ｂ", "Ｙ", "xy", "y_", "棉", "桃",
                 "小桃", "实", "核实", "c:", "C", "1", "00", "0%", "z"]


def test_a_short_search_matches_literally_and_case_blind(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """1–2 characters: % _ \\ are plain characters, Latin letters match in any case or
    width, and the last characters of a search text are found as well as the others,
    whichever plan the page takes; the same creators as LIKE and as Python's ``in``."""
    for number, (nickname, handle, notes) in enumerate(SHORT_TEXTS):
        creator_id = create_creator(workspace, CreatorFields(nickname=nickname, notes=notes))
        add_account(workspace, creator_id, AccountFields("douyin", handle, followers=number))
    with workspace.session() as session:
        texts = dict(session.execute(select(Creator.id, Creator.search_text)).all())
    for query in SHORT_QUERIES:
        needle = normalise_for_search(query)
        expected = {cid for cid, text in texts.items() if needle in text}
        assert _ids(workspace, query, use_index=True) == _ids(workspace, query, use_index=False) \
            == expected, query
        pages = []
        for walk_from, walk_cpu in ((1, 60.0), (10**9, 0.0)):  # walk the sort, read the matches
            monkeypatch.setattr(creators, "FTS_WALK_MATCHES", walk_from)
            monkeypatch.setattr(creators, "LIKE_WALK_CPU", walk_cpu)
            pages.append([r.creator_id for r in fetch_accounts(workspace, 0, 10, query)])
        assert pages[0] == pages[1] == [r.creator_id for r in fetch_accounts_by_ids(
            workspace, account_ids(workspace, query))], query
        assert set(pages[0]) == expected, query
    assert {texts[cid].split("\n")[0] for cid in _ids(workspace, "%", use_index=True)} == {"100%纯棉"}
    assert {texts[cid].split("\n")[0] for cid in _ids(workspace, "AB", use_index=True)} == {"abc studio"}
    assert len(_ids(workspace, "实", use_index=True)) == 1  # only the last character of one text


def test_filters_combine(demo_workspace: Workspace) -> None:
    everyone = count_accounts(demo_workspace)
    douyin = CreatorFilter(platforms=("douyin",))
    mid = CreatorFilter(platforms=("douyin",), tiers=("mid",))
    rows = fetch_accounts(demo_workspace, 0, 1000, filters=mid)
    assert 0 < count_accounts(demo_workspace, filters=mid) < count_accounts(demo_workspace, filters=douyin) < everyone
    assert len(rows) == count_accounts(demo_workspace, filters=mid)
    assert all(r.platform == "douyin" and r.tier == "mid" and 100_000 <= (r.followers or 0) < 1_000_000
               for r in rows)
    risky = fetch_accounts(demo_workspace, 0, 1000, filters=CreatorFilter(risk="risky"))
    assert risky and all(r.blacklisted or r.risk_level != "none" for r in risky)
    never = CreatorFilter(never_worked_with=True)
    assert all(r.last_collaboration is None for r in fetch_accounts(demo_workspace, 0, 1000, filters=never))
    tagged = CreatorFilter(tags=("测评",), search="小")
    found = fetch_accounts(demo_workspace, 0, 1000, filters=tagged)
    with demo_workspace.session() as session:
        shown = {c.id: (c.search_text, {t.tag for t in c.tags}) for c in session.scalars(
            select(Creator).where(Creator.id.in_({r.creator_id for r in found})))}
    # "小" may be in the nickname, a handle, the notes or a tag: what the search covers
    assert found and all("小" in text and "测评" in tags for text, tags in shown.values())
    assert count_accounts(demo_workspace, filters=tagged) < count_accounts(demo_workspace, filters=CreatorFilter(tags=("测评",)))
    choices = filter_choices(demo_workspace)
    assert "美妆" in choices.categories and len(choices.agencies) == 5


def test_price_filter_uses_the_latest_quote(demo_workspace: Workspace) -> None:
    flt = CreatorFilter(price_min=Decimal("5000"), price_max=Decimal("20000"))
    rows = fetch_accounts(demo_workspace, 0, 1000, filters=flt)
    assert rows
    for row in rows:
        assert any(low <= Decimal("20000") and (high is None or high >= Decimal("5000"))
                   for low, high in row.latest_quotes.values())


def test_sorting_keeps_unknowns_last_and_values_follow_the_formulas(demo_workspace: Workspace) -> None:
    for key in ("nickname", "platform", "handle", "followers", "tier", "engagement_rate", "category",
                "city", "agency", "rating", "risk", "latest_quote", "quote:video", "expected_cpe",
                "last_collaboration"):
        for descending in (False, True):
            assert len(fetch_accounts(demo_workspace, 0, 50, sort=key, descending=descending)) == 50
    rows = fetch_accounts(demo_workspace, 0, 1000, sort="expected_cpe", descending=False)
    values = [r.expected_cpe for r in rows]
    known = [v for v in values if v is not None]
    assert known == sorted(known) and values[: len(known)] == known
    for row in rows:
        if row.latest_quote is not None and row.avg_engagements:
            assert row.expected_cpe == row.latest_quote / row.avg_engagements
    agencies = [r.agency for r in fetch_accounts(demo_workspace, 0, 1000, sort="agency", descending=True)]
    assert agencies[-1] is None and agencies[0] is not None


def test_latest_quote_is_the_newest_priced_one(demo_workspace: Workspace) -> None:
    row = fetch_accounts(demo_workspace, 0, 1)[0]
    with demo_workspace.session() as session:
        newest = session.execute(
            select(Quote.deliverable, Quote.price_min, Quote.price_max, Quote.tax_included).where(
                Quote.account_id == row.account_id, Quote.price_unknown.is_(False))
            .order_by(Quote.quoted_on.desc(), Quote.id.desc()).limit(1)).one()
    assert row.latest_quote_deliverable == newest[0]
    # on the one tax basis: a tax-exclusive quote shows with its VAT
    assert row.latest_price == on_basis(newest[1], newest[2], newest[3])
    assert row.latest_quotes[newest[0]][0] == on_basis(newest[1], newest[2], newest[3]).low  # type: ignore[union-attr]


def test_creator_mode_has_one_row_per_creator(demo_workspace: Workspace) -> None:
    with demo_workspace.session() as session:
        creators = session.scalar(select(func.count()).select_from(Creator))
        accounts = session.scalar(select(func.count()).select_from(PlatformAccount))
    assert count_accounts(demo_workspace, by_creator=True) == creators == 300
    assert count_accounts(demo_workspace) == accounts
    rows = fetch_accounts(demo_workspace, 0, 1000, by_creator=True)
    assert len({r.creator_id for r in rows}) == 300
    several = [r for r in rows if len(r.platforms) > 1]
    assert several and all(r.platform == r.platforms[0] for r in several)
    xhs = CreatorFilter(platforms=("xiaohongshu",))
    assert count_accounts(demo_workspace, filters=xhs, by_creator=True) <= count_accounts(demo_workspace, filters=xhs)


def test_rating_shows_sorts_and_filters(demo_workspace: Workspace) -> None:
    from sqlalchemy import update

    with demo_workspace.transaction() as session:
        session.execute(update(Creator).values(rating=None))
        for creator_id, rating in ((1, 4.5), (2, 3.0), (3, 4.9)):
            session.execute(update(Creator).where(Creator.id == creator_id).values(rating=rating))
    rows = fetch_accounts(demo_workspace, 0, 1000, sort="rating", descending=True, by_creator=True)
    assert [r.rating for r in rows[:3]] == [4.9, 4.5, 3.0] and rows[3].rating is None
    ascending = fetch_accounts(demo_workspace, 0, 5, sort="rating", descending=False, by_creator=True)
    assert [r.rating for r in ascending[:3]] == [3.0, 4.5, 4.9]
    assert count_accounts(demo_workspace, filters=CreatorFilter(rating_min=4.0), by_creator=True) == 2


@pytest.mark.parametrize("aggregate", ["as this SQLite orders it", "numbered"])
def test_the_id_list_is_the_paged_order_and_its_length_the_count(
        demo_workspace: Workspace, aggregate: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table pages by id: the ids must list exactly the rows the OFFSET pages give, in
    the same order, for every sort, direction, filter and mode. The first case is the
    proof behind ORDERED_AGGREGATE (where this SQLite is listed); the second is the path
    of every other release."""
    if aggregate == "numbered":
        monkeypatch.setattr(creators, "ORDERED_AGGREGATE", frozenset())
    cases = [
        ("followers", True, CreatorFilter(), False),
        ("followers", False, CreatorFilter(), False),
        ("nickname", False, CreatorFilter(search="小"), False),
        ("engagement_rate", True, CreatorFilter(platforms=("douyin",)), False),
        ("rating", False, CreatorFilter(), True),
        ("agency", True, CreatorFilter(search="luna"), False),
        ("expected_cpe", False, CreatorFilter(risk="risky"), True),
        ("followers", True, CreatorFilter(search="zzzz没有这个人"), False),
    ]
    for sort, descending, flt, by_creator in cases:
        ids = account_ids(demo_workspace, sort=sort, descending=descending, filters=flt,
                          by_creator=by_creator)
        paged = fetch_accounts(demo_workspace, 0, 1000, sort=sort, descending=descending,
                               filters=flt, by_creator=by_creator)
        assert ids == [r.account_id for r in paged], (sort, descending, flt, by_creator)
        assert len(ids) == count_accounts(demo_workspace, filters=flt, by_creator=by_creator)
        # Any page, fetched by its ids, is the same rows as the OFFSET page.
        assert fetch_accounts_by_ids(demo_workspace, ids[-7:], by_creator=by_creator) == paged[-7:]
    assert fetch_accounts_by_ids(demo_workspace, []) == []
    assert fetch_accounts_by_ids(demo_workspace, [-1]) == []  # gone since: left out


def test_a_stopped_list_query_raises_and_leaves_the_workspace_usable(demo_workspace: Workspace) -> None:
    stop = Stop()
    assert account_ids(demo_workspace, stop=stop)  # not stopped: the whole list
    stop.stop()  # a newer query came: what this one still runs is wasted
    with pytest.raises(QueryStopped):
        account_ids(demo_workspace, stop=stop)
    with pytest.raises(QueryStopped):
        fetch_accounts(demo_workspace, 0, 10, stop=stop)
    assert len(fetch_accounts(demo_workspace, 0, 10)) == 10


def test_the_id_list_follows_row_number_not_the_aggregates_order() -> None:
    # SQLite does not promise group_concat's order: the places put the ids back in order
    assert creators._in_place_order("30,10,20", "3,1,2") == [10, 20, 30]
    assert creators._in_place_order("10,20,30", "1,2,3") == [10, 20, 30]
    assert creators._in_place_order(None, None) == []
