"""The boss-approval round trip: a campaign's shortlist (written to .xlsx with Decision and
Comment columns by ``exporting.approval``), and the filled-in workbook read back.

Rows are matched by the card id in the first column (the collaboration's UUID, stable
across copies of the database), never by position, so a sorted, filtered or trimmed sheet
still lands on the right cards; everything that cannot be applied is reported by row.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kol_desk.domain import InvoiceType, Stage
from kol_desk.errors import N_, BadInputError
from kol_desk.i18n import tr
from kol_desk.labels import stage_label
from kol_desk.models import Campaign, Collaboration, Creator, PlatformAccount, StageChange
from kol_desk.models.base import utcnow
from kol_desk.services import activity
from kol_desk.services.deal_cost import NET_COST
from kol_desk.services.money import collaboration_cost, fee_tax
from kol_desk.services.tiers import thresholds_of, tier_key
from kol_desk.store.database import Workspace

SHEET = "Approval"
# Fixed, bilingual headers: the import finds its columns whatever the UI language was.
ID_HEADER = "Card ID 卡片编号"
DECISION_HEADER = "Decision 审批"
COMMENT_HEADER = "Comment 意见"
# What the boss may type; Chinese and English, any case.
APPROVE_WORDS = {"approve", "approved", "yes", "y", "ok", "同意", "通过", "批准", "可以", "是", "✓", "√"}
REJECT_WORDS = {"reject", "rejected", "no", "n", "不同意", "拒绝", "否", "不通过", "驳回", "✗", "×"}
# Approved cards move on to Contacted: the boss said "go and talk to them".
APPROVED_TO = Stage.CONTACTED
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportRow:
    uid: str
    nickname: str
    platform: str
    handle: str
    followers: int | None
    tier: str | None
    # What an agreed deal costs the budget (net cost with tax, the figure of the Campaigns
    # list and the Budget tab); a card without an agreed fee shows its quote instead,
    # in a column of its own, since a quote is no commitment yet.
    cost: Decimal | None
    quoted_fee: Decimal | None
    notes: str | None
    # With a special VAT invoice: the cost once its VAT is deducted (not a budget figure).
    after_deduction: Decimal | None = None


def shortlist_rows(workspace: Workspace, campaign_id: int) -> tuple[str, str, list[ExportRow]]:
    """The campaign's name, currency and its Shortlisted cards, in board order."""
    with workspace.session() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise BadInputError(N_("Campaign {id} no longer exists; refresh the list."),
                                id=campaign_id)
        rows = session.execute(
            select(Collaboration.uid, func.coalesce(PlatformAccount.nickname, Creator.nickname), PlatformAccount.platform,
                   PlatformAccount.handle_display, PlatformAccount.followers,
                   Creator.tier_override, NET_COST, Collaboration.quoted_fee,
                   Collaboration.notes, Collaboration.tax_included, Collaboration.tax_rate,
                   Collaboration.invoice_type)
            .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)
            .join(Creator, Creator.id == Collaboration.creator_id)
            .where(Collaboration.campaign_id == campaign_id,
                   Collaboration.stage == Stage.SHORTLISTED.value)
            .order_by(Collaboration.position, Collaboration.id)
        ).all()
        name, currency = campaign.name, campaign.currency
        thresholds = thresholds_of(session)
    return name, currency, [
        ExportRow(str(r[0]), r[1], r[2], r[3], r[4],
                  tier_key(r[4], r[2], r[5], thresholds),
                  collaboration_cost(r[6], r[9], r[10], r[11]), r[7] if r[6] is None else None, r[8],
                  fee_tax(r[6], r[9], r[10], r[11]).after_deduction
                  if r[6] is not None and r[11] == InvoiceType.SPECIAL else None)
        for r in rows
    ]


@dataclass(frozen=True)
class SheetRow:
    row: int  # 1-based, as Excel shows it
    card_id: str
    decision: str
    comment: str | None


