"""The Creators tab as a marketer uses it: type to search, filter, open a creator, edit
and undo, mark as risky, trash and restore, merge duplicates, bulk actions."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from kol_desk.models import Collaboration
from kol_desk.preferences import Preferences
from kol_desk.services import activity
from kol_desk.services.creator_edit import (
    AccountFields,
    CreatorFields,
    add_account,
    create_creator,
    read_fields,
    update_creator,
)
from kol_desk.services.creator_filters import CreatorFilter
from kol_desk.services.creator_page import load_creator_page
from kol_desk.services.creators import fetch_accounts
from kol_desk.services.rating import past_results
from kol_desk.ui.campaigns.dialogs import ShortlistDialog
from kol_desk.ui.context import AppContext
from kol_desk.ui.creators import actions, table_model
from kol_desk.ui.creators.dialogs import AccountDialog, CreatorDialog, RiskDialog
from kol_desk.ui.creators.tab import CreatorsTab
from kol_desk.ui.creators.table_model import COLUMN_KEYS, FIRST_ROWS, PAGE, CreatorTableModel
from tests.ui.creators.helpers_creators import answer_modal, click_ok, type_text

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def _tab(qtbot: QtBot, context: AppContext) -> CreatorsTab:
    tab = CreatorsTab(context)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    _counted(qtbot, tab)
    return tab


def _counted(qtbot: QtBot, tab: CreatorsTab) -> None:
    """The count comes from a worker a moment after the first page."""
    qtbot.waitUntil(lambda: tab.model.is_counted)


def _shown(tab: CreatorsTab, column: str) -> list[str]:
    logical = COLUMN_KEYS.index(column)
    for r in range(tab.model.rowCount()):
        tab.model.row_at(r)  # pages past the first rows are read on a worker when painted
    return [tab.model.data(tab.model.index(r, logical)) for r in range(tab.model.rowCount())]


def _search(qtbot: QtBot, tab: CreatorsTab, text: str) -> None:
    tab.search.clear()
    type_text(qtbot, tab.search, text)
    qtbot.waitUntil(lambda: tab.model.filter.search == text and tab.model.is_counted)


def test_the_model_passes_the_model_tester(qtbot: QtBot, context: AppContext) -> None:
    model = CreatorTableModel(context.workspace)
    QAbstractItemModelTester(model, FATAL)
    model.reload("")
    # The whole list at once, each page read by id when first shown.
    assert model.rowCount() == model.total == 395 and model.is_counted
    assert not model.canFetchMore(model.index(-1, -1))
    for key in ("expected_cpe", "nickname"):
        with qtbot.waitSignal(model.counted, timeout=10_000):
            model.sort(COLUMN_KEYS.index(key), Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 395 and PAGE < 395
    names = [model.row_at(i).nickname for i in range(model.rowCount())]
    assert names == sorted(names)
    model.set_query(model.filter.with_search("牛奶"), by_creator=True)
    assert 0 < model.total < 300


def test_column_titles_fit_their_default_widths(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    header = tab.table.horizontalHeader()
    clipped = [header.model().headerData(i, Qt.Orientation.Horizontal) for i in range(header.count())
               if not header.isSectionHidden(i) and header.sectionSize(i) < header.sectionSizeHint(i)]
    assert clipped == []


def test_typing_finds_creators_by_any_fragment(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    assert tab.count_label.text() == "395 accounts"
    _search(qtbot, tab, "牛奶")
    names = _shown(tab, "nickname")
    assert names and all("牛奶" in n for n in names)
    assert tab.count_label.text() == f"{len(names)} accounts"
    _search(qtbot, tab, "鱼")  # one character still works
    assert tab.model.total > 0 and all("鱼" in n for n in _shown(tab, "nickname"))
    handle = tab.model.row_at(0).handle or ""
    _search(qtbot, tab, handle[2:8].upper())  # part of a handle, any case
    assert handle in _shown(tab, "handle")
    _search(qtbot, tab, "ivy73693212")  # one account of the demo: the count says so in the singular
    assert tab.model.total == 1 and tab.count_label.text() == "1 account"
    _search(qtbot, tab, "只接图文")  # a note
    assert tab.model.total > 0
    _search(qtbot, tab, "zzzz没有这个人")
    assert tab.model.rowCount() == 0 and tab.count_label.text() == "0 accounts"


def test_filters_combine_and_are_saved_by_name(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    bar = tab.filters
    qtbot.mouseClick(bar.toggle, Qt.MouseButton.LeftButton)
    assert bar.panel.isVisible()
    bar.platform.setCurrentIndex(bar.platform.findData("douyin"))
    qtbot.waitUntil(lambda: tab.model.filter.platforms == ("douyin",) and tab.model.is_counted)
    douyin = tab.model.total
    assert set(_shown(tab, "platform")) == {"Douyin"}
    bar.tier.setCurrentIndex(bar.tier.findData("mid"))
    qtbot.waitUntil(lambda: tab.model.filter.tiers == ("mid",) and tab.model.is_counted)
    assert 0 < tab.model.total < douyin and set(_shown(tab, "tier")) == {"Mid-tier"}
    type_text(qtbot, bar.followers_min.edit, "12万")
    assert bar.followers_min.message.isVisible() and "whole number" in bar.followers_min.message.text()
    bar.followers_min.edit.clear()
    type_text(qtbot, bar.followers_min.edit, "300,000")
    qtbot.waitUntil(lambda: tab.model.filter.followers_min == 300_000)
    assert all(tab.model.row_at(i).followers >= 300_000 for i in range(tab.model.rowCount()))
    assert bar.toggle.text() == "Filters (3)"
    bar.save_current("抖音腰部")
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.total == 395)
    bar.saved.setCurrentIndex(bar.saved.findText("抖音腰部"))
    bar.saved.activated.emit(bar.saved.currentIndex())
    qtbot.waitUntil(lambda: tab.model.filter.followers_min == 300_000)
    assert tab.model.filter.platforms == ("douyin",) and bar.followers_min.edit.text() == "300000"


def test_creator_page_shows_quotes_and_history(qtbot: QtBot, context: AppContext) -> None:
    from sqlalchemy import select

    with context.workspace.session() as session:
        creator_id = session.scalar(select(Collaboration.creator_id).where(Collaboration.stage == "paid"))
    tab = _tab(qtbot, context)
    tab.panel.show_creator(creator_id)
    page = tab.panel.page
    assert page is not None and page.history and page.quotes
    assert tab.panel.history_model.rowCount() == len(page.history)
    cpe = tab.panel.history_model.data(tab.panel.history_model.index(0, 5))
    assert cpe.startswith("¥")
    assert tab.panel.sections.tabText(2) == f"Quotes ({len(page.quotes)})"
    differ = [s for s in page.quote_summaries if s.agencies_differ]
    assert (not tab.panel.quote_warning.isHidden()) == bool(differ)
    for summary in differ:
        assert all(name in tab.panel.quote_warning.text() for name in summary.agency_prices)
    # the history shows its collaborations: their section is not squeezed to a line
    tab.panel.sections.setCurrentIndex(3)
    table = tab.panel.history_table
    qtbot.waitUntil(table.isVisible)
    rows = min(len(page.history), 3)
    assert table.viewport().height() >= rows * table.verticalHeader().defaultSectionSize()


def test_edit_undo_and_a_taken_handle(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    tab.table.selectRow(0)
    first = tab.model.row_at(0)
    assert tab.panel.creator_id == first.creator_id

    def rename(dialog: CreatorDialog) -> None:
        dialog.nickname.edit.clear()
        type_text(qtbot, dialog.nickname.edit, "改名测试号")
        dialog.brand_fit.edit.setText("7")
        assert dialog.brand_fit.message.isVisible()  # the reason, next to the field
        dialog.brand_fit.edit.setText("4")
        click_ok(qtbot, dialog)

    answer_modal(CreatorDialog, rename)
    tab.edit_current()
    assert tab.model.row_at(0).nickname == "改名测试号"
    _search(qtbot, tab, "改名测试")
    assert tab.model.total == len([a for a in load_creator_page(context.workspace, first.creator_id).accounts])
    context.undo_stack.undo()
    assert tab.model.total == 0
    _search(qtbot, tab, "")
    assert first.nickname in _shown(tab, "nickname")

    other = tab.model.row_at(1)
    seen: list[AccountDialog] = []

    def take_handle(dialog: AccountDialog) -> None:
        dialog.platform.setCurrentIndex(dialog.platform.findData(other.platform))
        type_text(qtbot, dialog.handle.edit, other.handle or "")
        type_text(qtbot, dialog.followers.edit, "1,000")
        click_ok(qtbot, dialog)
        answer_modal(AccountDialog, lambda d: d.reject())  # after the refusal is shown

    tab.table.selectRow(0)
    answer_modal(AccountDialog, take_handle, seen)
    tab.add_account()
    assert "already belongs to" in seen[0].error.text()


def test_mark_risky_and_undo(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    tab.table.selectRow(2)
    row = tab.model.row_at(2)

    def risky(dialog: RiskDialog) -> None:
        dialog.level.setCurrentIndex(dialog.level.findData("high"))
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        type_text(qtbot, dialog.reason.edit, "数据造假")
        click_ok(qtbot, dialog)

    answer_modal(RiskDialog, risky)
    tab.risk_current()
    assert tab.panel.risk_box.isVisible() and "数据造假" in tab.panel.risk_box.text()
    assert _shown(tab, "risk")[2] == "High"
    context.undo_stack.undo()
    assert not tab.panel.risk_box.isVisible()
    assert tab.model.row_at(2).risk_level == row.risk_level


def test_trash_and_restore(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    tab.table.selectRow(0)
    row = tab.model.row_at(0)
    tab.delete_current()
    assert row.creator_id not in {tab.model.row_at(i).creator_id for i in range(tab.model.rowCount())}
    qtbot.mouseClick(tab.trash_button, Qt.MouseButton.LeftButton)
    trashed = {tab.model.row_at(i).creator_id for i in range(tab.model.rowCount())}
    assert trashed == {row.creator_id}
    assert tab.count_label.text() == f"{tab.model.rowCount()} in the trash"
    tab.table.selectRow(0)
    assert tab.panel.restore_button.isVisible()
    tab.restore_selected()
    assert tab.model.total == 0
    qtbot.mouseClick(tab.trash_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.is_counted and tab.model.total == 395)


def test_merge_duplicates_loses_nothing_and_undoes(qtbot: QtBot, context: AppContext) -> None:
    ws = context.workspace
    keep = create_creator(ws, CreatorFields(nickname="柚子测评室", notes="合作顺利", tags=("测评",)))
    keep_account = add_account(ws, keep, AccountFields("douyin", "youzi_lab", followers=880_000,
                                                       profile_url="https://www.douyin.com/user/youzi"))
    other = create_creator(ws, CreatorFields(nickname="柚子测评室 官方", notes="报价含税", tags=("家居",)))
    other_account = add_account(ws, other, AccountFields("xiaohongshu", "youzi_xhs", followers=880_200,
                                                         profile_url="www.douyin.com/user/youzi/"))
    tab = _tab(qtbot, context)
    dialog = actions.find_duplicates(tab)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=10_000)
    index = next(i for i, p in enumerate(dialog.model.rows) if {p.keep_id, p.other_id} == {keep, other})
    dialog.view.selectRow(index)
    pair = dialog.model.row_object(index)
    dialog.merge_selected(swap=pair.keep_id != keep)
    page = load_creator_page(ws, keep)
    assert page is not None and {a.id for a in page.accounts} == {keep_account, other_account}
    assert set(page.tags) == {"测评", "家居"} and page.notes == "合作顺利\n报价含税"
    _search(qtbot, tab, "柚子测评室 官方")  # the merged name still finds the creator
    assert {tab.model.row_at(i).creator_id for i in range(tab.model.rowCount())} == {keep}
    context.undo_stack.undo()
    restored = load_creator_page(ws, other)
    assert restored is not None and not restored.deleted and [a.id for a in restored.accounts] == [other_account]
    dialog.close()


def test_columns_are_chosen_moved_and_remembered(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    header = tab.table.horizontalHeader()
    live = COLUMN_KEYS.index("quote:live")
    assert header.isSectionHidden(live)
    menu = tab.column_menu()
    next(a for a in menu.actions() if a.text() == "Quote: Live stream").setChecked(True)
    tab.set_column_visible(COLUMN_KEYS.index("city"), False)
    header.moveSection(header.visualIndex(COLUMN_KEYS.index("expected_cpe")), 1)
    again = _tab(qtbot, AppContext(context.workspace, Preferences(context.preferences.path), context.undo_stack))
    header2 = again.table.horizontalHeader()
    assert not header2.isSectionHidden(live) and header2.isSectionHidden(COLUMN_KEYS.index("city"))
    assert header2.logicalIndex(1) == COLUMN_KEYS.index("expected_cpe")
    assert again.model.data(again.model.index(0, COLUMN_KEYS.index("expected_cpe"))).startswith("¥")


def test_bulk_tag_shortlist_with_reason_and_export(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    tab = _tab(qtbot, context)
    bar = tab.filters
    bar.risk.setCurrentIndex(bar.risk.findData("risky"))
    qtbot.waitUntil(lambda: tab.model.filter.risk == "risky")
    tab.table.selectAll()
    rows = tab.selected_rows()
    assert rows and all(r.blacklisted or r.risk_level != "none" for r in rows)

    actions.bulk_tag(tab, rows, "复核中, 待定")
    _search(qtbot, tab, "复核中")
    assert tab.model.total == len(rows)
    context.undo_stack.undo()
    assert tab.count_label.text() == "0 accounts"
    _search(qtbot, tab, "")

    def confirm(dialog: ShortlistDialog) -> None:
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()  # risky creators need a reason
        type_text(qtbot, dialog.reason, "老板特批")
        click_ok(qtbot, dialog)

    tab.table.selectAll()
    answer_modal(ShortlistDialog, confirm)
    tab.bulk_shortlist()
    from sqlalchemy import select

    with context.workspace.session() as session:
        reasons = set(session.scalars(select(Collaboration.risk_override_reason).where(
            Collaboration.account_id.in_([r.account_id for r in rows]))))
    assert "老板特批" in reasons

    target = tmp_path / "selection.xlsx"
    actions.export_selection(tab, rows, str(target))
    qtbot.waitUntil(lambda: getattr(tab, "last_export", None) == target, timeout=10_000)
    sheet = openpyxl.load_workbook(target, read_only=True).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(values) if r and r[0] == "Nickname")
    data = [r for r in values[header + 1:] if r and r[0]]
    assert sorted(r[0] for r in data) == sorted(r.nickname for r in rows)
    # A latest quote per deliverable stays a range, as the list shows it ("¥5,000.00–8,000.00").
    assert any(isinstance(r[c], str) and r[c].startswith("¥") for r in data for c in (9, 10, 11, 12, 13))


def test_header_sort_and_a_new_creator_with_its_account(qtbot: QtBot, context: AppContext) -> None:
    tab = _tab(qtbot, context)
    tab.table.sortByColumn(COLUMN_KEYS.index("nickname"), Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: _shown(tab, "nickname") == sorted(_shown(tab, "nickname")))

    def account(dialog: AccountDialog) -> None:
        dialog.platform.setCurrentIndex(dialog.platform.findData("bilibili"))
        type_text(qtbot, dialog.handle.edit, "@NewFace_2026")
        type_text(qtbot, dialog.url.edit, "space.bilibili.com/2026")
        type_text(qtbot, dialog.followers.edit, "45000")
        click_ok(qtbot, dialog)

    def creator(dialog: CreatorDialog) -> None:
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        type_text(qtbot, dialog.nickname.edit, "新面孔")
        type_text(qtbot, dialog.tags.edit, "学生党，测评")
        answer_modal(AccountDialog, account)
        click_ok(qtbot, dialog)

    answer_modal(CreatorDialog, creator)
    tab.new_creator()
    page = tab.panel.page
    assert page is not None and page.nickname == "新面孔" and page.tags == ["学生党", "测评"]
    # shown as the platform matches it; the typed spelling is kept as history
    assert [(a.platform, a.handle, a.tier, a.spellings) for a in page.accounts] == [
        ("bilibili", "newface_2026", "micro", ("@NewFace_2026",))]
    _search(qtbot, tab, "newface")
    assert _shown(tab, "nickname") == ["新面孔"]
    _search(qtbot, tab, "@NewFace_2026")
    assert _shown(tab, "nickname") == ["新面孔"]
    context.undo_stack.undo()  # the new creator goes to the trash
    assert tab.model.total == 0


def test_scrolling_to_the_end_shows_the_last_row_without_reading_every_row(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_model, "PAGE", 40)  # the demo's 395 rows as ten pages
    tab = _tab(qtbot, context)
    model = tab.model
    assert model.rowCount() == model.total == 395  # the real length, not a loaded prefix
    last = fetch_accounts(context.workspace, 394, 1)[0]  # the OFFSET query: the truth
    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.table.rowAt(tab.table.viewport().height() - 2) in (-1, 394))
    index = model.index(394, COLUMN_KEYS.index("nickname"))
    assert tab.table.viewport().rect().intersects(tab.table.visualRect(index))
    qtbot.waitUntil(lambda: model.data(index) == last.nickname)  # read on a worker
    assert model.cached_rows <= 3 * 40  # the first page and those shown: not the middle


def test_a_keystroke_shows_the_visible_rows_first_then_the_rest(qtbot: QtBot, context: AppContext) -> None:
    model = CreatorTableModel(context.workspace)
    QAbstractItemModelTester(model, FATAL)
    query = model.new_query(CreatorFilter())
    assert model.show_first_page(query, query.first_page() or [])
    assert model.rowCount() == FIRST_ROWS and not model.is_counted
    assert model.show_all(query, query.ids() or [])
    assert model.rowCount() == model.total == 395
    truth = fetch_accounts(context.workspace, 0, PAGE)
    # The rest of the first page is read when shown, like any other page (on a worker).
    assert model.data(model.index(PAGE - 1, 0)) is None
    qtbot.waitUntil(lambda: [model.data(model.index(r, 0)) for r in range(PAGE)]
                    == [r.nickname for r in truth])


def test_a_newer_search_wins_over_an_older_slower_one(qtbot: QtBot, context: AppContext) -> None:
    model = CreatorTableModel(context.workspace)
    QAbstractItemModelTester(model, FATAL)
    older = model.new_query(CreatorFilter(search="鱼"))
    newer = model.new_query(CreatorFilter(search="牛奶"))
    newer_page, older_page = newer.first_page(), older.first_page()
    assert model.show_first_page(newer, newer_page)
    # The older query's answers arrive last (it was slower): both are ignored.
    assert not model.show_first_page(older, older_page)
    assert not model.show_all(older, older.ids())
    assert model.show_all(newer, newer.ids())
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert model.filter.search == "牛奶" and names and all("牛奶" in n for n in names)

    # The same through the search box: typed fast, only the last text's rows are shown.
    tab = _tab(qtbot, context)
    type_text(qtbot, tab.search, "鱼")
    tab.search.clear()
    type_text(qtbot, tab.search, "牛奶")
    qtbot.waitUntil(lambda: tab.model.filter.search == "牛奶" and tab.model.is_counted)
    qtbot.wait(200)  # any older answer still on its way has had time to arrive
    assert tab.model.filter.search == "牛奶" and all("牛奶" in n for n in _shown(tab, "nickname"))
    assert tab.count_label.text() == f"{tab.model.total} accounts" and tab.count_label.isEnabled()


def test_the_creator_page_shows_past_results_and_who_changed_what(
        qtbot: QtBot, context: AppContext) -> None:
    from sqlalchemy import select

    ws = context.workspace
    with ws.session() as session:
        creator_id = session.scalar(select(Collaboration.creator_id).where(Collaboration.stage == "paid"))
    assert creator_id is not None
    results = past_results(ws, creator_id)
    activity.set_user(ws, "小王")
    try:
        fields = read_fields(ws, creator_id)
        update_creator(ws, creator_id, CreatorFields(**{**fields.__dict__, "notes": "只接视频"}))
    finally:
        activity.set_user(ws, None)
    tab = _tab(qtbot, context)
    tab.panel.show_creator(creator_id)
    panel = tab.panel
    assert panel.sections.tabText(3).startswith("History")
    assert results and panel.past_results.model.rowCount() == len(results)
    assert "Internal rating" in panel.past_results.summary.text()
    changes = [[panel.changes_model.data(panel.changes_model.index(r, c)) for c in range(3)]
               for r in range(panel.changes_model.rowCount())]
    assert changes and changes[0][1] == "小王" and changes[0][2].startswith("Edited creator")
    assert changes[0][2].endswith(": Notes") and panel.changes_empty.isHidden()
