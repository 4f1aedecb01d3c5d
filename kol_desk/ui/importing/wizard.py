"""File → Import agency list: choose files → check the columns → check the problems →
merge preview → import → what came in, with "add these creators to a campaign". Reading,
planning and committing run on workers with progress and Cancel; the engine is the one
``kol-desk import`` uses (``kol_desk.importing``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from kol_desk.i18n import tr
from kol_desk.importing import ImportCancelled, ParsedFile, ParsedSheet
from kol_desk.services.conflicts import retry_on_duplicate
from kol_desk.services.import_batches import agency_names
from kol_desk.services.import_commit import CommitResult, commit_plan
from kol_desk.services.import_plan import MergePlan, build_plan
from kol_desk.services.import_reading import (
    mapping_to_remember,
    read_list_with_overrides,
    remembered_mapping,
)
from kol_desk.services.shortlist import IMPORT_ACCOUNTS_SHOWN
from kol_desk.ui.common.workers import Cancelled, JobControl, start_job
from kol_desk.ui.context import AppContext, Change
from kol_desk.ui.importing.pages import (
    DonePage,
    FilesPage,
    MappingPage,
    MergePage,
    ProblemsPage,
)


@dataclass
class ImportState:
    agency: str | None = None
    parsed: dict[Path, ParsedFile] = field(default_factory=dict)
    overrides: dict[Path, dict[str, dict[str, int | None]]] = field(default_factory=dict)
    excluded: set[tuple[str, str, int]] = field(default_factory=set)  # (file name, sheet, row)
    # per file: (sheet, 1-based row, 0-based column) → the text typed on the problems page
    corrections: dict[Path, dict[tuple[str, int, int], str]] = field(default_factory=dict)
    plans: list[MergePlan] = field(default_factory=list)
    results: list[CommitResult] = field(default_factory=list)
    read_key: tuple[tuple[Path, ...], str | None] | None = None

    def sheet(self, path: Path, name: str) -> ParsedSheet:
        return next(s for s in self.parsed[path].sheets if s.name == name)


class ImportWizard(QWizard):
    # A one-line summary for the status bar once the lists are in.
    imported = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.state = ImportState()
        self.setWindowTitle(tr("Import agency list"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        # After the import only the summary and the shortlist remain: no going back over it.
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Close"))
        self.setButtonText(QWizard.WizardButton.NextButton, tr("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Cancel"))
        self.files_page = FilesPage(self)
        self.mapping_page = MappingPage(self)
        self.problems_page = ProblemsPage(self)
        self.merge_page = MergePage(self)
        self.done_page = DonePage(self)
        for page in (self.files_page, self.mapping_page, self.problems_page, self.merge_page,
                     self.done_page):
            self.addPage(page)
        self.resize(1100, 720)
        self._ready: set[str] = set()  # steps whose worker finished: let the page pass once
        self.job: Any = None

    # -- helpers the pages call ----------------------------------------------------------
    def agency_names(self) -> list[str]:
        return agency_names(self.context.workspace)

    def show_history(self) -> None:
        from kol_desk.ui.importing.history import ImportHistoryDialog

        ImportHistoryDialog(self.context, self).exec()

    def _passed(self, step: str) -> bool:
        if step in self._ready:
            self._ready.discard(step)
            return True
        return False

    def imported_accounts(self) -> tuple[list[int], bool]:
        """The accounts the committed lists brought or priced, in list order, and whether
        a list had more than a board takes at once."""
        # the accounts each commit names (new and matched, priced or not): the same set
        # the results table counts, so the page's two numbers agree
        per_list = [r.account_ids for r in self.state.results]
        accounts = list(dict.fromkeys(a for listed in per_list for a in listed[:IMPORT_ACCOUNTS_SHOWN]))
        return accounts, any(len(listed) > IMPORT_ACCOUNTS_SHOWN for listed in per_list)

    def _advance(self, step: str) -> None:
        self._ready.add(step)
        self.next()  # validates the page again, which now passes

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, tr("Import agency list"), str(error))

    # -- step 1: read ------------------------------------------------------------------
    def read_files(self, paths: list[Path], agency: str | None) -> bool:
        key = (tuple(paths), agency)
        if self._passed("read") or self.state.read_key == key:
            return True
        workspace = self.context.workspace

        def work(control: JobControl) -> dict[Path, tuple[ParsedFile, dict[str, Any]]]:
            out = {}
            for n, path in enumerate(paths):
                text = tr("Reading {file} ({n} of {total})…", file=path.name, n=n + 1,
                          total=len(paths))
                control.progress(0, 1, text)
                def report(done: int, total: int, text: str = text) -> None:
                    control.progress(done, total, text)

                try:
                    out[path] = read_list_with_overrides(
                        workspace, path, agency=agency, cancelled=control.is_cancelled,
                        progress=report)
                except ImportCancelled as exc:
                    raise Cancelled from exc
            return out

        def done(result: dict[Path, tuple[ParsedFile, dict[str, Any]]]) -> None:
            self.state = ImportState(agency=agency, read_key=key)
            for path, (parsed, overrides) in result.items():
                self.state.parsed[path] = parsed
                self.state.overrides[path] = overrides
            self._advance("read")

        self.job = start_job(work, done, self._failed, parent=self, title=tr("Reading the lists…"))
        return False

    # -- step 2: remap one sheet ---------------------------------------------------------
    def remap(self, path: Path, sheet: str, changes: dict[str, int | None]) -> None:
        overrides = {s: dict(k) for s, k in self.state.overrides.get(path, {}).items()}
        overrides.setdefault(sheet, {}).update(changes)
        workspace, agency = self.context.workspace, self.state.agency

        def work(control: JobControl) -> tuple[ParsedFile, dict[str, Any]]:
            try:
                return read_list_with_overrides(workspace, path, agency=agency,
                                                overrides=overrides,
                                                cancelled=control.is_cancelled,
                                                progress=control.progress)
            except ImportCancelled as exc:
                raise Cancelled from exc

        def done(result: tuple[ParsedFile, dict[str, Any]]) -> None:
            self.state.parsed[path], self.state.overrides[path] = result
            self.state.excluded = {e for e in self.state.excluded if e[0] != path.name}
            self.mapping_page.show_sheet()

        self.job = start_job(work, done, self._failed, parent=self,
                             title=tr("Reading {file} again…", file=path.name))

    # -- step 2b: read again with the cells corrected on the problems page --------------
    def apply_corrections(self) -> None:
        workspace, state = self.context.workspace, self.state
        todo = {path: cells for path, cells in state.corrections.items() if cells}

        def work(control: JobControl) -> dict[Path, ParsedFile]:
            out = {}
            for path, cells in todo.items():
                by_sheet: dict[str, dict[tuple[int, int], str]] = {}
                for (sheet, row, col), text in cells.items():
                    by_sheet.setdefault(sheet, {})[(row, col)] = text
                try:
                    out[path] = read_list_with_overrides(
                        workspace, path, agency=state.agency,
                        overrides=state.overrides.get(path) or None, corrections=by_sheet,
                        cancelled=control.is_cancelled, progress=control.progress)[0]
                except ImportCancelled as exc:
                    raise Cancelled from exc
            return out

        def done(result: dict[Path, ParsedFile]) -> None:
            self.state.parsed.update(result)
            self.problems_page.initializePage()

        self.job = start_job(work, done, self._failed, parent=self,
                             title=tr("Reading the lists again…"))

    # -- step 3: plan ------------------------------------------------------------------
    def plan_merge(self) -> bool:
        if self._passed("plan"):
            return True
        workspace, state = self.context.workspace, self.state

        def work(control: JobControl) -> list[MergePlan]:
            plans = []
            for n, (path, parsed) in enumerate(state.parsed.items()):
                control.progress(n, len(state.parsed), tr("Matching {file}…", file=path.name))
                excluded = {(s, r) for f, s, r in state.excluded if f == path.name}
                plans.append(build_plan(workspace, parsed, agency=state.agency, excluded=excluded,
                                        cancelled=control.is_cancelled))
            return plans

        def done(plans: list[MergePlan]) -> None:
            self.state.plans = plans
            self._advance("plan")

        self.job = start_job(work, done, self._failed, parent=self,
                             title=tr("Matching with your creators…"))
        return False

    # -- step 4: commit ------------------------------------------------------------------
    def commit(self) -> bool:
        if self._passed("commit"):
            return True
        workspace, state = self.context.workspace, self.state
        memory = remembered_mapping(workspace, state.agency) if state.agency else None

        def work(control: JobControl) -> list[CommitResult]:
            results = []
            choices = {(c.platform, c.handle, c.change.field): c.update
                       for p in state.plans for c in p.conflicts}
            def plan_for(n: int, path: Path, parsed: ParsedFile, fresh: bool) -> MergePlan:
                if n == 0 and not fresh:
                    return state.plans[0]
                # Earlier lists are in now (or, in team mode, a colleague's import was
                # first): match against the database as it is.
                excluded = {(s, r) for f, s, r in state.excluded if f == path.name}
                plan = build_plan(workspace, parsed, agency=state.agency, excluded=excluded)
                for c in plan.conflicts:
                    c.update = choices.get((c.platform, c.handle, c.change.field), False)
                return plan

            for n, (path, parsed) in enumerate(state.parsed.items()):
                mapping = mapping_to_remember(parsed, memory) if state.agency else None
                text = tr("Importing {file} ({n} of {total})…", file=path.name, n=n + 1,
                          total=len(state.parsed))
                def report(done: int, total: int, text: str = text) -> None:
                    control.progress(done, total, text)

                attempts = iter((False, True, True))

                def attempt(n: int = n, path: Path = path, parsed: ParsedFile = parsed,
                            mapping: Any = mapping, report: Any = report,
                            attempts: Any = attempts) -> CommitResult:
                    return commit_plan(workspace, plan_for(n, path, parsed, next(attempts)),
                                       mapping=mapping, cancelled=control.is_cancelled,
                                       progress=report)

                try:
                    results.append(retry_on_duplicate(attempt))
                except ImportCancelled as exc:
                    raise Cancelled from exc
            return results

        def done(results: list[CommitResult]) -> None:
            self.state.results = results
            self.context.events.announce(Change.CREATORS)
            new = sum(r.summary["creators_new"] for r in results)
            matched = sum(r.summary["creators_matched"] for r in results)
            quotes = sum(r.summary["quotes_added"] for r in results)
            self.imported.emit(tr("Imported {files} list(s): {new} new creators, {matched} "
                                  "matched, {quotes} quotes.", files=len(results), new=new,
                                  matched=matched, quotes=quotes))
            self._advance("commit")

        def cancelled() -> None:
            self.context.events.announce(Change.CREATORS)
            QMessageBox.information(self, tr("Import agency list"), tr(
                "Import cancelled. The list being written was rolled back; nothing of it "
                "was saved."))

        self.job = start_job(work, done, self._failed, parent=self, title=tr("Importing…"),
                             on_cancel=cancelled)
        return False
