"""Agency-list import speed, end to end through the command line.

1. The 50,000-row sample list (``make_agency_lists.py --large``) imported into an empty
   database with ``kol-desk import`` in a fresh process, against python-calamine alone
   reading the same file's cells in a fresh process; median of 3 each, same run.
   Target: import ≤ 3× the bare read.
2. A 5,000-row re-import of creators already in the workspace (every row a match), in a
   fresh process. Target: < 2 s.

    .venv/bin/python benchmarks/bench_import.py [--rows 50000] [--runs 3] [--small] [--json]

``--small`` (a smoke test) uses a 2,000-row list written here instead of the generator.
``main(argv)`` returns 0 when both targets are met.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO.parent / "shared" / "samples" / "make_agency_lists.py"
LARGE = "p10_large_50k.xlsx"
RATIO_TARGET = 3.0
REIMPORT_TARGET_S = 2.0

_BARE_READ = """
import sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
for name in book.sheet_names:
    book.get_sheet_by_name(name).to_python(skip_empty_area=False)
"""


def _wall(argv: list[str]) -> float:
    return _timed(argv)[0]


def _timed(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, check=True, capture_output=True, cwd=REPO, text=True)
    return time.perf_counter() - start, done.stdout


def _as_expected(summary: dict[str, Any], sidecar: Path | None) -> bool:
    """The import's counts against the generator's sidecar (the test suite checks a
    smaller cut of the same list account by account)."""
    if sidecar is None:
        return summary["problems"] == 0
    exp = json.loads(sidecar.read_text("utf-8"))
    return (summary["rows_read"] == exp["creator_rows"]
            and summary["accounts_new"] == exp["unique_creators"] and summary["problems"] == 0)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "kol_desk", *args]


def write_list(path: Path, rows: int, seed: int = 7) -> Path:
    """A list in the 50k sample's shape (mixed spellings), for the small mode and the
    re-import; written with XlsxWriter so it costs little."""
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_urls": False})
    sheet = book.add_worksheet("达人")
    sheet.write_row(0, 0, ["序号", "平台", "达人昵称", "账号ID", "粉丝数", "互动率", "报价", "领域", "城市"])
    platforms = ["抖音", "小红书", "B站", "快手", "微博"]
    for n in range(1, rows + 1):
        followers = rng.choice([f"{rng.randint(1, 900)}.{rng.randint(0, 9)}w",
                                f"{rng.randint(1, 99)}万", rng.randint(1000, 9_000_000)])
        price = rng.choice([rng.randint(5, 500) * 100, f"{rng.randint(5, 50)}00-{rng.randint(51, 99)}00",
                            "面议"])
        sheet.write_row(n, 0, [n, rng.choice(platforms), f"达人{n}号", f"bench_{seed}_{n}",
                               followers, f"{rng.uniform(0.5, 9):.1f}%", price,
                               rng.choice(["美妆", "美食", "数码"]), rng.choice(["上海", "杭州"])])
    book.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="a 2,000-row smoke run")
    parser.add_argument("--reimport-rows", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kol-bench-import-") as tmp:
        folder = Path(tmp)
        sidecar: Path | None = None
        if args.small:
            big = write_list(folder / "small.xlsx", 2000, seed=1)
        else:
            subprocess.run([sys.executable, str(GENERATOR), str(folder), "--large"], check=True,
                           capture_output=True)
            big = folder / LARGE
            sidecar = big.with_suffix(".expected.json")
        bare, ours, correct = [], [], True
        for run in range(args.runs):
            bare.append(_wall([sys.executable, "-c", _BARE_READ, str(big)]))
            seconds, out = _timed(_cli("import", str(big), "--db", str(folder / f"fresh{run}.sqlite"),
                                       "--json"))
            ours.append(seconds)
            correct = correct and _as_expected(json.loads(out)["files"][0], sidecar)
        known = write_list(folder / "known.xlsx", args.reimport_rows, seed=2)
        workspace = folder / "known.sqlite"
        _wall(_cli("import", str(known), "--db", str(workspace), "--agency", "Bench MCN"))
        reimport = [_wall(_cli("import", str(known), "--db", str(workspace), "--agency", "Bench MCN",
                               "--json")) for _ in range(args.runs)]
        check = subprocess.run(_cli("import", str(known), "--db", str(workspace), "--dry-run",
                                    "--json"), check=True, capture_output=True, text=True, cwd=REPO)
        matched = json.loads(check.stdout)["files"][0]
    figures: dict[str, Any] = {
        "rows": 2000 if args.small else 50000,
        "calamine_bare_read_s": round(statistics.median(bare), 2),
        "cli_import_s": round(statistics.median(ours), 2),
        "ratio": round(statistics.median(ours) / statistics.median(bare), 2),
        "reimport_rows": args.reimport_rows,
        "reimport_s": round(statistics.median(reimport), 2),
        "reimport_all_matched": matched["accounts_new"] == 0,
        "import_as_expected": correct,
    }
    ok = figures["ratio"] <= RATIO_TARGET and figures["reimport_s"] < REIMPORT_TARGET_S \
        and figures["reimport_all_matched"] and correct
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"import of {figures['rows']:,} rows, CLI end to end: {figures['cli_import_s']} s; "
              f"calamine bare read: {figures['calamine_bare_read_s']} s; "
              f"ratio {figures['ratio']}x (target <= {RATIO_TARGET}x); counts as expected: {correct}")
        print(f"re-import of {args.reimport_rows:,} known creators: {figures['reimport_s']} s "
              f"(target < {REIMPORT_TARGET_S} s); all matched: {figures['reimport_all_matched']}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
