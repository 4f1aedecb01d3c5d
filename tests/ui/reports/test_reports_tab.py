"""The Reports tab as a user drives it: scope, the four layers, the tables with best and
worst marked, charts, results entry, and the boss workbook from the File menu."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from kol_desk.i18n import set_language
from kol_desk.metrics import format_money
from kol_desk.services.report_findings import key_findings
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.main_window import MainWindow
from kol_desk.ui.money import money_text
from kol_desk.ui.reports.models import BEST, WORST
from kol_desk.ui.reports.results_dialog import ResultsDialog
from kol_desk.ui.reports.tab import ReportsTab

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal
SHOTS = Path(os.environ.get("KOL_DESK_SHOTS", "")) if os.environ.get("KOL_DESK_SHOTS") else None


def _tab(qtbot: QtBot, context: AppContext) -> ReportsTab:
    tab = ReportsTab(context)
    qtbot.addWidget(tab)
    tab.resize(1400, 860)
    tab.show()
    qtbot.waitUntil(lambda: tab.report is not None, timeout=20_000)
    return tab


def _wait_for(qtbot: QtBot, tab: ReportsTab, change: object) -> None:
    with qtbot.waitSignal(tab.report_ready, timeout=20_000):
        change()  # type: ignore[operator]


def test_a_group_table_is_sized_to_its_contents_when_first_shown(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    view = tab.group_views["agency"]
    header = view.horizontalHeader()
    assert tab.tables.currentWidget() is tab.group_views["creator"]
    assert header.sectionSize(0) == header.defaultSectionSize()  # hidden: not measured yet
    tab.tables.setCurrentWidget(view)
    assert header.sectionSize(0) == max(view.sizeHintForColumn(0), header.sectionSizeHint(0))


def test_tab_shows_the_four_layers_and_tables_of_the_demo(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    tab = _tab(qtbot, context)
    expected = build_report(context.workspace, ReportScope())
    layers = tab.layer_model
    QAbstractItemModelTester(layers, FATAL)
    texts = {layers.data(layers.index(r, 1)): layers.data(layers.index(r, 2)) for r in range(layers.rowCount())}
    assert texts["CPE"] == format_money(expected.totals.cpe)
    assert texts["CPM"] == format_money(expected.totals.cpm)
    assert texts["Posts"] == str(expected.totals.posts)
    notes = [layers.data(layers.index(r, 5)) for r in range(layers.rowCount())]
    assert "engagements ÷ views" in notes  # the engagement rate says its denominator
    assert len(expected.findings) >= 3
    # The findings on screen write whole amounts without ".00" (the workbook's keep cents).
    assert re.search(r"\d\.00\b", "\n".join(expected.findings))
    assert not re.search(r"\d\.00\b", tab.headline.text())
    assert tab.headline.text().splitlines()[1] == "2. " + key_findings(expected, money_text)[1]

    platforms = tab.group_models["platform"]
    QAbstractItemModelTester(platforms, FATAL)
    assert platforms.rowCount() == len(expected.group("platform")) >= 2
    backgrounds = {platforms.data(platforms.index(r, 11), Qt.ItemDataRole.BackgroundRole).color().name().upper()
                   for r in range(platforms.rowCount())
                   if platforms.data(platforms.index(r, 11), Qt.ItemDataRole.BackgroundRole) is not None}
    assert backgrounds == {BEST, WORST}
    # sorting by CPE, cheapest first, the best-marked row comes first
    tab.group_views["platform"].sortByColumn(11, Qt.SortOrder.AscendingOrder)
    assert platforms.row_object(0).marks.get("cpe") == "best"

    creators = tab.group_models["creator"]
    QAbstractItemModelTester(creators, FATAL)
    assert creators.rowCount() == len({p.creator_id for p in expected.posts})
    tab.grab().save(str(tmp_path / "reports_tab.png"))
    if SHOTS:
        tab.grab().save(str(SHOTS / "reports_tab.png"))


def test_scope_narrows_to_one_campaign_and_platform(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    first_id = tab.scope_bar.campaigns.item(0).data(Qt.ItemDataRole.UserRole)
    _wait_for(qtbot, tab, lambda: tab.scope_bar.campaigns.item(0).setCheckState(Qt.CheckState.Checked))
    assert tab.report is not None and tab.report.scope.campaign_ids == (first_id,)
    assert {p.campaign_id for p in tab.report.posts} == {first_id}
    platform = tab.report.posts[0].platform
    index = tab.scope_bar.platform.findData(platform)
    _wait_for(qtbot, tab, lambda: tab.scope_bar.platform.setCurrentIndex(index))
    assert tab.report.posts and {p.platform for p in tab.report.posts} == {platform}
    assert tab.group_models["platform"].rowCount() == 1


def test_charts_draw_off_the_gui_thread(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    tab = _tab(qtbot, context)
    tab.tables.setCurrentIndex(tab.tables.count() - 1)
    for index in range(tab.chart_choice.count()):
        with qtbot.waitSignal(tab.chart.drawn, timeout=30_000):
            tab.chart_choice.setCurrentIndex(index)
        assert tab.chart.state == "chart", tab.chart.message()
        assert tab.chart.png is not None and tab.chart.png.startswith(b"\x89PNG")
    tab.grab().save(str(tmp_path / "reports_charts.png"))


def test_results_entry_form_stores_a_snapshot(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    before = tab.report.totals.count("orders") if tab.report else None
    dialog = ResultsDialog(context, parent=tab)
    qtbot.addWidget(dialog)
    QAbstractItemModelTester(dialog.history_model, FATAL)
    # a collaboration with results already: the new snapshot becomes the latest
    posts = {p.collaboration_id: p for p in build_report(context.workspace, ReportScope()).posts}
    collab_id = next(iter(posts))
    dialog.select_collaboration(collab_id)
    earlier = dialog.history_model.rowCount()
    assert earlier >= 1
    dialog.taken_on.set_text("2026-12-31")
    qtbot.keyClicks(dialog.counts["orders"].edit, "abc")
    assert not dialog.counts["orders"].is_valid()
    assert dialog.counts["orders"].message.text() == "Not a whole number: abc"
    dialog.counts["orders"].set_text("")
    old_orders = posts[collab_id].counts["orders"] or 0
    qtbot.keyClicks(dialog.counts["orders"].edit, str(old_orders + 1000))
    qtbot.keyClicks(dialog.revenue.edit, "1234.50")
    dialog.scores["score_creative"].set_text("")
    qtbot.keyClicks(dialog.scores["score_creative"].edit, "5")
    with qtbot.waitSignal(context.events.changed, timeout=20_000) as changed, \
            qtbot.waitSignal(tab.report_ready, timeout=20_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert changed.args == [Change.RESULTS]
    assert dialog.history_model.rowCount() == earlier + 1
    assert tab.report is not None and before is not None
    assert tab.report.totals.count("orders") == before + 1000
    post = next(p for p in tab.report.posts if p.collaboration_id == collab_id)
    assert post.revenue == Decimal("1234.50") and post.scores["score_creative"] == 5


def test_file_export_report_writes_the_numbers_on_screen(qtbot: QtBot, main_window: MainWindow, tmp_path: Path) -> None:
    set_language("en")
    tab = main_window.reports_tab
    qtbot.waitUntil(lambda: tab.report is not None, timeout=20_000)
    target = tmp_path / "boss.xlsx"
    with qtbot.waitSignal(tab.exported, timeout=60_000):
        tab.export_report(target)
    book = openpyxl.load_workbook(target)
    summary = book.worksheets[0]
    cells = {row[0].value: row[1].value for row in summary.iter_rows() if row[0].value}
    assert round(Decimal(str(cells["CPE"])), 2) == round(tab.report.totals.cpe, 2)  # type: ignore[union-attr,arg-type]
    assert "Report saved to" in tab.export_status.text()


def test_the_report_is_never_exported_over_the_open_workspace(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """The boss workbook aimed at the workspace file itself (or its -wal): the window says
    so, in the user's language, naming the file, and the workspace is untouched."""
    set_language("zh_CN")
    tab = _tab(qtbot, context)
    workspace = context.workspace
    assert workspace.path is not None
    posts = tab.report.totals.posts  # type: ignore[union-attr]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a, **k: shown.append(text))
    for target in (workspace.path, Path(f"{workspace.path}-wal")):
        tab.export_report(target)
        qtbot.waitUntil(lambda: len(shown) == 1, timeout=20_000)
        assert shown.pop() == f"{target} 是 KOL Desk 正在打开的工作区（或其附属文件）：写入该文件会将其毁坏。请另选文件名。"
    assert build_report(workspace, ReportScope()).totals.posts == posts
    with workspace.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"