@dataclass
class ApprovalPlan:
    """What importing the workbook would do, and every row it cannot use."""

    campaign_id: int
    approve: list[tuple[int, SheetRow]] = field(default_factory=list)  # (collaboration id, row)
    reject: list[tuple[int, SheetRow]] = field(default_factory=list)
    undecided: list[SheetRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reordered: bool = False
    missing: int = 0  # shortlisted cards that are not in the sheet

    @property
    def changes(self) -> int:
        return len(self.approve) + len(self.reject)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_approval_sheet(path: str | os.PathLike[str]) -> list[SheetRow]:
    """The rows of the boss's workbook that carry a card id (read with python-calamine:
    fast, and it never evaluates anything)."""
    from python_calamine import CalamineWorkbook

    source = Path(path)
    try:
        book = CalamineWorkbook.from_path(str(source))
    except FileNotFoundError as exc:
        raise BadInputError(N_("{file} does not exist."), file=str(source)) from exc
    except Exception as exc:  # calamine raises its own types for damaged files
        raise BadInputError(N_("{file} is not a readable .xlsx workbook ({reason})."),
                            file=str(source), reason=exc) from exc
    names = book.sheet_names
    sheet_name = SHEET if SHEET in names else names[0]
    grid = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    header_at = next((i for i, row in enumerate(grid) if ID_HEADER in [_text(v) for v in row]), None)
    if header_at is None:
        raise BadInputError(N_("{file} has no “{column}” column in sheet “{sheet}”: was it "
                               "exported by KOL Desk for approval?"),
                            file=str(source), column=ID_HEADER, sheet=sheet_name)
    header = [_text(v) for v in grid[header_at]]
    missing = [h for h in (DECISION_HEADER, COMMENT_HEADER) if h not in header]
    if DECISION_HEADER in missing:
        raise BadInputError(N_("{file} has no “{column}” column; export the shortlist again "
                               "and fill that one in."), file=str(source), column=DECISION_HEADER)
    id_col, decision_col = header.index(ID_HEADER), header.index(DECISION_HEADER)
    comment_col = header.index(COMMENT_HEADER) if COMMENT_HEADER in header else None
    rows = []
    for offset, values in enumerate(grid[header_at + 1:], start=header_at + 2):
        cells = list(values) + [None] * len(header)
        card_id = _text(cells[id_col])
        decision = _text(cells[decision_col])
        comment = _text(cells[comment_col]) if comment_col is not None else ""
        if not card_id and not decision and not comment:
            continue
        rows.append(SheetRow(offset, card_id, decision, comment or None))
    return rows


def _decision(text: str) -> str | None:
    word = text.strip().lower()
    if word in APPROVE_WORDS:
        return "approved"
    if word in REJECT_WORDS:
        return "rejected"
    return None


def plan_approval(workspace: Workspace, campaign_id: int, rows: list[SheetRow]) -> ApprovalPlan:
    """Match the sheet's rows to the campaign's cards by id and say what would happen."""
    plan = ApprovalPlan(campaign_id)
    with workspace.session() as session:
        cards = {str(uid): (cid, stage, campaign)
                 for uid, cid, stage, campaign in session.execute(
                     select(Collaboration.uid, Collaboration.id, Collaboration.stage,
                            Collaboration.campaign_id)
                     .where(Collaboration.uid.in_(_uids(rows))))}
        shortlisted = list(session.scalars(
            select(Collaboration.uid).where(Collaboration.campaign_id == campaign_id,
                                            Collaboration.stage == Stage.SHORTLISTED.value)
            .order_by(Collaboration.position, Collaboration.id)))
    seen: set[str] = set()
    for row in rows:
        if not row.card_id:
            plan.problems.append(tr("Row {row}: no card id, so it cannot be matched; skipped.",
                                    row=row.row))
            continue
        if row.card_id in seen:
            plan.problems.append(tr("Row {row}: card id {id} appears twice; the first row counts.",
                                    row=row.row, id=row.card_id))
            continue
        seen.add(row.card_id)
        found = cards.get(row.card_id)
        if found is None:
            plan.problems.append(tr("Row {row}: unknown card id {id}; skipped.", row=row.row,
                                    id=row.card_id))
            continue
        cid, stage, campaign = found
        if campaign != campaign_id:
            plan.problems.append(tr("Row {row}: the card belongs to another campaign; skipped.",
                                    row=row.row))
            continue
        decision = _decision(row.decision)
        if not row.decision:
            plan.undecided.append(row)
            continue
        if decision is None:
            plan.problems.append(tr("Row {row}: “{decision}” is neither approve nor reject; skipped.",
                                    row=row.row, decision=row.decision))
            continue
        if stage != Stage.SHORTLISTED.value and decision == "approved":
            plan.problems.append(tr("Row {row}: the card has already moved on ({stage}); the "
                                    "approval is recorded but the card stays where it is.",
                                    row=row.row, stage=stage_label(stage)))
        (plan.approve if decision == "approved" else plan.reject).append((cid, row))
    matched = [r.card_id for r in rows if r.card_id in {str(u) for u in shortlisted}]
    order = [str(u) for u in shortlisted if str(u) in set(matched)]
    plan.reordered = matched != order
    plan.missing = len({str(u) for u in shortlisted} - seen)
    return plan


def _uids(rows: list[SheetRow]) -> list[uuid.UUID]:
    uids = []
    for row in rows:
        try:
            uids.append(uuid.UUID(row.card_id))
        except ValueError:
            continue
    return uids


@dataclass(frozen=True)
class ApprovalOutcome:
    moved: list[tuple[int, str]]  # (collaboration id, the stage it came from), for undo
    approved: int
    rejected: int


def apply_approval(workspace: Workspace, plan: ApprovalPlan, user: str | None = None) -> ApprovalOutcome:
    """Record every decision with the boss's comment and move approved Shortlisted cards
    to Contacted, in one transaction. Rejected cards stay where they are, marked."""
    moved: list[tuple[int, str]] = []
    now = utcnow()
    today = date.today().isoformat()
    with workspace.transaction() as session:
        for decision, pairs in (("approved", plan.approve), ("rejected", plan.reject)):
            for cid, row in pairs:
                collab = session.get(Collaboration, cid)
                if collab is None:
                    continue
                collab.boss_decision = decision
                collab.boss_comment = row.comment
                if decision == "approved" and collab.stage == Stage.SHORTLISTED.value:
                    moved.append((cid, collab.stage))
                    collab.stage_changes.append(StageChange(
                        from_stage=collab.stage, to_stage=APPROVED_TO.value, changed_at=now,
                        changed_by=user or activity.user_of(workspace), override_reason=None))
                    collab.stage = APPROVED_TO.value
                if row.comment:
                    note = f"[{today}] boss {decision}: {row.comment}"
                    collab.notes = f"{collab.notes}\n{note}" if collab.notes else note
    return ApprovalOutcome(moved, len(plan.approve), len(plan.reject))
