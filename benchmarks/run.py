"""``python -m benchmarks [--quick]``: KOL Desk's speed at real sizes, side by side with
the best a user could use instead, measured in the same run.

Builds its data once into benchmarks/data/ (see dataset.py), then runs every case in a
fresh process ``--repeat`` times, alternating with its reference, and prints per case
the median time, the median CPU time, the peak memory of the process (``ru_maxrss`` from
``wait4``) and the ratio to the reference or to the target. Results also go to
benchmarks/results/latest.json and latest.md (the README's figures table).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import kol_desk
from benchmarks.dataset import FULL, QUICK, REPO, Dataset, build

RESULTS = REPO / "benchmarks" / "results"
PY = sys.executable
CHILD = [PY, "-m", "benchmarks.child"]
SEARCH_LABELS = {"zh1": "鱼", "zh2": "桃子", "zh3": "小桃子", "zh6": "叫我栗子学姐",
                 "latin1": "l", "latin2": "yu", "latin3": "lun", "latin6": "luna12"}


@dataclass
class Run:
    wall: float  # seconds, spawn to exit
    cpu: float  # user + system seconds of the child
    peak_mb: float
    payload: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    @property
    def seconds(self) -> float:
        return float(self.payload.get("seconds", self.wall))

    def part(self, key: str) -> float:
        return float(self.payload.get("parts", {}).get(key, float("nan")))


def measure(argv: list[str], timeout: float = 900) -> Run:
    """Run ``argv`` in a fresh process with its own data and config folders."""
    with tempfile.TemporaryDirectory(prefix="kolbench-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KOL_DESK_DATA_DIR=f"{tmp}/data",
                   KOL_DESK_CONFIG_DIR=f"{tmp}/config", PYTHONPATH=str(REPO))
        env.pop("MPLBACKEND", None)
        argv = [a.replace("{t0}", repr(time.time())) for a in argv]
        out, err = Path(tmp, "out"), Path(tmp, "err")
        start = time.perf_counter()
        with out.open("wb") as stdout, err.open("wb") as stderr:
            child = subprocess.Popen(argv, cwd=REPO, env=env, stdout=stdout, stderr=stderr)
            deadline = start + timeout
            while True:  # wait4 gives this child's own rusage, not all children's
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    child.kill()
                    pid, status, usage = os.wait4(child.pid, 0)
                    break
                time.sleep(0.01)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        run = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
        lines = [line for line in out.read_text(errors="replace").splitlines() if line.startswith("{")]
        if lines:
            run.payload = json.loads(lines[-1])
            # The child's own high-water mark: wait4's figure includes this process's
            # memory at fork time, which Linux carries into the child.
            run.peak_mb = float(run.payload.get("parts", {}).get("peak_mb", run.peak_mb))
        if child.returncode != 0 or (not lines and argv[:3] == CHILD):
            tail = err.read_text(errors="replace").strip().splitlines()[-3:]
            run.error = f"exit {child.returncode}: " + " / ".join(tail)[-300:]
        return run


@dataclass
class Row:
    name: str
    value: float | None  # seconds (or MB for memory rows)
    cpu: float | None
    peak_mb: float | None
    reference: str = ""
    ref_value: float | None = None
    target: str = ""
    limit: float | None = None  # ratio limit (with a reference) or absolute limit
    unit: str = "s"
    note: str = ""
    verdict_text: str = ""  # a verdict without a limit (a scroll that never ended)

    @property
    def ratio(self) -> float | None:
        if self.value is None:
            return None
        if self.ref_value:
            return self.value / self.ref_value
        if self.limit and self.unit in ("s", "MB"):
            return self.value / self.limit
        return None

    @property
    def verdict(self) -> str:
        if self.value is None:
            return self.note or "not available yet"
        if self.limit is None:
            return self.verdict_text
        measure_ = self.ratio if self.ref_value else self.value
        return "met" if measure_ is not None and measure_ <= self.limit else "MISSED"


def median(values: list[float]) -> float | None:
    values = [v for v in values if v == v]  # drop NaN
    return statistics.median(values) if values else None


def _repeat(argv: list[str], times: int, log: Callable[[str], None]) -> list[Run]:
    runs = []
    for _ in range(times):
        run = measure(argv)
        if run.error:
            log(f"    {' '.join(argv[1:4])}: {run.error}")
            return [run]
        runs.append(run)
    return runs


def _pair(ours: list[str], ref: list[str], times: int, log: Callable[[str], None]) -> tuple[list[Run], list[Run]]:
    """Alternate case and reference, so a busy machine weighs on both alike."""
    a, b = [], []
    for _ in range(times):
        a += _repeat(ours, 1, log)
        b += _repeat(ref, 1, log)
        if a[-1].error or b[-1].error:
            break
    return a, b


def _ok(runs: list[Run]) -> bool:
    return bool(runs) and not any(r.error for r in runs)


def case_startup(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    ours, ref = _pair([*CHILD, "startup", "--db", str(data.db), "--t0", "{t0}"],
                      [*CHILD, "bare", "--t0", "{t0}"], times, log)
    row = Row("start-up to the Creators tab", None, None, None, "bare QMainWindow+QTabWidget",
              target="≤ 2.5×", limit=2.5)
    if _ok(ours) and _ok(ref):
        row.value, row.ref_value = median([r.seconds for r in ours]), median([r.seconds for r in ref])
        row.cpu, row.peak_mb = median([r.cpu for r in ours]), max(r.peak_mb for r in ours)
        heavy = ours[0].payload["parts"].get("heavy_modules_loaded", [])
        row.note = "heavy imports at start: " + (", ".join(heavy) if heavy else "none")
    else:
        row.note = "failed: " + next(r.error for r in ours + ref if r.error)
    return [row]


def _bare_sql(data: Dataset) -> dict[str, float]:
    """The reference for searches: the same question asked of SQLite directly (FTS5
    trigram for 3+ characters, escaped LIKE below), count plus the first sorted page."""
    import sqlite3

    connection = sqlite3.connect(data.db)
    found: dict[str, float] = {}
    for label, query in SEARCH_LABELS.items():
        if len(query) >= 3:
            where = "c.id IN (SELECT rowid FROM creators_fts WHERE creators_fts MATCH ?)"
            arg = '"' + query.replace('"', '""') + '"'
        else:
            where, arg = "c.search_text LIKE ? ESCAPE '\\'", f"%{query}%"
        start = time.perf_counter()
        connection.execute(f"SELECT count(*) FROM platform_accounts a JOIN creators c ON c.id = a.creator_id "
                           f"WHERE c.deleted_at IS NULL AND {where}", (arg,)).fetchone()
        connection.execute(f"SELECT a.id, c.nickname, a.handle_display, a.followers FROM platform_accounts a "
                           f"JOIN creators c ON c.id = a.creator_id WHERE c.deleted_at IS NULL AND {where} "
                           f"ORDER BY a.followers DESC, a.id LIMIT 200", (arg,)).fetchall()
        found[label] = time.perf_counter() - start
    connection.close()
    return found


def case_search(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    runs = _repeat([*CHILD, "search", "--db", str(data.db)], times, log)
    bare = [_bare_sql(data) for _ in range(times)]
    rows = []
    for label, query in SEARCH_LABELS.items():
        kind = "Chinese" if label.startswith("zh") else "Latin"
        row = Row(f"search “{query}” ({len(query)} {kind})", None, None, None, "bare SQLite query",
                  target="≤ 50 ms", limit=0.050)
        if _ok(runs):
            row.value = median([r.part(label) for r in runs])
            row.cpu = median([r.part(label + "_cpu") for r in runs])
            row.ref_value = median([b[label] for b in bare])
            row.peak_mb = max(r.peak_mb for r in runs)
            row.note = f"{int(runs[0].part(label + '_rows'))} rows shown"
        else:
            row.note = "failed: " + runs[0].error
        rows.append(row)
    for key, name in (("filter", "filter: platform + followers + category"),
                      ("sort", "then sort the filtered rows by followers")):
        row = Row(name, None, None, None, target="≤ 50 ms", limit=0.050)
        if _ok(runs):
            row.value, row.peak_mb = median([r.part(key) for r in runs]), max(r.peak_mb for r in runs)
            row.cpu = median([r.part(key + "_cpu") for r in runs])
        rows.append(row)
    # The absolute target is what counts for searches; the bare query shows our overhead.
    for row in rows:
        if row.ref_value and row.value is not None:
            row.note = (row.note + "; " if row.note else "") + f"{row.value / row.ref_value:.1f}× bare SQL"
            row.ref_value = None
    return rows


def case_scroll(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    # Scrolling 130k rows to the end takes the longest: one run in three is enough.
    runs = _repeat([*CHILD, "scroll", "--db", str(data.db)], max(1, times // 3), log)
    end = Row("scroll the whole table to its last row", None, None, None)
    asc = Row("sort the whole table by followers ↑", None, None, None, target="≤ 50 ms", limit=0.050)
    desc = Row("sort the whole table by followers ↓", None, None, None, target="≤ 50 ms", limit=0.050)
    if _ok(runs):
        end.value, end.cpu = median([r.seconds for r in runs]), median([r.cpu for r in runs])
        end.peak_mb = max(r.peak_mb for r in runs)
        p = runs[0].payload["parts"]
        end.note = f"{p['rows']:,} rows in {p['scroll_steps']} steps, slowest step {p['slowest_step_ms']} ms"
        if p["rows"] < p.get("total", p["rows"]):
            end.note = (f"stopped after {end.value:.0f} s at {p['rows']:,} of {p['total']:,} rows "
                        f"({p['scroll_steps']} steps, slowest {p['slowest_step_ms']} ms)")
            end.verdict_text = "MISSED"
        asc.value = median([r.part("sort_ascending") for r in runs])
        desc.value = median([r.part("sort_descending") for r in runs])
        asc.cpu = median([r.part("sort_ascending_cpu") for r in runs])
        desc.cpu = median([r.part("sort_descending_cpu") for r in runs])
    else:
        end.note = "failed: " + runs[0].error
    return [end, asc, desc]


def _single(name: str, case: str, data: Dataset, times: int, log: Callable[[str], None],
            target: str, limit: float, note: Callable[[dict[str, Any]], str]) -> list[Row]:
    runs = _repeat([*CHILD, case, "--db", str(data.db)], times, log)
    row = Row(name, None, None, None, target=target, limit=limit)
    if _ok(runs):
        row.value, row.peak_mb = median([r.seconds for r in runs]), max(r.peak_mb for r in runs)
        row.cpu = median([r.part("cpu") for r in runs])
        row.note = note(runs[0].payload["parts"])
    else:
        row.note = "failed: " + runs[0].error
    return [row]


def case_reports(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    def note(p: dict[str, Any]) -> str:
        return f"report ready after {p['report_ready']:.2f} s"

    return [*_single("Reports tab with its chart (a year of campaigns), first chart of the process",
                     "reports", data, times, log, "≤ 1 s", 1.0, note),
            *_single("the same, charts warmed up at idle as the running app does", "reports_warm",
                     data, times, log, "≤ 1 s", 1.0, note)]


def case_board(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    return _single(f"move a card on a board of {data.size.board}", "board", data, times, log,
                   "≤ 50 ms", 0.050, lambda p: f"{p['cards']} cards; slowest of {p['moves']} moves "
                   f"{p['slowest'] * 1000:.0f} ms")


def case_negotiation(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    return _single("open the negotiation view (fair price, routes, comparables)", "negotiation", data,
                   times, log, "≤ 150 ms", 0.150,
                   lambda p: f"median of {p['opens']} accounts; slowest {p['slowest'] * 1000:.0f} ms "
                   f"(p90 {p.get('p90', 0) * 1000:.0f} ms; CPU of the costliest open {p.get('cpu_max', 0) * 1000:.0f} ms; "
                   f"slowest less its wait for a core {p.get('slowest_unqueued', 0) * 1000:.0f} ms; "
                   f"load {p.get('load', 0):.1f}); first open of the process {p['first'] * 1000:.0f} ms; "
                   f"chart shown after {p['chart']:.2f} s")


def case_memory(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    runs = _repeat([*CHILD, "memory", "--db", str(data.db)], 1, log)
    opened = Row("memory: main window open", None, None, None, target="≤ 400 MB", limit=400, unit="MB")
    after = Row("memory: after searching and scrolling to the end", None, None, None,
                target="≤ 400 MB", limit=400, unit="MB")
    if _ok(runs):
        opened.value = runs[0].part("rss_open_mb")
        after.value = after.peak_mb = runs[0].peak_mb
        after.note = f"{int(runs[0].part('rows')):,} of {int(runs[0].part('total')):,} rows loaded"
    else:
        opened.note = after.note = "failed: " + runs[0].error
    return [opened, after]


def _command_available(name: str) -> bool:
    done = subprocess.run([PY, "-m", "kol_desk", name, "--help"], cwd=REPO, capture_output=True,
                          check=False, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    return done.returncode == 0


def case_import(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    rows = 50_000 if data.size.large_list else 0
    row = Row(f"import the {rows:,}-row agency list (CLI)" if rows else "import an agency list (CLI)",
              None, None, None, "python-calamine reading the cells", target="≤ 3×", limit=3.0)
    if not _command_available("import"):
        row.note = "not available yet (no `kol-desk import`)"
        return [row]
    floor = Row("the import's floor: calamine's read + raw sqlite3 writing the same rows", None, None,
                None, "python-calamine reading the cells")
    ours: list[Run] = []
    refs: list[Run] = []
    floors: list[Run] = []
    for _ in range(times):
        target = data.folder / "import_target.sqlite"
        for stale in [*data.folder.glob("import_target.sqlite*"), *data.folder.glob("import_floor.sqlite*")]:
            stale.unlink()
        shutil.copyfile(data.empty_db, target)
        ours += _repeat([*CHILD, "cli", "--t0", "{t0}", "--", "import", str(data.agency_list), "--db",
                         str(target), "--agency", "基准机构"], 1, log)
        refs += _repeat([*CHILD, "calamine", "--file", str(data.agency_list)], 1, log)
        if not _ok(ours) or not _ok(refs):
            break
        floors += _repeat([*CHILD, "sqlite_floor", "--db", str(target), "--file", str(data.empty_db),
                           "--out", str(data.folder / "import_floor.sqlite")], 1, log)
    if _ok(ours) and _ok(refs):
        row.value, row.ref_value = median([r.wall for r in ours]), median([r.wall for r in refs])
        row.cpu, row.peak_mb = median([r.cpu for r in ours]), max(r.peak_mb for r in ours)
        ref_cpu = median([r.cpu for r in refs]) or float("nan")
        row.note = (f"both end to end in a fresh process; CPU {row.cpu:.1f} s vs {ref_cpu:.1f} s = "
                    f"{row.cpu / ref_cpu:.2f}×")
    else:
        row.note = "failed: " + next(r.error for r in ours + refs if r.error)
    if _ok(floors) and row.value is not None and row.ref_value:
        # The floor process reads our rows back first; that read is not its work.
        write, write_cpu = median([r.seconds for r in floors]), median([r.part("write_cpu") for r in floors])
        floor.ref_value, floor.value = row.ref_value, row.ref_value + (write or 0.0)
        floor.cpu = (median([r.cpu for r in refs]) or 0.0) + (write_cpu or 0.0)
        floor.verdict_text = f"ours is {row.value / floor.value:.2f}× this"
        floor.note = (f"{floors[0].part('rows'):,.0f} rows, same schema, pragmas and one transaction: "
                      f"write {write:.2f} s wall / {write_cpu:.2f} s CPU in a fresh process; "
                      f"ours CPU {row.cpu / floor.cpu:.2f}× this")
    elif floors:
        floor.note = "failed: " + next((r.error for r in floors if r.error), "no figures")
    return [row, floor] if floors else [row]


def case_export(data: Dataset, times: int, log: Callable[[str], None],
                kinds: tuple[str, ...] = ("creators", "report")) -> list[Row]:
    """The two exports against the bare writer. The report runs over the headline
    workspace (``data.report_posts``, the figure the target is judged on), then over each
    larger copy (``data.report_scales``), which show how the ratio moves once the fixed
    costs (imports, opening the workspace) weigh less."""
    cases: list[tuple[str, str, Path, str]] = []
    if "creators" in kinds:
        cases.append(("creators", f"export all {data.size.creators:,} creators (CLI)", data.db, "creators"))
    if "report" in kinds:
        cases.append(("report", f"export the report over {data.report_posts:,} posts (CLI)"
                      + (": the year of campaigns + one of published posts" if data.report_db != data.db
                         else ": the year of campaigns"), data.report_db, "report"))
        cases += [("report", f"export the report over {posts:,} posts (CLI): the same, scaling", db,
                   f"report_{posts}") for posts, db in sorted(data.report_scales.items())]
    out = []
    for kind, name, db, stem in cases:
        row = Row(name, None, None, None, "XlsxWriter constant_memory, same cells", target="≤ 1.5×",
                  limit=1.5)
        out.append(row)
        if not _command_available("export"):
            row.note = "not available yet (no `kol-desk export`)"
            continue
        book = data.folder / f"export_{stem}.xlsx"
        ours, refs, floors = [], [], []
        for _ in range(times):
            book.unlink(missing_ok=True)
            ours += _repeat([*CHILD, "cli", "--t0", "{t0}", "--", "export", kind, "--db", str(db),
                             "--out", str(book)], 1, log)
            if not _ok(ours):
                break
            refs += _repeat([*CHILD, "xlsxwriter", "--file", str(book), "--out",
                             str(data.folder / f"bare_{stem}.xlsx")], 1, log)
            if not _ok(refs):
                break
            if kind == "report":
                floors += _repeat([*CHILD, "imports", "--t0", "{t0}"], 1, log)
        if _ok(ours) and _ok(refs):
            # The reference process also reads our workbook first; that read is not its work.
            row.value = median([r.wall for r in ours])
            row.ref_value = median([r.wall - r.part("read_seconds") for r in refs])
            row.cpu, row.peak_mb = median([r.cpu for r in ours]), max(r.peak_mb for r in ours)
            # On a loaded machine the wall ratio swings with the load of the moment; CPU
            # seconds of both whole processes (less the reference's read) hold still.
            ref_cpu = median([r.cpu - r.part("read_cpu") for r in refs])
            row.note = (f"both end to end in a fresh process; CPU {row.cpu:.1f} s vs {ref_cpu:.1f} s = "
                        f"{row.cpu / ref_cpu:.2f}×")
            if _ok(floors):
                # A fixed cost the reference does not have: importing the base dependency.
                floor = median([r.wall for r in floors])
                row.note += (f"; a fresh process importing SQLAlchemy's ORM alone takes {floor:.2f} s, "
                             f"ours without that is {(row.value - floor) / row.ref_value:.2f}× the reference")
        else:
            row.note = "failed: " + next(r.error for r in ours + refs if r.error)
    return out


def case_migrate(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    """The revisions after 0004 on the whole workspace (see bench_migrate.py), each timed
    apart in a fresh process; run once per three repeats (a copy and ~30 s each)."""
    from benchmarks.bench_migrate import REVISIONS, prepare

    old = prepare(data.db, data.folder, log)
    names = {"0005": "pinyin in the search text", "0006": "quote terms, invoice type, handle spellings"}
    rows = [Row(f"migration {r} ({names.get(r, 'schema')}) on {data.size.creators:,} creators",
                None, None, None, target="≤ 60 s", limit=60.0) for r in REVISIONS]
    runs: list[Run] = []
    for _ in range(max(1, times // 3)):
        target = data.folder / "migrate_target.sqlite"
        for stale in data.folder.glob("migrate_target.sqlite*"):
            stale.unlink()
        shutil.copyfile(old, target)
        runs += _repeat([PY, "-m", "benchmarks.bench_migrate", "--db", str(target)], 1, log)
        if not _ok(runs):
            break
    for revision, row in zip(REVISIONS, rows, strict=True):
        if _ok(runs):
            row.value = median([r.part(revision) for r in runs])
            row.cpu = median([r.part(f"{revision}_cpu") for r in runs])
            row.peak_mb = max(r.peak_mb for r in runs)
            row.note = f"alembic upgrade {revision} alone, {len(runs)} run(s); peak memory is the whole process's"
        else:
            row.note = "failed: " + next((r.error for r in runs if r.error), "no figures")
    return rows


def case_theirs(data: Dataset, times: int, log: Callable[[str], None]) -> list[Row]:
    """The import and export owners' own benchmarks (in-process splits), run once."""
    rows = []
    for module, quick_args in (("bench_import", []), ("bench_export", ["--rows", "2000", "--collaborations", "200"])):
        path = REPO / "benchmarks" / f"{module}.py"
        row = Row(f"{module}.py (its own figures)", None, None, None)
        rows.append(row)
        if not path.exists():
            row.note = "not available yet"
            continue
        args = [PY, str(path), "--json"] + (quick_args if not data.size.large_list else [])
        run = measure(args, timeout=600)
        row.value, row.cpu, row.peak_mb = run.wall, run.cpu, run.peak_mb
        # bench_import exits 1 when a target is missed: its figures are still the point.
        row.note = (json.dumps(run.payload, ensure_ascii=False) if run.payload else run.error)[:400]
    return rows