def test_past_results_of_a_creator(qtbot: QtBot, context: AppContext) -> None:
    from kol_desk.services.rating import refresh_all_ratings
    from kol_desk.ui.reports.past_results import PastResultsView

    refresh_all_ratings(context.workspace)
    post = build_report(context.workspace, ReportScope()).posts[0]
    view = PastResultsView(context.workspace)
    qtbot.addWidget(view)
    QAbstractItemModelTester(view.model, FATAL)
    view.show_creator(post.creator_id)
    row = next(i for i in range(view.model.rowCount())
               if view.model.row_object(i).collaboration_id == post.collaboration_id)
    assert view.model.data(view.model.index(row, 7)) == format_money(post.cost / post.engagements)  # type: ignore[operator]
    assert view.summary.text().startswith("Internal rating ")
    view.show_creator(-1)
    assert view.model.rowCount() == 0 and view.summary.text() == "No results from past collaborations yet."


def test_import_results_workbook_from_the_tab(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    from kol_desk.ui.reports.results_import import import_results_file

    tab = _tab(qtbot, context)
    post = tab.report.posts[0]  # type: ignore[union-attr]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["达人昵称", "平台", "账号", "播放量", "点赞数", "评论数", "订单数", "统计日期"])
    sheet.append([post.nickname, post.platform, post.handle, "50万", 9000, 800, 1234, "2026-12-30"])
    path = tmp_path / "results.xlsx"
    book.save(path)
    with qtbot.waitSignal(tab.report_ready, timeout=30_000):
        import_results_file(tab, context, path, post.campaign_id, confirm=False)
    assert tab.property("last_import").startswith("Imported 1 snapshots for 1 creators.")
    again = next(p for p in tab.report.posts if p.collaboration_id == post.collaboration_id)  # type: ignore[union-attr]
    assert again.counts["views"] == 500_000 and again.counts["orders"] == 1234 and again.engagements == 9800


def test_the_summary_strip_and_a_chart_are_in_view(qtbot: QtBot, context: AppContext) -> None:
    from kol_desk.ui.money import money_text

    tab = _tab(qtbot, context)
    expected = build_report(context.workspace, ReportScope())
    shown = dict(tab.summary.texts())
    assert shown["Posts with results"] == str(expected.totals.posts)
    assert shown["CPE"] == money_text(expected.totals.cpe)
    assert tab.chart.isVisible() and tab.chart_choice.currentData() == "platform"
