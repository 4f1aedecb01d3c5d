"""Import history: every imported list, newest first, each undoable as a whole."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kol_desk.i18n import tr
from kol_desk.services.import_batches import BatchRow, list_batches, undo_batch
from kol_desk.ui.common.workers import start_job
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.importing.models import batches_model
from kol_desk.ui.importing.pages import table_view


class ImportHistoryDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(tr("Import history"))
        self.resize(900, 420)
        self.info = QLabel(tr("Undo removes everything an import added (creators, accounts, "
                              "quotes) and puts back every value it changed."))
        self.info.setWordWrap(True)
        self.table = table_view()
        self.model = batches_model([], self.table)
        self.table.setModel(self.model)
        self.undo_button = QPushButton(tr("Undo this import…"))
        self.undo_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(tr("Close"))
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.undo_button.clicked.connect(self.undo_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(list_batches(self.context.workspace))
        self.table.resizeColumnsToContents()
        self._selection()

    def selected(self) -> BatchRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def _selection(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(batch is not None and batch.undone_at is None
                                    and not self.context.read_only)

    def undo_selected(self) -> None:
        batch = self.selected()
        if batch is None:
            return
        answer = QMessageBox.question(self, tr("Undo import"), tr(
            "Undo the import of {file}? {new} creators it added and {quotes} quotes are "
            "removed, and the values it changed are put back.", file=batch.file_name,
            new=batch.creators_new, quotes=batch.quotes_added))
        if answer != QMessageBox.StandardButton.Yes:
            return
        workspace = self.context.workspace

        def done(_result: object) -> None:
            self.context.events.announce(Change.CREATORS)
            self.refresh()

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, tr("Undo import"), str(error))
            self.refresh()

        start_job(lambda _control: undo_batch(workspace, batch.id), done, failed, parent=self,
                  title=tr("Undoing the import…"))
