"""File → Export → Creators…: the creator list (filtered like the Creators tab's search)
written on a worker thread with progress and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kol_desk.i18n import tr
from kol_desk.ui.common.workers import JobControl, start_job
from kol_desk.ui.context import AppContext


def ask_xlsx_path(parent: QWidget, title: str, name: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), tr("Excel workbook (*.xlsx)"))
    if not chosen:
        return None
    return Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")


def export_creators(parent: QWidget, context: AppContext, search: str = "", path: Path | None = None,
                    on_done: object = None) -> None:
    """Ask for a file (unless given) and write the creator list to it."""
    from kol_desk.exporting.creators import write_creators

    target = path or ask_xlsx_path(parent, tr("Export creators"), "KOL-creators.xlsx")
    if target is None:
        return
    workspace = context.workspace

    def work(control: JobControl) -> int:
        return write_creators(workspace, target, search, lambda done, total: control.progress(done, total))

    def done(rows: object) -> None:
        message = tr("{n} accounts exported to {path}", n=rows, path=str(target))
        parent.setProperty("last_export", message)
        if callable(on_done):
            on_done(message)

    def failed(error: BaseException) -> None:
        QMessageBox.critical(parent, tr("Export creators"), str(error))

    start_job(work, done, failed, parent=parent, title=tr("Exporting creators…"))
