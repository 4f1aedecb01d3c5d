"""One benchmark case in a fresh process: ``python -m benchmarks.child CASE --db PATH ...``.

Prints one JSON line: ``{"seconds": ..., "parts": {...}}``. Nothing heavy is imported at
module level, so the start-up case and its bare-window reference start exactly alike.
The GUI cases drive the real widgets offscreen; the only thing bypassed is the
type-ahead debounce timer (its interval is set to 0), so a measured search is the
work a keystroke causes, not the pause we add on purpose.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

# CPU seconds (all threads of this process) of the last measured actions: unlike wall
# time, they do not grow when other programs share the machine.
CPU: list[float] = []
HEAVY = ("openpyxl", "xlsxwriter", "python_calamine", "matplotlib", "pandas")
# (label, query): 1, 2, 3 and 6 characters, Chinese and Latin.
# Scrolling stops here if the table has not reached its end (an O(n²) paging shows up
# as "stopped at N of M rows" instead of a run that never ends).
SCROLL_BUDGET = 90.0
QUERIES = [("zh1", "鱼"), ("zh2", "桃子"), ("zh3", "小桃子"), ("zh6", "叫我栗子学姐"),
           ("latin1", "l"), ("latin2", "yu"), ("latin3", "lun"), ("latin6", "luna12")]


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM). ru_maxrss would also count the
    parent's memory at fork time, which Linux carries over into the child's figure."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def emit(seconds: float, **parts: Any) -> None:
    print(json.dumps({"seconds": seconds, "parts": parts}, ensure_ascii=False), flush=True)


# -- start-up -------------------------------------------------------------------------
def _probe_when_idle(t0: float, ready: Callable[[], bool], extra: Callable[[], dict[str, Any]]) -> None:
    """Once the event loop runs, check every 5 ms until ``ready`` (a tighter poll would
    hold the GIL and slow the app's own worker threads)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def check() -> None:
        if not ready():
            QTimer.singleShot(5, check)
            return
        seconds = time.time() - t0
        emit(seconds, peak_mb=round(peak_mb(), 1), **extra())
        QApplication.quit()

    QTimer.singleShot(0, check)


def startup(args: argparse.Namespace) -> None:
    """The real ``kol-desk --db PATH`` until its Creators tab shows rows, idle."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    real_exec = QApplication.exec

    def window() -> Any:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMainWindow) and w.isVisible()), None)

    def ready() -> bool:
        main = window()
        if main is None:
            return False
        tab = getattr(main, "creators_tab", None)
        table = getattr(tab, "table", None)
        return bool(tab is not None and main.tabs.currentWidget() is tab and table is not None
                    and table.model().rowCount() > 0)

    def extra() -> dict[str, Any]:
        return {"heavy_modules_loaded": sorted(m for m in HEAVY if m in sys.modules),
                "modules": len(sys.modules)}

    def patched_exec(*_args: Any) -> int:
        _probe_when_idle(args.t0, ready, extra)
        return int(real_exec())

    QApplication.exec = staticmethod(patched_exec)  # type: ignore[method-assign, assignment]
    from kol_desk.cli import main

    main(["--db", args.db, "--lang", args.lang])


def bare(args: argparse.Namespace) -> None:
    """The reference: a bare PySide6 QMainWindow with a QTabWidget, started the same way."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    tabs = QTabWidget()
    for name in ("Creators", "Campaigns", "Budget", "Reports"):
        tabs.addTab(QWidget(), name)
    window.setCentralWidget(tabs)
    window.resize(1280, 800)
    window.show()
    _probe_when_idle(args.t0, window.isVisible, lambda: {})
    app.exec()


# -- widgets on an open workspace -------------------------------------------------------
def _context(db: str) -> Any:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from kol_desk.i18n import set_language
    from kol_desk.preferences import Preferences
    from kol_desk.store.migrate import open_workspace
    from kol_desk.ui.context import AppContext

    QApplication.instance() or QApplication(sys.argv[:1])
    set_language("en")
    return AppContext(open_workspace(db), Preferences(), QUndoStack())


def _wait(condition: Callable[[], bool], limit: float = 600.0) -> None:
    """Run the event loop until ``condition``. It sleeps between events instead of
    spinning: a spinning loop holds the GIL and would slow the app's worker threads."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + limit
    ticker = QTimer()  # wakes the loop now and then, only for the deadline check
    ticker.start(250)
    while not condition():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        if time.perf_counter() > deadline:
            raise TimeoutError("the widget never showed the result")
    ticker.stop()


class Changes:
    """Counts what a model tells its views, so a wait ends when the table has changed."""

    def __init__(self, model: Any) -> None:
        self.count = 0
        # Not rowsInserted: the table shows a result with a reset; rows added after it
        # are the rest of that result (or of an older one), not a newer result.
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(self._bump)

    def _bump(self, *_args: Any) -> None:
        self.count += 1


def _creators_tab(db: str) -> Any:
    # The harness's own typing and clicking module, imported before anything is timed.
    import PySide6.QtTest  # noqa: F401

    from kol_desk.ui.creators.tab import CreatorsTab

    tab = CreatorsTab(_context(db))
    tab.resize(1280, 800)
    tab.show()
    _wait(lambda: tab.table.model().rowCount() > 0)
    _painted(tab)  # what a user waits for before typing (and Qt's first-use set-up)
    _no_typing_pause(tab)
    return tab


def _no_typing_pause(tab: Any) -> None:
    """The type-ahead debounce of the search box and filters: measured searches start at
    once. Only the filter bar's timers: others (e.g. a delayed count) are app behaviour."""
    from PySide6.QtCore import QTimer

    for timer in tab.filters.findChildren(QTimer):
        if timer.isSingleShot() and 20 <= timer.interval() <= 2000:
            timer.setInterval(0)


def _shown(tab: Any, changes: Changes, before: int) -> None:
    _wait(lambda: changes.count > before)
    _painted(tab)


def _painted(tab: Any) -> None:
    """Until the table has painted what it shows: the user sees the rows. Painted once,
    as the app does (the event loop paints after a reset; a forced repaint on top of it
    measured a second paint the user never waits for)."""
    from PySide6.QtCore import QEvent, QObject

    paint = QEvent.Type.Paint

    class Paints(QObject):
        count = 0

        def eventFilter(self, _watched: Any, event: Any) -> bool:
            if event.type() == paint:
                self.count += 1
            return False

    paints, viewport = Paints(), tab.table.viewport()
    viewport.installEventFilter(paints)
    viewport.update()  # in case the change was already painted while waiting
    _wait(lambda: paints.count > 0)
    viewport.removeEventFilter(paints)


def _keys(edit: Any, text: str) -> None:
    """Latin text as key presses; Chinese as an input method commits it (one event per
    character, as a pinyin IME does when each character is chosen)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    for char in text:
        if char.isascii():
            QTest.keyClicks(edit, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(edit, event)


def _set_search(tab: Any, text: str) -> None:
    if tab.search.text() == text:
        return
    changes = Changes(tab.table.model())
    before = changes.count
    tab.search.setText(text)
    _shown(tab, changes, before)


def _type_last_key(tab: Any, edit: Any, text: str) -> tuple[float, float]:
    """Type ``text`` and time its last keystroke until the table shows the result."""
    changes = Changes(tab.table.model())
    if text[:-1]:
        before = changes.count
        _keys(edit, text[:-1])
        _shown(tab, changes, before)
    before = changes.count
    start, cpu = time.perf_counter(), time.process_time()
    _keys(edit, text[-1])
    typed = time.perf_counter()
    _shown(tab, changes, before)
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, typed - start


def search(args: argparse.Namespace) -> Any:
    tab = _creators_tab(args.db)
    parts: dict[str, Any] = {}
    for label, query in QUERIES:
        _set_search(tab, "")
        seconds, key = _type_last_key(tab, tab.search, query)
        parts[label] = seconds
        parts[f"{label}_cpu"] = CPU[-1]
        parts[f"{label}_rows"] = tab.table.model().rowCount()
        parts[f"{label}_key_ms"] = round(key * 1000, 2)
    _set_search(tab, "")
    parts["filter"], parts["sort"] = _combined_filter(tab)
    parts["filter_cpu"], parts["sort_cpu"] = CPU[-2:]
    parts["peak_mb"] = round(peak_mb(), 1)
    emit(max(v for k, v in parts.items() if k in dict(QUERIES) or k in ("filter", "sort")),
         **parts)
    return tab


def _column(table: Any, title: str) -> int:
    from PySide6.QtCore import Qt

    model = table.model()
    for column in range(model.columnCount()):
        if model.headerData(column, Qt.Orientation.Horizontal) == title:
            return column
    raise LookupError(f"no column {title!r}")


def _click_header(tab: Any, column: int) -> float:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    header = tab.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
                   header.height() // 2)
    changes = Changes(tab.table.model())
    before = changes.count
    start, cpu = time.perf_counter(), time.process_time()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    _shown(tab, changes, before)
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def _combined_filter(tab: Any) -> tuple[float, float]:
    """Platform + category chosen, followers from 100k; time the last digit of the
    upper bound (1,000,000), then a click on the Followers header."""
    from kol_desk.services.creator_filters import CreatorFilter

    bar = tab.filters
    changes = Changes(tab.table.model())
    before = changes.count
    bar.set_filter(CreatorFilter(platforms=("douyin",), categories=("美妆",), followers_min=100_000))
    _shown(tab, changes, before)
    seconds, _key = _type_last_key(tab, bar.followers_max.edit, "1000000")
    return seconds, _click_header(tab, _column(tab.table, "Followers"))


def scroll(args: argparse.Namespace) -> Any:
    """Scroll the whole table to its last row, then sort it by followers (both ways)."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    tab = _creators_tab(args.db)
    model, table = tab.table.model(), tab.table
    steps, slowest = 0, 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < SCROLL_BUDGET:
        step = time.perf_counter()
        table.scrollToBottom()
        QApplication.processEvents()
        table.viewport().repaint()
        slowest = max(slowest, time.perf_counter() - step)
        steps += 1
        last = model.index(model.rowCount() - 1, 0)
        # The end: every row is known and the last one is on screen with its text.
        if (not model.canFetchMore(QModelIndex()) and model.data(last)
                and table.viewport().rect().intersects(table.visualRect(last))):
            break
    to_end = time.perf_counter() - start
    rows, total = model.rowCount(), int(getattr(model, "total", model.rowCount()))
    column = _column(table, "Followers")
    ascending = _click_header(tab, column)
    descending = _click_header(tab, column)
    emit(to_end, scroll_steps=steps, slowest_step_ms=round(slowest * 1000, 1), rows=rows,
         total=total,
         sort_ascending=ascending, sort_descending=descending, sort_ascending_cpu=CPU[-2],
         sort_descending_cpu=CPU[-1], peak_mb=round(peak_mb(), 1))
    return tab


def reports(args: argparse.Namespace) -> Any:
    """The Reports tab from construction until its figures and chart are drawn, in a
    process that has drawn no chart yet."""
    return _reports(args.db)


def reports_warm(args: argparse.Namespace) -> Any:
    """The same, once the charts are warmed up as the running app does a few seconds
    after start-up (kol_desk.ui.startup): what a user opening the tab sees."""
    from kol_desk.charts.render import warm_up

    warm_up()
    return _reports(args.db)


def _reports(db: str) -> Any:
    context = _context(db)
    # A user opens the tab in a running app, whose Creators tab imported the models at
    # start-up; importing them here (~0.3 s) was charged to the tab.
    import kol_desk.models  # noqa: F401

    start, cpu = time.perf_counter(), time.process_time()
    from kol_desk.ui.reports.tab import ReportsTab

    tab = ReportsTab(context)
    tab.resize(1280, 800)
    tab.show()
    built: list[float] = []
    tab.report_ready.connect(lambda _r: built.append(time.perf_counter() - start))
    def drawn() -> bool:
        png = tab.chart.png
        return (png() if callable(png) else png) is not None

    _wait(lambda: bool(built) and drawn(), limit=120)
    tab.repaint()
    emit(time.perf_counter() - start, report_ready=built[0], cpu=time.process_time() - cpu,
         peak_mb=round(peak_mb(), 1))
    return tab


def board(args: argparse.Namespace) -> Any:
    """Move cards one column on the 500-card board; time until the board shows each."""
    from PySide6.QtWidgets import QApplication

    from benchmarks.dataset import BOARD_CAMPAIGN
    from kol_desk.ui.campaigns.board import BoardView

    view = BoardView(_context(args.db))
    view.resize(1600, 900)
    view.show()
    index = view.campaign_box.findText(BOARD_CAMPAIGN)
    view.campaign_box.setCurrentIndex(index)
    def cards_of(stage: str) -> list[Any]:
        found = view.columns[stage].view.model().cards
        return list(found() if callable(found) else found)

    _wait(lambda: bool(cards_of("shortlisted")))
    cards = sum(len(cards_of(stage)) for stage in view.columns)

    def in_column(stage: str, card_id: int) -> bool:
        return any(c.id == card_id for c in cards_of(stage))

    times, cpus = [], []
    for card in cards_of("shortlisted")[:5]:
        start, cpu = time.perf_counter(), time.process_time()
        view.move_cards([card.id], "contacted")
        _wait(lambda card_id=card.id: in_column("contacted", card_id))
        QApplication.processEvents()
        view.repaint()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    times.sort()
    cpus.sort()
    emit(times[len(times) // 2], cards=cards, moves=len(times), slowest=times[-1],
         cpu=cpus[len(cpus) // 2], peak_mb=round(peak_mb(), 1))
    return view


def negotiation(args: argparse.Namespace) -> Any:
    """Open the negotiation view for accounts with a deal and for random ones, as the
    Creators tab does (one window, reused); time from the click until the view shows its
    fair price, routes and comparables (the chart is drawn afterwards on a worker and is
    not in the time)."""
    import random

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import func, select

    from kol_desk.models import Collaboration, PlatformAccount
    from kol_desk.ui.negotiation.view import NegotiationView, open_negotiation

    context = _context(args.db)
    with context.workspace.session() as s:
        dealt = list(s.scalars(select(Collaboration.account_id).where(Collaboration.agreed_fee.is_not(None))
                               .order_by(Collaboration.id).limit(200)))
        top = s.scalar(select(func.max(PlatformAccount.id))) or 1
    rng = random.Random(5)
    accounts = rng.sample(dealt, k=min(6, len(dealt))) + [rng.randint(1, top) for _ in range(6)]
    first = 0.0
    times, cpus, charts, unqueued = [], [], [], []
    view: NegotiationView | None = None
    for n, account in enumerate(accounts):
        start, cpu, queued = time.perf_counter(), time.process_time(), _run_queue_wait()
        # As the Creators tab does: the first open builds the window, the next reuse it.
        view = open_negotiation(context, account, reuse=view)
        QApplication.processEvents()
        view.repaint()
        seconds = time.perf_counter() - start
        if n == 0:
            first = seconds  # imports the view's modules: paid once per process
        else:
            times.append(seconds)
            cpus.append(time.process_time() - cpu)
            # Less the time the GUI thread was ready to run but waited for a core (other
            # processes on a loaded machine): what the open takes on a quiet machine.
            unqueued.append(seconds - (_run_queue_wait() - queued))
        # As a user looks at it: the chart follows on a worker, not timed here.
        _wait(lambda v=view: not v.chart_pending() and v.chart.state in ("chart", "empty", "error"))
        charts.append(time.perf_counter() - start)
        view.close()
        QApplication.processEvents()
    times.sort()
    cpus.sort()
    charts.sort()
    # The slowest open against its CPU: on a busy 2-core machine the wall time of one open
    # is mostly waiting for a core, which the CPU time (all threads) leaves out.
    emit(times[len(times) // 2], opens=len(times), slowest=times[-1], fastest=times[0],
         p90=times[int(len(times) * 0.9)], first=first, chart=charts[len(charts) // 2],
         cpu=cpus[len(cpus) // 2], cpu_max=cpus[-1], slowest_unqueued=max(unqueued),
         load=os.getloadavg()[0], peak_mb=round(peak_mb(), 1))
    return view


def _run_queue_wait() -> float:
    """Seconds this thread has spent runnable but waiting for a CPU (Linux schedstat;
    0 where it is not available)."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def memory(args: argparse.Namespace) -> Any:
    """The main window on the database, then searches and a scroll to the end."""
    from PySide6.QtWidgets import QApplication

    from kol_desk.ui.main_window import MainWindow

    window = MainWindow(_context(args.db))
    window.show()
    tab = window.creators_tab
    _wait(lambda: tab.table.model().rowCount() > 0)
    QApplication.processEvents()
    opened = peak_mb()
    _no_typing_pause(tab)
    for _label, query in QUERIES:
        _set_search(tab, query)
    _set_search(tab, "")
    model = tab.table.model()
    from PySide6.QtCore import QModelIndex

    start = time.perf_counter()
    while model.canFetchMore(QModelIndex()) and time.perf_counter() - start < SCROLL_BUDGET:
        tab.table.scrollToBottom()
        QApplication.processEvents()
    emit(0.0, rss_open_mb=round(opened, 1), peak_mb=round(peak_mb(), 1),
         rss_end_mb=round(rss_mb(), 1), rows=model.rowCount(),
         total=int(getattr(model, "total", model.rowCount())))
    return window


# -- files ------------------------------------------------------------------------------
def cli(args: argparse.Namespace) -> None:
    """A ``kol-desk`` command run in this process, so its own peak memory is known."""
    from kol_desk.cli import main as kol_desk

    code = kol_desk(args.rest)
    if code != 0:
        print(f"kol-desk exited with {code}", file=sys.stderr)
        sys.stdout.flush()
        os._exit(code)
    emit(time.time() - args.t0, peak_mb=round(peak_mb(), 1))



def calamine(args: argparse.Namespace) -> None:
    """The import reference: python-calamine alone reading every cell of every sheet."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(args.file)
    cells = sum(len(row) for name in book.sheet_names
                for row in book.get_sheet_by_name(name).to_python())
    emit(0.0, cells=cells, peak_mb=round(peak_mb(), 1))


def sqlite_floor(args: argparse.Namespace) -> None:
    """The import's floor: raw sqlite3 writing the rows our import wrote into ``--db``
    (read back first; that read is reported apart) into ``--out``, a fresh copy of the
    empty workspace ``--file``. Same tables, indexes, FTS5 index and pragmas, one
    transaction, and the same two tricks as the import (the search index filled by one
    statement, plain indexes of the tables it fills built after the rows): what is left
    between the two is our own Python work."""
    import shutil
    import sqlite3

    start, start_cpu = time.perf_counter(), time.process_time()
    source = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    names = [n for (n,) in source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "AND name NOT LIKE 'creators_fts%' AND name != 'alembic_version'")]
    tables: dict[str, tuple[list[str], list[Any]]] = {}
    for name in names:
        cursor = source.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
        if found := cursor.fetchall():
            tables[name] = ([d[0] for d in cursor.description], found)
    parents = {n: {r[2] for r in source.execute(f'PRAGMA foreign_key_list("{n}")')} & set(tables) - {n}
               for n in tables}
    order: list[str] = []
    while len(order) < len(tables):  # parents first, for the foreign keys
        order += [n for n in tables if n not in order and parents[n] <= set(order)]
    source.close()
    shutil.copyfile(args.file, args.out)
    read, read_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    db = sqlite3.connect(args.out, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL", "cache_size = -131072"):
        db.execute(f"PRAGMA {pragma}")
    db.execute("BEGIN")
    trigger = db.execute("SELECT sql FROM sqlite_master WHERE name = 'creators_fts_insert'").fetchone()[0]
    db.execute("DROP TRIGGER creators_fts_insert")
    plain = [(n, sql) for n, table, sql in db.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        if table in tables and not sql.upper().startswith("CREATE UNIQUE")
        and len(tables[table][1]) >= 1000]
    for name, _ in plain:
        db.execute(f'DROP INDEX "{name}"')
    for name in order:
        columns, rows = tables[name]
        db.executemany(f'INSERT INTO "{name}" ({", ".join(columns)}) VALUES '
                       f'({", ".join("?" * len(columns))})', rows)
    db.execute("INSERT INTO creators_fts(rowid, search_text) SELECT id, search_text FROM creators")
    db.execute(trigger)
    for _, sql in plain:
        db.execute(sql)
    db.execute("COMMIT")
    db.close()
    emit(time.perf_counter() - start - read, write_cpu=time.process_time() - start_cpu - read_cpu,
         read_seconds=read, read_cpu=read_cpu, rows=sum(len(t[1]) for t in tables.values()),
         peak_mb=round(peak_mb(), 1))


def xlsxwriter_bare(args: argparse.Namespace) -> None:
    """The export reference: XlsxWriter in constant-memory mode writing the same cells
    as our workbook (read back with calamine first; that read is reported apart)."""
    import python_calamine
    import xlsxwriter

    start, start_cpu = time.perf_counter(), time.process_time()
    book = python_calamine.CalamineWorkbook.from_path(args.file)
    sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    read, read_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    workbook = xlsxwriter.Workbook(args.out, {"constant_memory": True, "strings_to_urls": False,
                                              "strings_to_formulas": False})
    for name, rows in sheets:
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                sheet.write(r, c, value)
    workbook.close()
    emit(time.perf_counter() - start - read, read_seconds=read, read_cpu=read_cpu, peak_mb=round(peak_mb(), 1))


def imports(args: argparse.Namespace) -> None:
    """What any command on a workspace pays before its own work: importing SQLAlchemy
    and its ORM (base dependencies), timed like the other cases (spawn to here)."""
    import sqlalchemy.orm  # noqa: F401

    emit(time.time() - args.t0, peak_mb=round(peak_mb(), 1))


# Each returns the widget it built (None for the others), so a test can close it.
CASES: dict[str, Callable[[argparse.Namespace], Any]] = {
    "startup": startup, "bare": bare, "search": search, "scroll": scroll, "reports": reports,
    "reports_warm": reports_warm,
    "board": board, "negotiation": negotiation, "memory": memory, "calamine": calamine, "sqlite_floor": sqlite_floor,
    "xlsxwriter": xlsxwriter_bare,
    "cli": cli, "imports": imports,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.child")
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("--db")
    parser.add_argument("--file")
    parser.add_argument("--out")
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--t0", type=float, default=time.time())
    argv = sys.argv[1:] if argv is None else argv
    rest = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[: len(argv) - len(rest) - (1 if rest else 0)])
    args.rest = rest  # cli: the kol-desk arguments after --
    CASES[args.case](args)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: it is not part of any case


if __name__ == "__main__":
    main()
