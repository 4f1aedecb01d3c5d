"""The Creators tab: the searchable, filterable list on the left, the creator page on the
right, and the actions on one creator or a selection (edits are undoable).

The forms, the actions and the edit service are imported when first used: the tab is
on the start-up path, they are not (tens of milliseconds of imports)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kol_desk.domain import Deliverable, Platform
from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.ui.common.empty_state import EmptyStack, EmptyState
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.creators.creator_page import CreatorPanel
from kol_desk.ui.creators.filter_bar import FilterBar
from kol_desk.ui.creators.list_view import CreatorListView
from kol_desk.ui.creators.table_model import (
    COLUMN_KEYS,
    COLUMNS,
    FIRST_ROWS,
    CreatorTableModel,
    column_title,
)

if TYPE_CHECKING:
    from kol_desk.services.creator_edit import CreatorFields
    from kol_desk.services.creator_filters import CreatorFilter
    from kol_desk.services.creators import AccountRow
    from kol_desk.services.quote_edit import QuoteFields

PREF_COLUMNS = "creators.columns"
PREF_MODE = "creators.by_creator"
PREF_PANEL_WIDTH = "creators.page_width"
# The creator page: wide enough for its quote table (deliverable, price, source, date)
# and history (campaign … CPE, CPM) at the app's default font, in either language.
PANEL_WIDTH, PANEL_MIN_WIDTH = 600, 360
DEFAULT_WIDTHS = {"nickname": 170, "platform": 100, "handle": 140, "followers": 95, "tier": 75,
                  "engagement_rate": 80, "category": 70, "city": 60, "expected_cpe": 90,
                  "agency": 120, "risk": 70, "last_collaboration": 150,
                  **{f"quote:{d.value}": 115 for d in Deliverable}}


class CreatorsTab(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.last_export: Path | None = None  # the creator export written last (its tooltip)
        self.duplicates_dialog: QWidget | None = None  # the open "Find duplicates" window
        self.filters = FilterBar(context)
        self.search = self.filters.search  # the main window's Find focuses this
        self.count_label = self.filters.count_label
        self.model = CreatorTableModel(context.workspace, self)
        self.table = CreatorListView(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.panel = CreatorPanel(context.workspace)

        self.new_button = QPushButton(tr("New creator…"))
        self.bulk_button = QToolButton()
        self.bulk_button.setText(tr("With selected"))
        self.bulk_button.setToolTip(tr("Tag, set risk, add to a campaign, export or trash the selected rows"))
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.bulk_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.bulk_menu = QMenu(self)
        self.tag_action = self._menu_action(tr("Add tags…"), self.bulk_tag)
        self.risk_action = self._menu_action(tr("Set risk…"), self.bulk_risk)
        self.shortlist_action = self._menu_action(tr("Add to campaign…"), self.bulk_shortlist)
        self.export_action = self._menu_action(tr("Export to .xlsx…"), self.bulk_export)
        self.bulk_menu.addSeparator()
        self.delete_action = self._menu_action(tr("Move to trash"), self.delete_selected)
        self.restore_action = self._menu_action(tr("Restore from trash"), self.restore_selected)
        self.bulk_button.setMenu(self.bulk_menu)
        self.duplicates_button = QPushButton(tr("Find duplicates…"))
        self.trash_button = QToolButton()
        self.trash_button.setCheckable(True)
        self.trash_button.setText(tr("Trash"))
        self.trash_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.columns_button = QPushButton(tr("Columns…"))
        with_icons((self.new_button, "add"), (self.duplicates_button, "duplicates"),
                   (self.trash_button, "trash"), (self.columns_button, "columns"))
        tools = QHBoxLayout()
        for widget in (self.new_button, self.bulk_button, self.duplicates_button, self.trash_button,
                       self.columns_button):
            tools.addWidget(widget)
        tools.addStretch(1)
        for saved in self.filters.saved_widgets:
            tools.addWidget(saved)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filters)
        left_layout.addLayout(tools)
        self.empty = EmptyState(
            tr("No creators yet"),
            tr("This is your creator database: every creator with their accounts, quotes and "
               "past collaborations. Start from the lists agencies send you, add a creator by "
               "hand, or look around the demo first."),
            extra=[("new", tr("Add a creator…"))])
        self.empty.action_requested.connect(lambda key: self.new_creator() if key == "new" else None)
        self.list_stack = EmptyStack(self.table, self.empty)
        left_layout.addWidget(self.list_stack, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panel)
        # The list is what she works in; the creator page keeps the width its quote and
        # history tables need (or the width she dragged it to) when the window grows.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(7)
        self.panel.setMinimumWidth(PANEL_MIN_WIDTH)
        width = context.preferences.get(PREF_PANEL_WIDTH)
        self._chosen_width = width if isinstance(width, int) and width >= PANEL_MIN_WIDTH else None
        self._panel_width = self._chosen_width or PANEL_WIDTH
        self.splitter.setSizes([max(400, self.width() - self._panel_width), self._panel_width])
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._panel_moved())
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        by_creator = bool(context.preferences.get(PREF_MODE, False))
        self.filters.mode.setCurrentIndex(1 if by_creator else 0)
        self.model.page_shown.connect(self._page_shown)
        self.model.counted.connect(self._update_count)
        self.model.failed.connect(self.count_label.setText)
        # One query at start: the model loads sorted by followers (its default), and the
        # view, told that order before sorting is enabled, does not ask again. No
        # selection to find again: a keystroke's first page is enough (200 rows cost
        # start-up 15-20 ms more), the rest comes from a worker.
        self.model.refresh(self.filters.current_filter(), by_creator, FIRST_ROWS)
        header.setSortIndicator(COLUMN_KEYS.index("followers"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self._restore_columns()  # after the sort indicator, which widens every title

        self.filters.changed.connect(self.search_in_background)
        self.filters.mode_changed.connect(self._mode_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_current())
        self.table.selectionModel().selectionChanged.connect(lambda _s, _d: self._update_actions())
        self.table.customContextMenuRequested.connect(self._table_menu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.columns_button.clicked.connect(lambda: self._header_menu(QPoint(0, 0), self.columns_button))
        header.sectionMoved.connect(lambda *_a: self._save_columns())
        self.new_button.clicked.connect(self.new_creator)
        self.duplicates_button.clicked.connect(self.find_duplicates)
        self.trash_button.toggled.connect(lambda _on: self.refresh())
        self.panel.edit_requested.connect(self.edit_current)
        self.panel.risk_requested.connect(self.risk_current)
        self.panel.delete_requested.connect(self.delete_current)
        self.panel.restore_requested.connect(self.restore_current)
        self.panel.add_account_requested.connect(self.add_account)
        self.panel.edit_account_requested.connect(self.edit_account)
        self.panel.remove_account_requested.connect(self.remove_account)
        self.panel.edit_quote_requested.connect(self.edit_quote)
        self.panel.remove_quote_requested.connect(self.remove_quote)
        self.panel.negotiate_requested.connect(self.negotiate)
        context.events.changed.connect(self._data_changed)
        if context.read_only:
            # A read-only workspace (e.g. opened while another window writes it): look only.
            for widget in (self.new_button, self.duplicates_button):
                widget.setEnabled(False)
            self.panel.read_only = True
        self._update_actions()

    def _panel_moved(self) -> None:
        self._panel_width = self._chosen_width = self.splitter.sizes()[1]
        self.context.preferences.set(PREF_PANEL_WIDTH, self._panel_width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Until she drags the handle, the page takes two fifths of the tab (up to
        # PANEL_WIDTH); after that, the width she chose, and the list the rest.
        if self._chosen_width is None:
            self._panel_width = max(PANEL_MIN_WIDTH, min(PANEL_WIDTH, self.width() * 2 // 5))
        self.splitter.setSizes([max(1, self.splitter.width() - self._panel_width
                                    - self.splitter.handleWidth()), self._panel_width])

    def _menu_action(self, text: str, slot: Any) -> QAction:
        action = self.bulk_menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- list ------------------------------------------------------------------------
    def _wanted_filter(self) -> CreatorFilter:
        flt = self.filters.current_filter()
        return replace(flt, deleted=True) if self.trash_button.isChecked() else flt

    def refresh(self) -> None:
        self.model.refresh(self._wanted_filter())

    def search_in_background(self) -> None:
        """Typing and filtering query on a worker thread, so the box never stutters even
        when a query takes a while; only the newest query's answer is shown."""
        self.model.search(self._wanted_filter())

    def _mode_changed(self, by_creator: bool) -> None:
        self.context.preferences.set(PREF_MODE, by_creator)
        self.model.search(by_creator=by_creator)

    def _page_shown(self) -> None:
        if not self.model.is_counted:
            # The previous count, greyed, until the worker has counted the new rows.
            self.count_label.setEnabled(False)
            if not self.count_label.text():
                self.count_label.setText(tr("Counting…"))
        self._show_current()

    def _update_count(self) -> None:
        self.count_label.setEnabled(True)
        total = self.model.total
        if self.trash_button.isChecked():
            text = tr("{n} in the trash", n=f"{total:,}")
        elif self.model.by_creator:
            text = tr("1 creator") if total == 1 else tr("{n} creators", n=f"{total:,}")
        else:
            text = tr("1 account") if total == 1 else tr("{n} accounts", n=f"{total:,}")
        self.count_label.setText(text)
        # An empty workspace says what to do first; a search that finds nothing keeps the list.
        empty = total == 0 and not self.trash_button.isChecked() and self.filters.current_filter().is_empty
        self.list_stack.show_empty(empty)
        self.panel.setVisible(not empty)
        for button in (self.bulk_button, self.duplicates_button, self.columns_button):
            button.setVisible(not empty)

    def _data_changed(self, change: Change) -> None:
        if change.touches(Change.CREATORS):
            self.filters.reload_choices()
            selected = self.current_row()
            self.model.refresh()
            self._reselect(selected)
            self.panel.refresh()

    def _reselect(self, row: AccountRow | None) -> None:
        index = self.model.row_of(row.account_id) if row is not None else None
        if index is not None:
            self.table.selectRow(index)

    def current_row(self) -> AccountRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_at(index.row())

    def selected_rows(self) -> list[AccountRow]:
        rows = (self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows())
        return [r for r in rows if r is not None]

    def _show_current(self) -> None:
        row = self.current_row()
        if row is None or row.creator_id != self.panel.creator_id:
            self.panel.show_creator(row.creator_id if row else None)

    def _update_actions(self) -> None:
        has = bool(self.table.selectionModel().selectedRows())
        trash = self.trash_button.isChecked()
        writable = has and not self.context.read_only
        for action in (self.tag_action, self.risk_action, self.shortlist_action, self.delete_action):
            action.setEnabled(writable and not trash)
        self.export_action.setEnabled(has)
        self.restore_action.setEnabled(writable and trash)

    def _table_menu(self, point: QPoint) -> None:
        self.bulk_menu.exec(self.table.viewport().mapToGlobal(point))

    # -- columns ---------------------------------------------------------------------
    def _restore_columns(self) -> None:
        saved = self.context.preferences.get(PREF_COLUMNS) or {}
        header = self.table.horizontalHeader()
        hidden = set(saved.get("hidden", [c.key for c in COLUMNS if not c.shown]))
        chosen = saved.get("widths", {})
        for logical, column in enumerate(COLUMNS):
            header.setSectionHidden(logical, column.key in hidden)
            # A default never clips its title (English titles are longer than Chinese);
            # a width the user dragged is kept as it is.
            width = chosen.get(column.key) or max(DEFAULT_WIDTHS.get(column.key, 100),
                                                  header.sectionSizeHint(logical),
                                                  self._platform_width() if column.key == "platform" else 0)
            header.resizeSection(logical, int(width))
        order = [k for k in saved.get("order", []) if k in COLUMN_KEYS]
        for visual, key in enumerate(order):
            header.moveSection(header.visualIndex(COLUMN_KEYS.index(key)), visual)

    def _platform_width(self) -> int:
        """The widest platform name in this language ("WeChat Official Account"), whole."""
        from kol_desk.labels import platform_label

        metrics = self.table.fontMetrics()
        return max(metrics.horizontalAdvance(platform_label(p.value)) for p in Platform) + 14

    def _save_columns(self) -> None:
        header = self.table.horizontalHeader()
        order = [COLUMN_KEYS[header.logicalIndex(v)] for v in range(header.count())]
        hidden = [c.key for i, c in enumerate(COLUMNS) if header.isSectionHidden(i)]
        widths = {c.key: header.sectionSize(i) for i, c in enumerate(COLUMNS) if not header.isSectionHidden(i)}
        self.context.preferences.set(PREF_COLUMNS, {"order": order, "hidden": hidden, "widths": widths})

    def column_menu(self) -> QMenu:
        menu = QMenu(self)
        header = self.table.horizontalHeader()
        for logical, column in enumerate(COLUMNS):
            action = menu.addAction(column_title(column))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(logical))
            action.setEnabled(column.key != "nickname")  # a row needs a name
            action.toggled.connect(lambda on, i=logical: self.set_column_visible(i, on))
        return menu

    def set_column_visible(self, logical: int, visible: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(logical, not visible)
        if visible and self.table.horizontalHeader().sectionSize(logical) < 30:
            self.table.horizontalHeader().resizeSection(logical, 100)
        self._save_columns()

    def _header_menu(self, point: QPoint, source: QWidget | None = None) -> None:
        widget = source or self.table.horizontalHeader()
        self.column_menu().exec(widget.mapToGlobal(point))

    # -- one creator -----------------------------------------------------------------
    def _agencies(self) -> list[tuple[int, str]]:
        from kol_desk.services.creators import filter_choices

        return filter_choices(self.context.workspace).agencies

    def _fail(self, error: Exception) -> None:
        QMessageBox.warning(self, tr("Cannot save"), str(error))

    def _ask(self, dialog: Any, save: Callable[[Any], Any]) -> tuple[Any, Any] | None:
        """Runs a form until the service accepts what it holds (a refusal, e.g. a handle
        already taken, is shown in the form) or the user cancels."""
        while dialog.exec():
            fields = dialog.fields()
            try:
                return fields, save(fields)
            except KnownError as exc:
                dialog.show_error(str(exc))
        return None

    def new_creator(self) -> None:
        """The creator's fields, then its first account; saved together."""
        from kol_desk.services import creator_edit as edit
        from kol_desk.ui.creators.dialogs import AccountDialog, CreatorDialog
        from kol_desk.ui.creators.undo import push

        ws = self.context.workspace
        dialog = CreatorDialog(None, self._agencies(), self)
        if not dialog.exec():
            return
        fields = dialog.fields()
        done = self._ask(AccountDialog(None, self), lambda a: edit.create_creator(ws, fields, a))
        if done is None:
            return
        creator_id = done[1]
        push(self.context, tr("New creator {name}", name=fields.nickname),
             lambda: edit.restore_creators(ws, [creator_id]),
             lambda: edit.delete_creators(ws, [creator_id]), self)
        self.panel.show_creator(creator_id)

    def edit_current(self) -> None:
        from kol_desk.services import creator_edit as edit
        from kol_desk.ui.common.save_guard import save_guarded
        from kol_desk.ui.creators.dialogs import CreatorDialog

        creator_id = self.panel.creator_id
        if creator_id is None:
            return
        ws = self.context.workspace
        before, loaded = edit.read_for_edit(ws, creator_id)
        done = self._ask(CreatorDialog(before, self._agencies(), self), lambda f: save_guarded(
            self, lambda: edit.update_creator(ws, creator_id, f, loaded=loaded)))
        if done is not None and done[1] is not None:  # None: the colleague's version was kept
            self._push_fields(creator_id, before, done[1], tr("Edit {name}", name=done[1].nickname))
        elif done is not None:
            self.context.events.announce(Change.CREATORS)

    def _push_fields(self, creator_id: int, before: CreatorFields, after: CreatorFields, text: str) -> None:
        from kol_desk.services import creator_edit as edit
        from kol_desk.ui.common.save_guard import save_guarded
        from kol_desk.ui.creators.undo import push

        ws = self.context.workspace
        seen = [edit.read_for_edit(ws, creator_id)[1]]  # what our last write left

        changed = [k for k, v in asdict(before).items() if asdict(after)[k] != v]

        def write(fields: CreatorFields, shown: CreatorFields) -> None:
            # Undo and redo are saves too: a change of the same fields since then (a
            # colleague's) is not overwritten without the conflict dialog. Other fields
            # may have moved on (the user's own later edits step the version too).
            now, fresh = edit.read_for_edit(ws, creator_id)
            untouched = all(getattr(now, k) == getattr(shown, k) for k in changed)
            loaded = fresh if untouched else seen[0]
            save_guarded(self, lambda: edit.update_creator(ws, creator_id, fields, loaded=loaded))
            seen[0] = edit.read_for_edit(ws, creator_id)[1]

        push(self.context, text, lambda: write(after, before), lambda: write(before, after), self)

    def risk_current(self) -> None:
        from kol_desk.ui.creators import actions
        from kol_desk.ui.creators.dialogs import RiskDialog

        page = self.panel.page
        if page is None:
            return
        dialog = RiskDialog(1, page.risk_level, page.risk_reason, page.risk_date, page.blacklisted,
                            page.blacklist_reason, self)
        if dialog.exec():
            actions.apply_risk(self, [page.id], dialog.change())

    def delete_current(self) -> None:
        if self.panel.creator_id is not None:
            self.delete_creators([self.panel.creator_id])

    def restore_current(self) -> None:
        if self.panel.creator_id is not None:
            self.restore_creators([self.panel.creator_id])

    def negotiate(self, account_id: int | None = None) -> QWidget | None:
        """The negotiation desk for the account (else the list's current row's)."""
        from kol_desk.ui.negotiation.view import open_negotiation

        if account_id is None:
            # Typed a search and pressed the shortcut: the top match when none is picked.
            row = self.current_row() or (self.model.row_at(0) if self.model.rowCount() else None)
            account_id = row.account_id if row is not None else None
        if account_id is None:
            return None
        self._negotiation = open_negotiation(self.context, account_id, self, getattr(self, "_negotiation", None))
        return self._negotiation

    def add_account(self) -> None:
        from kol_desk.services import creator_edit as edit
        from kol_desk.ui.creators.dialogs import AccountDialog
        from kol_desk.ui.creators.undo import push

        creator_id = self.panel.creator_id
        if creator_id is None:
            return
        ws = self.context.workspace
        done = self._ask(AccountDialog(None, self), lambda f: edit.add_account(ws, creator_id, f))
        if done is None:
            return
        fields, account_id = done
        state: dict[str, Any] = {"id": account_id}

        def redo() -> None:
            state["id"] = edit.add_account(ws, creator_id, fields)

        push(self.context, tr("Add account {handle}", handle=fields.handle), redo,
             lambda: edit.remove_account(ws, state["id"]), self)

    def edit_account(self, account_id: int) -> None:
        from kol_desk.services import creator_edit as edit
        from kol_desk.ui.common.save_guard import save_guarded
        from kol_desk.ui.creators.dialogs import AccountDialog
        from kol_desk.ui.creators.undo import push

        ws = self.context.workspace
        before, loaded = edit.read_account_for_edit(ws, account_id)
        # A colleague's save since the form opened meets the conflict dialog, as a creator's does.
        done = self._ask(AccountDialog(before, self), lambda f: save_guarded(
            self, lambda: edit.update_account(ws, account_id, f, loaded=loaded)))
        if done is None:
            return
        if done[1] is None:  # the colleague's version was kept
            self.context.events.announce(Change.CREATORS)
            return
        after = done[1]
        push(self.context, tr("Edit account {handle}", handle=after.handle),
             lambda: edit.update_account(ws, account_id, after),
             lambda: edit.update_account(ws, account_id, before), self)

    def remove_account(self, account_id: int) -> None:
        from kol_desk.services import creator_edit as edit
        from kol_desk.ui.creators.undo import push

        ws = self.context.workspace
        fields = edit.read_account(ws, account_id)
        answer = QMessageBox.question(self, tr("Remove account"), tr(
            "Remove the account {handle} and its quotes? You can undo this (Ctrl+Z).", handle=fields.handle))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            snapshot = edit.remove_account(ws, account_id)
        except KnownError as exc:
            self._fail(exc)
            return
        state = {"snapshot": snapshot}

        def redo() -> None:
            state["snapshot"] = edit.remove_account(ws, account_id)

        push(self.context, tr("Remove account {handle}", handle=fields.handle), redo,
             lambda: edit.restore_account(ws, state["snapshot"]), self)

    # -- quotes ----------------------------------------------------------------------
    def _quote_names(self, quote_id: int) -> tuple[str, str]:
        """The quote's account (for the undo step's name) and a line saying which quote
        the dialog is about."""
        from kol_desk.ui.creators.creator_page import quote_about

        quote = self.panel.quote_shown(quote_id)
        if quote is None:
            return "", ""
        return quote.handle, quote_about(quote)

    def edit_quote(self, quote_id: int) -> None:
        from kol_desk.services import quote_edit
        from kol_desk.ui.creators.dialogs import QuoteDialog, save_quote_guarded

        ws = self.context.workspace
        try:
            before, loaded = quote_edit.read_quote_for_edit(ws, quote_id)
        except KnownError as exc:  # removed meanwhile (a colleague, an undone import)
            self._fail(exc)
            self.context.events.announce(Change.CREATORS)
            return
        handle, about = self._quote_names(quote_id)
        done = self._ask(QuoteDialog(before, about, self), lambda f: save_quote_guarded(
            self, lambda: quote_edit.update_quote(ws, quote_id, f, loaded=loaded)))
        if done is None:
            return
        typed, after = done
        if after is None:  # the colleague's version was kept: show it
            self.context.events.announce(Change.CREATORS)
            return
        # The undo step is the user's own change: the fields they changed in the form
        # (after a merge, the colleague's fields are theirs, not undone with it).
        changed = [k for k, v in asdict(before).items()
                   if getattr(typed, k) != v and getattr(after, k) != v]
        if changed:
            self._push_quote(quote_id, before, after, changed,
                             tr("Edit quote of {handle}", handle=handle))

    def _push_quote(self, quote_id: int, before: QuoteFields, after: QuoteFields,
                    changed: list[str], text: str) -> None:
        from kol_desk.services import quote_edit
        from kol_desk.ui.creators.dialogs import save_quote_guarded
        from kol_desk.ui.creators.undo import push

        ws = self.context.workspace
        seen = [quote_edit.read_quote_for_edit(ws, quote_id)[1]]  # what our last write left

        def write(target: QuoteFields, shown: QuoteFields) -> None:
            # Undo and redo are saves too, of the changed fields only: a colleague's
            # change of other fields stays, one of the same fields since meets the
            # conflict dialog.
            now, fresh = quote_edit.read_quote_for_edit(ws, quote_id)
            untouched = all(getattr(now, k) == getattr(shown, k) for k in changed)
            loaded = fresh if untouched else seen[0]
            wanted = replace(now, **{k: getattr(target, k) for k in changed})
            save_quote_guarded(self, lambda: quote_edit.update_quote(ws, quote_id, wanted, loaded=loaded))
            seen[0] = quote_edit.read_quote_for_edit(ws, quote_id)[1]

        push(self.context, text, lambda: write(after, before), lambda: write(before, after), self)

    def remove_quote(self, quote_id: int) -> None:
        from kol_desk.services import quote_edit
        from kol_desk.ui.creators.undo import push

        ws = self.context.workspace
        handle, about = self._quote_names(quote_id)
        answer = QMessageBox.question(self, tr("Remove quote"), tr(
            "Remove this quote? You can undo this (Ctrl+Z).\n{quote}", quote=about))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            snapshot = quote_edit.remove_quote(ws, quote_id)
        except KnownError as exc:
            self._fail(exc)
            self.context.events.announce(Change.CREATORS)
            return
        state = {"snapshot": snapshot}

        def redo() -> None:
            state["snapshot"] = quote_edit.remove_quote(ws, quote_id)

        push(self.context, tr("Remove quote of {handle}", handle=handle), redo,
             lambda: quote_edit.restore_quote(ws, state["snapshot"]), self)

    # -- selection -------------------------------------------------------------------
    def bulk_tag(self) -> None:
        from kol_desk.ui.creators import actions

        actions.bulk_tag(self, self.selected_rows())

    def bulk_risk(self) -> None:
        from kol_desk.ui.creators import actions
        from kol_desk.ui.creators.dialogs import RiskDialog

        rows = self.selected_rows()
        if rows:
            dialog = RiskDialog(len({r.creator_id for r in rows}), parent=self)
            if dialog.exec():
                actions.apply_risk(self, sorted({r.creator_id for r in rows}), dialog.change())

    def bulk_shortlist(self) -> None:
        from kol_desk.ui.creators import actions

        actions.shortlist(self, self.selected_rows())

    def bulk_export(self) -> None:
        from kol_desk.ui.creators import actions

        actions.export_selection(self, self.selected_rows())

    def delete_selected(self) -> None:
        self.delete_creators(sorted({r.creator_id for r in self.selected_rows()}))

    def restore_selected(self) -> None:
        self.restore_creators(sorted({r.creator_id for r in self.selected_rows()}))

    def delete_creators(self, creator_ids: list[int]) -> None:
        from kol_desk.ui.creators import actions

        actions.delete_creators(self, creator_ids)

    def restore_creators(self, creator_ids: list[int]) -> None:
        from kol_desk.ui.creators import actions

        actions.restore_creators(self, creator_ids)

    def find_duplicates(self) -> None:
        from kol_desk.ui.creators import actions

        actions.find_duplicates(self)
