"""Compare a ParsedFile with a sample's expected.json sidecar (shared by several tests)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kol_desk.importing import ParsedFile, ParsedRow, Price


def price_json(price: Price | None) -> object:
    """A Price in the sidecar's notation: a number, {"min", "max"}, or None for unknown."""
    if price is None or price.unknown:
        return None
    if price.min == price.max:
        return price.min
    return {"min": price.min, "max": price.max}


def same_number(got: Decimal | int | None, want: float | int | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(float(got) - float(want)) < 1e-9


def expand_ranges(text: str) -> list[int]:
    out: list[int] = []
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def check_values(row: ParsedRow, want: dict[str, Any], where: str) -> None:
    assert row.platform == want["platform"], where
    assert row.handle == want["handle"], where
    assert row.nickname == want["nickname"], where
    assert row.followers == want["followers"], where
    assert same_number(row.engagement_rate, want["engagement_rate"]), (
        where, row.engagement_rate, want["engagement_rate"])
    assert price_json(row.primary_price) == want["price"], (where, row.primary_price)
    if want["price"] is not None:
        assert row.price_currency == want["price_currency"], where
    assert row.category == want["category"], where


def check_file(parsed: ParsedFile, exp: dict[str, Any]) -> None:
    rows = parsed.rows
    by_pos = {(r.sheet, r.row): r for r in rows}
    assert len(rows) == exp["creator_rows"]
    assert sum(1 for r in rows if not r.hidden) == exp["visible_creator_rows"]
    assert len({(r.platform, r.handle) for r in rows}) == exp["unique_creators"]
    agg = exp["aggregates"]
    followers = [r.followers for r in rows if r.followers is not None]
    assert len(followers) == agg["followers_known"]
    assert sum(followers) == agg["followers_sum"]
    assert sum(1 for r in rows if r.engagement_rate is not None) == agg["engagement_rate_known"]
    known = sum(1 for r in rows if price_json(r.primary_price) is not None)
    assert known == agg["price_known"]
    assert len(rows) - known == agg["price_unknown"]

    sheets = {s.name: s for s in parsed.sheets}
    for want in exp["sheets"]:
        got = sheets[want["name"]]
        if want["kind"] != "creators":
            assert got.rows == [], want["name"]
            continue
        assert got.header_row == want["header_rows"][-1], want["name"]
        assert [r.row for r in got.rows] == expand_ranges(want["creator_row_numbers"])
        assert [r.row for r in got.rows if r.hidden] == want["hidden_creator_rows"]
        if want.get("category_source"):
            assert got.category_source == want["category_source"]

    for want in exp["sample_rows"]:
        where = f"{want['sheet']}!{want['row']}"
        row = by_pos[(want["sheet"], want["row"])]
        check_values(row, want, where)
        assert row.hidden == want["hidden"], where
        extra = want.get("extra", {})
        if "link" in extra:
            assert row.profile_url == extra["link"], where
        if "city" in extra:
            assert row.city == extra["city"], where
        if "schedule" in extra:
            got_date = row.schedule.isoformat() if row.schedule else None
            assert got_date == extra["schedule"], where
        for key in ("avg_interactions", "avg_views"):
            if key in extra:
                assert getattr(row, key) == extra[key], (where, key)
        if "price_by_column" in extra:
            for header, value in extra["price_by_column"].items():
                assert price_json(row.price_by_column.get(header)) == value, (where, header)

    accounts: dict[tuple[str | None, str], list[ParsedRow]] = {}
    for r in rows:
        accounts.setdefault((r.platform, r.handle), []).append(r)
    order = list(accounts)
    for index, want in enumerate(exp["accounts"]):
        key = (want["platform"], want["handle"])
        assert order[index] == key, (index, key)
        group = accounts[key]
        where = f"account {key}"
        assert (group[0].sheet, group[0].row) == (want["sheet"], want["row"]), where
        check_values(group[0], want, where)
        assert (len(group) > 1) == want["duplicate"], where
        if want["duplicate"]:
            assert [{"sheet": r.sheet, "row": r.row} for r in group] == want["rows"], where