CASES: dict[str, Callable[[Dataset, int, Callable[[str], None]], list[Row]]] = {
    "startup": case_startup, "search": case_search, "scroll": case_scroll, "import": case_import,
    "export": case_export,
    "export_creators": lambda data, times, log: case_export(data, times, log, ("creators",)),
    "export_report": lambda data, times, log: case_export(data, times, log, ("report",)),
    "reports": case_reports, "board": case_board,
    "negotiation": case_negotiation, "memory": case_memory, "migrate": case_migrate,
    "theirs": case_theirs,
}


def machine() -> dict[str, Any]:
    import sqlite3

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    from importlib.metadata import version

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory, "os": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "pyside6": version("PySide6-Essentials"), "sqlalchemy": version("SQLAlchemy"),
            "load_before": os.getloadavg()[0]}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def table(rows: list[Row]) -> list[str]:
    lines = ["| case | median | CPU | peak memory | reference (median) | ratio | target | result | note |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ref = f"{r.reference} ({_fmt(r.ref_value, r.unit)})" if r.reference and r.ref_value else ""
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        if r.ratio is not None and not r.ref_value:
            ratio += " of target"
        peak = _fmt(r.peak_mb, "MB") if r.peak_mb else "—"
        lines.append(f"| {r.name} | {_fmt(r.value, r.unit)} | {_fmt(r.cpu, 's')} | {peak} | {ref} | {ratio} "
                     f"| {r.target} | {r.verdict} | {r.note} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data (2,000 creators): a check, not figures")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per case (default 3)")
    parser.add_argument("--only", default="", help=f"comma-separated cases: {', '.join(CASES)}")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    # export_creators and export_report are the two halves of export, for --only.
    chosen = [c for c in args.only.split(",") if c] or [
        c for c in CASES if (c != "theirs" or not args.quick) and not c.startswith("export_")]
    unknown = set(chosen) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    # An installed package carries its bytecode; a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module in every timed child.
    compileall.compile_dir(str(Path(kol_desk.__file__).parent), quiet=1)
    data = build(size, log)
    info = machine()
    log(f"data ready in {time.perf_counter() - started:.0f} s; {info['cores']} cores, load {info['load_before']:.1f}")
    rows: list[Row] = []
    for name in chosen:
        case_start = time.perf_counter()
        try:
            found = CASES[name](data, args.repeat, log)
        except Exception as exc:  # one broken case must not cost the others' figures
            found = [Row(name, None, None, None, note=f"failed: {exc!r}"[:400])]
        rows += found
        log(f"  {name}: {time.perf_counter() - case_start:.0f} s")
        for line in table(found)[2:]:
            log("  " + line)
    info["load_after"] = os.getloadavg()[0]
    info["total_seconds"] = round(time.perf_counter() - started)
    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    header = (f"{info['cpu']}, {info['cores']} cores, {info['memory_mb']:,} MB RAM; {info['os']}; Python "
              f"{info['python']}, SQLite {info['sqlite']}, PySide6 {info['pyside6']}, SQLAlchemy "
              f"{info['sqlalchemy']}; load average {info['load_before']:.1f} → {info['load_after']:.1f}; "
              f"`{command}` ({args.repeat} runs per case, {info['total_seconds']} s in all, "
              f"{time.strftime('%Y-%m-%d')})")
    lines = table(rows)
    print(header)
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "quick" if args.quick else "latest"
    (RESULTS / f"{stem}.md").write_text(header + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / f"{stem}.json").write_text(json.dumps(
        {"machine": info, "rows": [dict(vars(r), ratio=r.ratio, verdict=r.verdict) for r in rows]},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
