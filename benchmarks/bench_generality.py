"""How often the agency-list import gets each kind of fact right, on lists it has never seen.

    .venv/bin/python -m benchmarks.bench_generality [--lists 200] [--seed 1] [--json] [--worst 5]

Prints the share of facts read right per kind (rows found, platform, handle, nickname,
followers, engagement rate, each price with its deliverable, category, city) over
``--lists`` lists from ``benchmarks.list_generator`` (seeds seed..seed+n-1), and the same
over the shared samples' sidecars (``../shared/samples/agency_lists``) when present.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.list_generator import CreatorFacts, generate
from kol_desk.importing import ParsedFile, ParsedRow, Price, parse_file
from kol_desk.importing.vocabulary import Field, default_deliverable, price_channel
from kol_desk.services.import_plan import quote_channel

SAMPLES = Path(os.environ.get("KOL_DESK_SAMPLES")
               or Path(__file__).resolve().parents[2] / "shared" / "samples" / "agency_lists")
KINDS = ("rows", "platform", "handle", "nickname", "followers", "engagement_rate", "price",
         "category", "city", "discount", "channel")


class Tally:
    """Right and total counts per fact kind, and which lists lost which facts."""

    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.misses: dict[str, list[str]] = {}

    def add(self, kind: str, ok: bool, where: str) -> None:
        self.total[kind] += 1
        if ok:
            self.right[kind] += 1
        else:
            self.misses.setdefault(kind, []).append(where)

    def accuracy(self, kind: str) -> float | None:
        return self.right[kind] / self.total[kind] if self.total[kind] else None

    def overall(self) -> float:
        total = sum(self.total.values())
        return sum(self.right.values()) / total if total else 1.0


def _amount(price: Price | None) -> tuple[Decimal | None, Decimal | None] | None:
    if price is None:
        return None
    return (price.min, price.max)


def score_generated(parsed: ParsedFile, facts: list[CreatorFacts], tally: Tally, name: str) -> None:
    # a row of a wide list holds one account per platform: rows are found by platform too
    by_pos = {(r.sheet, r.row, r.platform): r for r in parsed.rows}
    by_cell: dict[tuple[str, int], list[ParsedRow]] = {}
    for r in parsed.rows:
        by_cell.setdefault((r.sheet, r.row), []).append(r)
    deliverables = {(s.name, m.header): m.deliverable for s in parsed.sheets for m in s.mapping
                    if m.field is Field.PRICE}
    expected = {(f.sheet, f.row) for f in facts}
    extra = [k for k in by_cell if k not in expected]
    tally.add("rows", not extra, f"{name}: extra rows {extra[:3]}")
    for f in facts:
        where = f"{name} {f.sheet}!{f.row}"
        found = by_cell.get((f.sheet, f.row), [])
        row = by_pos.get((f.sheet, f.row, f.platform)) or (found[0] if found else None)
        tally.add("rows", row is not None, where)
        if row is None:
            continue
        tally.add("platform", row.platform == f.platform, f"{where}: {row.platform} ≠ {f.platform}")
        tally.add("handle", row.handle == f.handle, f"{where}: {row.handle!r} ≠ {f.handle!r}")
        tally.add("nickname", row.nickname == f.nickname, f"{where}: {row.nickname!r} ≠ {f.nickname!r}")
        if f.followers is not None:
            tally.add("followers", row.followers == f.followers,
                      f"{where}: {row.followers} ≠ {f.followers}")
        if f.engagement_rate is not None:
            tally.add("engagement_rate", row.engagement_rate == f.engagement_rate,
                      f"{where}: {row.engagement_rate} ≠ {f.engagement_rate}")
        for deliverable, amount in f.prices.items():
            got = _amount(row.prices.get(deliverable))
            tally.add("price", got == amount, f"{where} {deliverable}: {got} ≠ {amount}")
        if f.category is not None:
            tally.add("category", row.category == f.category, f"{where}: {row.category!r}")
        if f.city is not None:
            tally.add("city", row.city == f.city, f"{where}: {row.city!r}")
        if f.discount is not None:
            tally.add("discount", row.discount == f.discount, f"{where}: {row.discount} ≠ {f.discount}")
        # each price priced for a channel (报备 / 非报备) is that channel's quote, as the
        # merge plan makes it (services.import_plan)
        quotes = {(deliverables.get((row.sheet, header)) or default_deliverable(row.platform),
                   quote_channel(price_channel(header), row.platform), _amount(price))
                  for header, price in row.price_by_column.items()}
        for deliverable, channel, amount in f.quotes:
            if channel is not None:
                tally.add("channel", (deliverable, channel, amount) in quotes,
                          f"{where} {deliverable} {channel} {amount}: {sorted(map(str, quotes))}")


def run_generated(lists: int, seed: int, folder: Path) -> Tally:
    tally = Tally()
    for s in range(seed, seed + lists):
        case = generate(s)
        path = case.write(folder)
        score_generated(parse_file(path, default_year=2027), case.facts, tally, path.name)
    return tally


def _sample_price(price: Price | None) -> object:
    if price is None or price.unknown:
        return None
    if price.min == price.max:
        return float(price.min) if price.min is not None else None
    return {"min": float(price.min or 0), "max": float(price.max) if price.max else None}


def _want_price(value: Any) -> object:
    if isinstance(value, dict):
        return {"min": float(value["min"]), "max": float(value["max"]) if value["max"] else None}
    return None if value is None else float(value)


def _score_sample_row(row: ParsedRow | None, want: dict[str, Any], tally: Tally, where: str) -> None:
    tally.add("rows", row is not None, where)
    if row is None:
        return
    rate = float(row.engagement_rate) if row.engagement_rate is not None else None
    want_rate = want.get("engagement_rate")
    checks = {
        "platform": row.platform == want["platform"], "handle": row.handle == want["handle"],
        "nickname": row.nickname == want["nickname"], "followers": row.followers == want["followers"],
        "engagement_rate": (rate is None and want_rate is None) or (
            rate is not None and want_rate is not None and abs(rate - want_rate) < 1e-9),
        "price": _sample_price(row.primary_price) == _want_price(want["price"]),
        "category": row.category == want["category"],
    }
    for kind, ok in checks.items():
        tally.add(kind, ok, where)
    if "city" in want.get("extra", {}):
        tally.add("city", row.city == want["extra"]["city"], where)


def run_samples(folder: Path = SAMPLES) -> Tally | None:
    if not folder.is_dir():
        return None
    tally = Tally()
    for sidecar in sorted(folder.glob("*.expected.json")):
        exp = json.loads(sidecar.read_text("utf-8"))
        path = sidecar.with_name(sidecar.name.replace(".expected.json", ".xlsx"))
        if exp.get("expect_error") or not path.exists():
            continue
        parsed = parse_file(path)
        by_pos = {(r.sheet, r.row): r for r in parsed.rows}
        tally.add("rows", len(parsed.rows) == exp["creator_rows"], f"{path.name}: row count")
        for want in [*exp["sample_rows"], *exp["accounts"]]:
            where = f"{path.name} {want['sheet']}!{want['row']}"
            _score_sample_row(by_pos.get((want["sheet"], want["row"])), want, tally, where)
    return tally


def _table(title: str, tally: Tally) -> list[str]:
    lines = [title]
    for kind in KINDS:
        acc = tally.accuracy(kind)
        if acc is not None:
            lines.append(f"  {kind:<16} {acc:7.2%}  ({tally.right[kind]}/{tally.total[kind]})")
    lines.append(f"  {'all facts':<16} {tally.overall():7.2%}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lists", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worst", type=int, default=0, help="print this many misses per kind")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        generated = run_generated(args.lists, args.seed, Path(tmp))
    samples = run_samples()
    if args.json:
        out = {"generated": {k: generated.accuracy(k) for k in KINDS},
               "samples": {k: samples.accuracy(k) for k in KINDS} if samples else None}
        print(json.dumps(out))
        return 0
    print("\n".join(_table(f"generated lists ({args.lists}, seeds {args.seed}..)", generated)))
    if samples is not None:
        print("\n".join(_table("shared samples", samples)))
    for kind, misses in generated.misses.items():
        for miss in misses[: args.worst]:
            print(f"miss {kind}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
