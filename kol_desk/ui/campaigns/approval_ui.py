"""The boss-approval round trip on the board: export the shortlist workbook, read the
filled-in one back (off the GUI thread), show what will happen, apply it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kol_desk.errors import N_, KnownError
from kol_desk.i18n import tr
from kol_desk.services import approval
from kol_desk.services.approval import ApprovalOutcome, ApprovalPlan
from kol_desk.ui.campaigns.undo import CampaignCommand
from kol_desk.ui.common.workers import JobControl, start_job
from kol_desk.ui.context import AppContext

XLSX_FILTER = "Excel workbook (*.xlsx)"


class ApprovalPlanDialog(QDialog):
    """What importing the workbook will do, and every row it cannot use."""

    def __init__(self, plan: ApprovalPlan, source: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(tr("Import approval"))
        self.resize(620, 420)
        lines = [tr("{approve} approved (move on to Contacted), {reject} rejected "
                    "(recorded with the boss's comment), {open} without a decision.",
                    approve=len(plan.approve), reject=len(plan.reject), open=len(plan.undecided))]
        if plan.reordered:
            lines.append(tr("The rows were sorted or moved in the sheet; they are matched by "
                            "card id, so this is fine."))
        if plan.missing:
            lines.append(tr("{n} shortlisted cards are not in the sheet; they stay as they are.",
                            n=plan.missing))
        self.summary = QLabel("\n".join(lines))
        self.summary.setWordWrap(True)
        self.problems = QPlainTextEdit("\n".join(plan.problems) or tr("No problems found."))
        self.problems.setReadOnly(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton(tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(plan.changes > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("File: {path}", path=str(source))))
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(tr("Rows that cannot be used:")))
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)


class ApprovalCommand(CampaignCommand):
    """Undo moves the approved cards back (recorded); the boss's decisions stay noted."""

    def __init__(self, context: AppContext, outcome: ApprovalOutcome) -> None:
        super().__init__(context, tr("Import approval"))
        self.outcome = outcome

    def do(self) -> None:
        from kol_desk.services.board import move

        for card_id, _stage in self.outcome.moved:
            move(self.context.workspace, card_id, approval.APPROVED_TO)

    def undo_it(self) -> None:
        from kol_desk.services.board import move

        for card_id, stage in self.outcome.moved:
            move(self.context.workspace, card_id, stage)


def apply_plan(context: AppContext, plan: ApprovalPlan) -> ApprovalOutcome:
    outcome = approval.apply_approval(context.workspace, plan)
    context.undo_stack.push(ApprovalCommand(context, outcome))
    return outcome


def export_shortlist(parent: QWidget, context: AppContext, campaign_id: int, name: str) -> None:
    target, _ = QFileDialog.getSaveFileName(
        parent, tr("Export for approval"), str(Path.home() / f"{name} - approval.xlsx"), XLSX_FILTER)
    if not target:
        return
    path = Path(target)

    def work(_control: JobControl) -> int:
        from kol_desk.exporting.approval import export_for_approval

        return export_for_approval(context.workspace, campaign_id, path)

    def done(n: int) -> None:
        QMessageBox.information(parent, tr("Export for approval"),
                                tr("{n} shortlisted cards written to {path}.", n=n, path=str(path)))

    start_job(work, done, lambda error: _failed(parent, error), parent=parent, title=tr("Exporting…"))


def import_approval(parent: QWidget, context: AppContext, campaign_id: int,
                    on_done: Any = None) -> None:
    source, _ = QFileDialog.getOpenFileName(parent, tr("Import approval"), str(Path.home()),
                                            XLSX_FILTER)
    if not source:
        return
    path = Path(source)

    def work(_control: JobControl) -> ApprovalPlan:
        return approval.plan_approval(context.workspace, campaign_id, approval.read_approval_sheet(path))

    def show(plan: ApprovalPlan) -> None:
        dialog = ApprovalPlanDialog(plan, path, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            apply_plan(context, plan)
        except KnownError as exc:
            _failed(parent, exc)
            return
        if on_done is not None:
            on_done()

    start_job(work, show, lambda error: _failed(parent, error), parent=parent,
              title=tr("Reading the workbook…"))


def _failed(parent: QWidget, error: BaseException) -> None:
    message = str(error) if isinstance(error, KnownError) else tr("Unexpected error: {e}", e=str(error))
    QMessageBox.warning(parent, tr("Approval"), message)


# The export's column headers, translated by the export (listed here for the catalog scan).
EXPORT_HEADERS = [N_("Creator"), N_("Platform"), N_("Handle"), N_("Followers"), N_("Tier"),
                  N_("Fee"), N_("Notes"), N_("Shortlist for approval"),
                  N_("Write approve or reject in the Decision column (同意 / 拒绝), "
                     "and a comment if you like. Keep the Card ID column.")]
