"""Actions on one or more creators from the Creators tab: tags, risk, the trash,
shortlisting into a campaign, exporting, and finding and merging duplicates."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from kol_desk.errors import KnownError
from kol_desk.i18n import tr
from kol_desk.labels import risk_label
from kol_desk.paths import data_dir
from kol_desk.services import creator_edit as edit
from kol_desk.services import duplicates
from kol_desk.services.creator_edit import RiskChange
from kol_desk.services.creators import AccountRow
from kol_desk.ui.campaigns.dialogs import shortlist_into_campaign
from kol_desk.ui.common.row_model import Column, RowTableModel
from kol_desk.ui.common.workers import JobControl, start_job
from kol_desk.ui.creators.undo import push

if TYPE_CHECKING:
    from kol_desk.ui.creators.tab import CreatorsTab


def apply_risk(tab: CreatorsTab, creator_ids: list[int], change: RiskChange) -> None:
    ws = tab.context.workspace
    try:
        previous = edit.set_risk(ws, creator_ids, change)
    except KnownError as exc:
        QMessageBox.warning(tab, tr("Cannot save"), str(exc))
        return
    push(tab.context, tr("Set risk to {level} on {n} creator(s)", level=risk_label(change.level),
                         n=len(creator_ids)),
         lambda: edit.set_risk(ws, creator_ids, change), lambda: edit.restore_risk(ws, previous), tab)


def delete_creators(tab: CreatorsTab, creator_ids: list[int]) -> None:
    if not creator_ids:
        return
    ws = tab.context.workspace
    moved = edit.delete_creators(ws, creator_ids)
    if moved:
        push(tab.context, tr("Move {n} creator(s) to the trash", n=len(moved)),
             lambda: edit.delete_creators(ws, moved), lambda: edit.restore_creators(ws, moved), tab)


def restore_creators(tab: CreatorsTab, creator_ids: list[int]) -> None:
    if not creator_ids:
        return
    ws = tab.context.workspace
    edit.restore_creators(ws, creator_ids)
    push(tab.context, tr("Restore {n} creator(s) from the trash", n=len(creator_ids)),
         lambda: edit.restore_creators(ws, creator_ids), lambda: edit.delete_creators(ws, creator_ids), tab)


def bulk_tag(tab: CreatorsTab, rows: list[AccountRow], text: str | None = None) -> None:
    creator_ids = sorted({r.creator_id for r in rows})
    if not creator_ids:
        return
    if text is None:
        text, ok = QInputDialog.getText(tab, tr("Add tags"), tr(
            "Tags to add to {n} creator(s), comma separated:", n=len(creator_ids)))
        if not ok:
            return
    tags = [t.strip() for t in text.replace("，", ",").split(",") if t.strip()]
    if not tags:
        return
    ws = tab.context.workspace
    added = edit.add_tags(ws, creator_ids, tags)
    push(tab.context, tr("Tag {n} creator(s)", n=len(creator_ids)),
         lambda: edit.add_tags(ws, creator_ids, tags), lambda: edit.remove_tags(ws, added), tab)


# -- shortlist -------------------------------------------------------------------------

def shortlist(tab: CreatorsTab, rows: list[AccountRow]) -> None:
    account_ids = [r.account_id for r in rows if r.account_id is not None]
    message = shortlist_into_campaign(tab, tab.context, account_ids)
    if message is None:
        return
    window = tab.window()
    status = getattr(window, "statusBar", None)
    if callable(status):
        status().showMessage(message, 8000)
    tab.filters.count_label.setToolTip(message)


# -- export ----------------------------------------------------------------------------

def export_selection(tab: CreatorsTab, rows: list[AccountRow], path: str | None = None) -> None:
    from kol_desk.exporting.creator_selection import write_selection

    if not rows:
        return
    if path is None:
        path, _ = QFileDialog.getSaveFileName(tab, tr("Export selection"),
                                              str(data_dir() / "creators.xlsx"), tr("Excel workbook (*.xlsx)"))
        if not path:
            return
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    ws, by_creator = tab.context.workspace, tab.model.by_creator
    account_ids = [r.account_id for r in rows if r.account_id is not None]
    creator_ids = [r.creator_id for r in rows]

    def work(control: JobControl) -> int:
        return write_selection(ws, path, account_ids=None if by_creator else account_ids,
                               creator_ids=creator_ids if by_creator else None, by_creator=by_creator,
                               progress=lambda done, total: control.progress(done, total))

    def done(count: object) -> None:
        tab.last_export = Path(path)
        tab.filters.count_label.setToolTip(tr("Exported {n} rows to {path}", n=count, path=path))

    def failed(error: BaseException) -> None:
        QMessageBox.critical(tab, tr("Export failed"), str(error))

    start_job(work, done, failed, parent=tab, title=tr("Exporting…"))


# -- duplicates ------------------------------------------------------------------------

PAIR_COLUMNS = [
    Column("Keep", lambda p: p.keep_name),
    Column("Merge into it", lambda p: p.other_name),
    Column("Why", lambda p: {"handle": tr("same handle"), "url": tr("same profile link"),
                             "nickname": tr("similar nickname, same followers")}[p.reason]),
    Column("Detail", lambda p: p.detail),
]


class DuplicatesDialog(QDialog):
    def __init__(self, tab: CreatorsTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.setWindowTitle(tr("Find duplicates"))
        self.model = RowTableModel(PAIR_COLUMNS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(tr("Looking for duplicates…"))
        self.merge_button = QPushButton(tr("Merge"))
        self.swap_button = QPushButton(tr("Keep the other one"))
        close = QPushButton(tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.swap_button, self.merge_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Creators that are probably the same person. Merging keeps every "
                                   "account, quote, collaboration, tag and note; Ctrl+Z undoes it.")))
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.merge_button.clicked.connect(lambda: self.merge_selected(swap=False))
        self.swap_button.clicked.connect(lambda: self.merge_selected(swap=True))
        self.resize(760, 420)
        self.job = start_job(lambda control: duplicates.find_duplicates(
            tab.context.workspace, lambda d, t: control.progress(d, t)), self._found,
            lambda e: self.status.setText(str(e)), parent=self, title=tr("Looking for duplicates…"))

    def _found(self, pairs: object) -> None:
        assert isinstance(pairs, list)
        self.model.set_rows(pairs)
        self.status.setText(tr("{n} possible duplicates", n=len(pairs)))
        if pairs:
            self.view.selectRow(0)

    def merge_selected(self, swap: bool) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        pair = self.model.row_object(rows[0].row())
        keep, other = (pair.other_id, pair.keep_id) if swap else (pair.keep_id, pair.other_id)
        ws = self.tab.context.workspace
        try:
            record = duplicates.merge_creators(ws, keep, other)
        except KnownError as exc:
            QMessageBox.warning(self, tr("Cannot merge"), str(exc))
            return
        state = {"record": record}

        def redo() -> None:
            state["record"] = duplicates.merge_creators(ws, keep, other)

        push(self.tab.context, tr("Merge {other} into {keep}", other=pair.other_name if not swap else pair.keep_name,
                                  keep=pair.keep_name if not swap else pair.other_name),
             redo, lambda: duplicates.unmerge(ws, state["record"]), self)
        remaining = [p for p in self.model.rows if {p.keep_id, p.other_id}.isdisjoint({other})]
        self._found(remaining)


def find_duplicates(tab: CreatorsTab) -> DuplicatesDialog:
    dialog = DuplicatesDialog(tab)
    dialog.setModal(False)
    dialog.show()
    tab.duplicates_dialog = dialog
    return dialog
