"""The pages of the import wizard. They show and edit ``ImportState``; the wizard runs
the work (reading, planning, committing) on workers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kol_desk.i18n import sentences, tr
from kol_desk.importing.columns import LOW_CONFIDENCE
from kol_desk.labels import FIELD_LABELS
from kol_desk.services.import_reading import sheet_columns
from kol_desk.services.shortlist import IMPORT_ACCOUNTS_SHOWN
from kol_desk.ui.campaigns.dialogs import shortlist_into_campaign
from kol_desk.ui.common.empty_state import HintedListView
from kol_desk.ui.common.icons import with_icons
from kol_desk.ui.common.tables import NoFocusFrame
from kol_desk.ui.importing.mapping_status import AMBER, MappingStatus
from kol_desk.ui.importing.models import (
    CORRECTION_COLUMN,
    ProblemItem,
    conflicts_model,
    preview_model,
    problems_model,
    results_model,
    summary_model,
)

if TYPE_CHECKING:
    from kol_desk.ui.importing.wizard import ImportWizard

LIST_FILTER = "Agency lists (*.xlsx *.xlsm *.xls *.csv *.ods *.txt *.tsv);;All files (*)"
PREVIEW_ROWS = 500
# Field keys the user can give a column; labels are English source text for tr().
FIELD_CHOICES: list[tuple[str, str]] = list(FIELD_LABELS.items())


def table_view(parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    view.setItemDelegate(NoFocusFrame(view))
    return view


class FilesPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Choose the lists"))
        self.setSubTitle(tr("Excel (.xlsx, .xlsm, .xls), CSV or .ods lists from agencies and "
                            "MCNs. Several files are imported one after another."))
        self.files_model = QStringListModel(self)
        self.files_view = HintedListView(tr("No list chosen yet. Add the Excel or CSV files an "
                                            "agency sent, or paste rows copied from a sheet."))
        self.files_view.setModel(self.files_model)
        self.add_button = QPushButton(tr("Add files…"))
        self.paste_button = QPushButton(tr("Paste rows…"))
        self.remove_button = QPushButton(tr("Remove"))
        self.history_button = QPushButton(tr("Import history…"))
        with_icons((self.add_button, "add"), (self.paste_button, "import"))
        self.agency = QComboBox()
        self.agency.setEditable(True)
        self.agency.setMinimumWidth(260)
        agency_line = self.agency.lineEdit()
        if agency_line is not None:
            agency_line.setPlaceholderText(tr("Who sent the list (optional)"))
        buttons = QVBoxLayout()
        for button in (self.add_button, self.paste_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.history_button)
        row = QHBoxLayout()
        row.addWidget(self.files_view, 1)
        row.addLayout(buttons)
        form = QFormLayout()
        form.addRow(tr("Agency / MCN:"), self.agency)
        hint = QLabel(tr("Quotes are recorded with this agency and today's date; a column "
                         "mapping you confirm is remembered for its next list."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addLayout(form)
        layout.addWidget(hint)
        self.add_button.clicked.connect(self.add_files)
        self.paste_button.clicked.connect(self.paste_rows)
        self.remove_button.clicked.connect(self.remove_selected)
        self.history_button.clicked.connect(wizard.show_history)

    def initializePage(self) -> None:
        current = self.agency.currentText()
        self.agency.clear()
        self.agency.addItems(["", *self.owner.agency_names()])
        self.agency.setCurrentText(current)

    def add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Import agency lists"), "", tr(LIST_FILTER))
        self.set_files([*self.files(), *(p for p in paths if p not in self.files())])

    def paste_rows(self) -> None:
        from kol_desk.ui.importing.paste_dialog import PasteDialog

        dialog = PasteDialog(self)
        if dialog.exec() == PasteDialog.DialogCode.Accepted:
            self.set_files([*self.files(), str(dialog.saved())])

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.files_view.selectionModel().selectedIndexes()}
        self.set_files([f for n, f in enumerate(self.files()) if n not in rows])

    def set_files(self, files: list[str]) -> None:
        self.files_model.setStringList(files)
        self.completeChanged.emit()

    def files(self) -> list[str]:
        return list(self.files_model.stringList())

    def isComplete(self) -> bool:
        return bool(self.files())

    def validatePage(self) -> bool:
        return self.owner.read_files([Path(f) for f in self.files()],
                                     self.agency.currentText().strip() or None)


class MappingPage(QWizardPage):
    """The detected column mapping of each sheet, editable, above a preview of its rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Check the columns"))
        self.setSubTitle(tr("KOL Desk found the header and matched the columns itself. Fix any "
                            "column that is wrong; the preview shows the rows as they will be "
                            "imported."))
        self.sheet_choice = QComboBox()
        self.sheet_info = QLabel()
        self.sheet_info.setWordWrap(True)
        self.status = MappingStatus(dict(FIELD_CHOICES), self.use_column)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        scroll.setMinimumWidth(300)
        self.preview = table_view()
        self.apply_button = QPushButton(tr("Apply the changed columns"))
        self.apply_button.setEnabled(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.apply_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Sheet:")))
        top.addWidget(self.sheet_choice, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sheet_info)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.combos: dict[int, QComboBox] = {}
        self.pending: dict[str, int | None] = {}
        self.sheet_choice.currentIndexChanged.connect(self.show_sheet)
        self.apply_button.clicked.connect(self.apply)

    def initializePage(self) -> None:
        self.sheet_choice.blockSignals(True)
        self.sheet_choice.clear()
        for path, parsed in self.owner.state.parsed.items():
            for sheet in parsed.sheets:
                self.sheet_choice.addItem(f"{path.name} · {sheet.name}", (str(path), sheet.name))
        self.sheet_choice.blockSignals(False)
        self.show_sheet()

    def current(self) -> tuple[Path, str] | None:
        data = self.sheet_choice.currentData()
        return (Path(data[0]), data[1]) if data else None

    def show_sheet(self) -> None:
        self.pending = {}
        self.apply_button.setEnabled(False)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        where = self.current()
        if where is None:
            self.status.show_sheet(None)
            return
        sheet = self.owner.state.sheet(*where)
        self.status.show_sheet(sheet)
        if sheet.header_row is None:
            self.sheet_info.setText(tr("No table of creators on this sheet (notes); it is skipped."))
        elif sheet.header_row == 0:
            self.sheet_info.setText(tr("No header row: the columns were matched from their "
                                       "values; {n} creator rows.", n=f"{len(sheet.rows):,}"))
        else:
            self.sheet_info.setText(tr("Header on row {row}; {n} creator rows.", row=sheet.header_row,
                                       n=f"{len(sheet.rows):,}"))
        for column, header, mapping in sheet_columns(sheet):
            combo = QComboBox()
            for key, label in FIELD_CHOICES:
                combo.addItem(tr(label), key)
            key = mapping.key if mapping is not None else ""
            found = combo.findData(key)
            combo.setCurrentIndex(max(found, 0))
            combo.setProperty("column", column)
            combo.setProperty("original", key)
            combo.currentIndexChanged.connect(lambda _i, c=combo: self.changed(c))
            self.combos[column] = combo
            title = QLabel(header)
            if mapping is not None and sheet.confidence.get(column, 1.0) < LOW_CONFIDENCE:
                title.setText(f"{header} ?")
                title.setStyleSheet(f"color: {AMBER};")
                title.setToolTip(tr("A guess from the values; check it."))
            self.form.addRow(title, combo)
        model = preview_model(sheet.rows[:PREVIEW_ROWS], self.preview)
        self.preview.setModel(model)
        self.preview.resizeColumnsToContents()

    def changed(self, combo: QComboBox) -> None:
        column = int(combo.property("column"))
        new, old = str(combo.currentData()), str(combo.property("original"))
        self.pending = {k: v for k, v in self.pending.items() if v != column}
        if new != old:
            if new:
                self.pending[new] = column
            elif old:
                self.pending[old] = None
        self.apply_button.setEnabled(bool(self.pending))

    def use_column(self, column: int, key: str) -> None:
        """One click on a suggestion: map the column and read the sheet again; without a
        suggested field, open the column's choices instead."""
        combo = self.combos.get(column)
        if combo is None:
            return
        if not key:
            combo.setFocus()
            combo.showPopup()
            return
        combo.setCurrentIndex(max(combo.findData(key), 0))
        self.apply()

    def apply(self) -> None:
        where = self.current()
        if where is not None and self.pending:
            self.owner.remap(where[0], where[1], dict(self.pending))


class ProblemsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Check the problems"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = table_view()
        self.model = problems_model(self.table)
        self.table.setModel(self.model)
        self.exclude_all = QPushButton(tr("Exclude all these rows"))
        self.include_all = QPushButton(tr("Include all"))
        self.apply_corrections = QPushButton(tr("Read again with the corrections"))
        self.apply_corrections.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.exclude_all)
        buttons.addWidget(self.include_all)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_corrections)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.exclude_all.clicked.connect(lambda: self.model.set_all(True))
        self.include_all.clicked.connect(lambda: self.model.set_all(False))
        self.model.dataChanged.connect(lambda *_: self.apply_corrections.setEnabled(
            self.model.corrections() > 0))
        self.apply_corrections.clicked.connect(self.owner.apply_corrections)

    def initializePage(self) -> None:
        state = self.owner.state
        items = [ProblemItem(path.name, p, state.excluded, state.corrections.setdefault(path, {}))
                 for path, parsed in state.parsed.items() for p in parsed.problems]
        self.apply_corrections.setEnabled(False)
        self.model.set_rows(items)
        rows = sum(len(p.rows) for p in state.parsed.values())
        if items:
            self.setSubTitle(tr("Cells that could not be understood were left empty, never "
                                "guessed. Tick a row to leave it out of the import, or "
                                "double-click Correct to and type the right value."))
            self.summary.setText(tr("{rows} creator rows read; {n} cells could not be understood.",
                                    rows=f"{rows:,}", n=f"{len(items):,}"))
        else:
            self.setSubTitle(tr("Every cell was understood."))
            self.summary.setText(tr("{rows} creator rows read; no problems.", rows=f"{rows:,}"))
        self.table.resizeColumnsToContents()
        # room to type a correction even while the column is still empty
        self.table.setColumnWidth(CORRECTION_COLUMN,
                                  max(self.table.columnWidth(CORRECTION_COLUMN), 140))
        self.table.horizontalHeader().setSectionResizeMode(len(self.model.columns) - 1,
                                                           QHeaderView.ResizeMode.Stretch)

    def validatePage(self) -> bool:
        return self.owner.plan_merge()


class MergePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Merge with your creators"))
        # Import is the point of no return: the wizard then shows what came in.
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("Import"))
        self.setSubTitle(tr("Accounts are matched by platform and account ID, then by profile "
                            "link. Where a list disagrees with what you have, tick Update to "
                            "take the list's value; otherwise yours is kept."))
        self.summary = table_view()
        self.summary.setMaximumHeight(150)
        self.conflicts_label = QLabel()
        self.conflicts = table_view()
        self.conflicts_model = conflicts_model(self.conflicts)
        self.conflicts.setModel(self.conflicts_model)
        self.update_all = QPushButton(tr("Update all"))
        self.keep_all = QPushButton(tr("Keep all"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.update_all)
        buttons.addWidget(self.keep_all)
        buttons.addStretch(1)
        self.box = QVBoxLayout(self)
        self.box.addWidget(self.summary)
        self.box.addWidget(self.conflicts_label)
        self.box.addWidget(self.conflicts, 1)
        self.box.addLayout(buttons)
        self.box.addWidget(self.result)
        self.box.addStretch(0)
        self.update_all.clicked.connect(lambda: self.conflicts_model.set_all(True))
        self.keep_all.clicked.connect(lambda: self.conflicts_model.set_all(False))

    def initializePage(self) -> None:
        plans = self.owner.state.plans
        self.summary.setModel(summary_model(plans, self.summary))
        self.summary.resizeColumnsToContents()
        conflicts = [c for p in plans for c in p.conflicts]
        self.conflicts_model.set_rows(conflicts)
        self.conflicts.resizeColumnsToContents()
        self.conflicts_label.setText(
            tr("{n} values differ from what you have:", n=f"{len(conflicts):,}") if conflicts
            else tr("No conflicts: nothing you have will change."))
        for widget in (self.conflicts, self.update_all, self.keep_all):
            widget.setVisible(bool(conflicts))
        # without a conflicts table the text stays under the summary, not spread out
        self.box.setStretch(self.box.count() - 1, 0 if conflicts else 1)
        self.result.setText(tr("Press Import to write everything in one step; it can be undone "
                               "as a whole from Import history.") if len(plans) else "")
        self.result.setAlignment(Qt.AlignmentFlag.AlignLeft)

    def validatePage(self) -> bool:
        return self.owner.commit()


class DonePage(QWizardPage):
    """What came in, per file, and the next step: putting these creators on a campaign."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Imported"))
        self.setSubTitle(tr("The lists are in your creators."))
        self.summary = table_view()
        self.summary.setMaximumHeight(150)
        self.summary.horizontalHeader().setStretchLastSection(False)  # four short columns
        self.undo_hint = QLabel(tr("Changed your mind? Import history undoes a whole list, as "
                                   "long as none of its new creators is on a campaign yet."))
        self.undo_hint.setWordWrap(True)
        self.history_button = QPushButton(tr("Import history…"))
        self.accounts_info = QLabel()
        self.accounts_info.setWordWrap(True)
        self.shortlist_button = QPushButton(tr("Add these creators to a campaign…"))
        self.shortlisted = QLabel()
        self.shortlisted.setWordWrap(True)
        self.account_ids: list[int] = []
        history_row = QHBoxLayout()
        history_row.addWidget(self.undo_hint, 1)
        history_row.addWidget(self.history_button)
        shortlist_row = QHBoxLayout()
        shortlist_row.addWidget(self.shortlist_button)
        shortlist_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(history_row)
        layout.addSpacing(12)
        layout.addWidget(self.accounts_info)
        layout.addLayout(shortlist_row)
        layout.addWidget(self.shortlisted)
        layout.addStretch(1)
        self.history_button.clicked.connect(wizard.show_history)
        self.shortlist_button.clicked.connect(self.shortlist)

    def initializePage(self) -> None:
        self.summary.setModel(results_model(self.owner.state.results, self.summary))
        self.summary.resizeColumnsToContents()
        self.account_ids, capped = self.owner.imported_accounts()
        text = tr("These lists brought {n} accounts (new and already known creators alike); "
                  "they can go straight on a campaign's board.", n=f"{len(self.account_ids):,}")
        if capped:
            text = sentences(text, tr("A list with more than {limit} accounts gives its first {limit}.",
                                      limit=f"{IMPORT_ACCOUNTS_SHOWN:,}"))
        self.accounts_info.setText(text)
        self.shortlist_button.setEnabled(bool(self.account_ids))
        self.shortlisted.clear()

    def shortlist(self) -> None:
        message = shortlist_into_campaign(self, self.owner.context, self.account_ids)
        if message is not None:
            self.shortlisted.setText(message)
