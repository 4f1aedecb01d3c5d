"""Saving the negotiation sheet: the user picks PDF or .xlsx and Chinese or English; the
text is made here (the language is switched on the GUI thread only for that), and the
file is written on a worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QWidget,
)

from kol_desk.errors import KnownError
from kol_desk.i18n import current_language, tr
from kol_desk.services.pricing import NegotiationFacts
from kol_desk.store.database import Workspace
from kol_desk.ui.common.workers import JobControl, start_job


class SheetOptions(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Negotiation sheet"))
        self.format = QComboBox()
        self.format.addItem(tr("PDF (to print)"), "pdf")
        self.format.addItem(tr("Excel workbook (.xlsx)"), "xlsx")
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if current_language() == "zh_CN" else 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("Format"), self.format)
        form.addRow(tr("Language"), self.language)
        form.addRow(buttons)


def write_sheet(facts: list[NegotiationFacts], path: Path, kind: str, lang: str, parent: QWidget | None,
                on_done: object = None) -> None:
    """Make the sheet's text now, write the file on a worker."""
    from kol_desk.exporting.negotiation_sheet import sheet_content, write_pdf, write_xlsx

    try:
        content = sheet_content(facts, lang, date.today())
    except KnownError as exc:
        QMessageBox.warning(parent, tr("Negotiation sheet"), str(exc))
        return

    def work(_control: JobControl) -> Path:
        return write_pdf(content, path, facts) if kind == "pdf" else write_xlsx(content, path)

    def failed(error: BaseException) -> None:
        QMessageBox.warning(parent, tr("Negotiation sheet"), str(error))

    def done(written: Path) -> None:
        if callable(on_done):
            on_done(written)

    start_job(work, done, failed, parent=parent, title=tr("Writing the negotiation sheet…"))


def save_sheet(parent: QWidget, facts: list[NegotiationFacts]) -> None:
    options = SheetOptions(parent)
    if not options.exec():
        return
    kind = options.format.currentData()
    name = f"{tr('Negotiation sheet')} {date.today().isoformat()}.{kind}"
    chosen, _filter = QFileDialog.getSaveFileName(parent, tr("Save the negotiation sheet"), name,
                                                  "PDF (*.pdf)" if kind == "pdf" else "Excel (*.xlsx)")
    if chosen:
        path = Path(chosen)
        write_sheet(facts, path if path.suffix.lower() == f".{kind}" else path.with_suffix(f".{kind}"), kind,
                    options.language.currentData(), parent)


def sheet_for_accounts(parent: QWidget, workspace: Workspace, account_ids: list[int]) -> None:
    """The sheet for a shortlist: each account's facts are read on a worker (with Cancel),
    then the user picks the format and language."""
    from kol_desk.services import pricing

    def work(control: JobControl) -> list[NegotiationFacts]:
        shortlist = []
        for n, account_id in enumerate(account_ids):
            control.progress(n, len(account_ids))
            kind = pricing.default_deliverable(workspace, account_id)
            shortlist.append(pricing.negotiation_facts(workspace, account_id, kind))
        return shortlist

    def failed(error: BaseException) -> None:
        QMessageBox.warning(parent, tr("Negotiation sheet"), str(error))

    start_job(work, lambda shortlist: save_sheet(parent, shortlist), failed, parent=parent,
              title=tr("Pricing the shortlist…"))
