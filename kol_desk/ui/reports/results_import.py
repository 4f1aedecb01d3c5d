"""Importing a results workbook from the Reports tab: read it off the GUI thread, show
what will be imported and what will not (each problem with sheet, row and reason), then
store every snapshot in one transaction."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from kol_desk.i18n import tr
from kol_desk.services.results import (
    ParsedResults,
    ResultsImport,
    import_results,
    parse_results_file,
)
from kol_desk.ui.common.workers import JobControl, start_job
from kol_desk.ui.context import AppContext, Change

MAX_LISTED = 12


def _problem_lines(problems: list[object]) -> str:
    lines = [str(p) for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(tr("… and {n} more", n=len(problems) - MAX_LISTED))
    return "\n".join(lines)


def import_results_file(parent: QWidget, context: AppContext, path: Path, campaign_id: int | None,
                        confirm: bool = True) -> None:
    """Read, confirm, import. ``confirm=False`` skips the question (tests, scripting)."""
    workspace = context.workspace

    def read(control: JobControl) -> ParsedResults:
        return parse_results_file(path, cancelled=control.is_cancelled)

    def failed(error: BaseException) -> None:
        QMessageBox.warning(parent, tr("Import results"), str(error))

    def parsed(result: object) -> None:
        assert isinstance(result, ParsedResults)
        if confirm:
            text = tr("{n} rows of results were read from {file}.", n=len(result.rows), file=path.name)
            if result.problems:
                text += "\n\n" + tr("Not understood:") + "\n" + _problem_lines(list(result.problems))
            answer = QMessageBox.question(parent, tr("Import results"), text + "\n\n" + tr("Import them?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        start_job(lambda _control: import_results(workspace, result, campaign_id), stored, failed,
                  parent=parent, title=tr("Importing results…"))

    def stored(result: object) -> None:
        assert isinstance(result, ResultsImport)
        context.events.announce(Change.RESULTS)
        text = tr("Imported {n} snapshots for {creators} creators.", n=result.imported, creators=result.creators)
        skipped = list(result.problems)
        if skipped:
            text += "\n\n" + tr("Not imported:") + "\n" + _problem_lines(list(skipped))
        if confirm:
            QMessageBox.information(parent, tr("Import results"), text)
        parent.setProperty("last_import", text)

    start_job(read, parsed, failed, parent=parent, title=tr("Reading {file}…", file=path.name))
