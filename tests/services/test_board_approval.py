from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from kol_desk.errors import BadInputError
from kol_desk.exporting.approval import export_for_approval
from kol_desk.models import Collaboration
from kol_desk.services.approval import (
    COMMENT_HEADER,
    DECISION_HEADER,
    ID_HEADER,
    apply_approval,
    plan_approval,
    read_approval_sheet,
)
from kol_desk.services.shortlist import add_to_campaign
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account, make_campaign


def _fill(path: Path, decisions: dict[str, tuple[str, str | None]], *, reverse: bool = False,
          extra: list[list[str]] | None = None) -> None:
    """Edit the exported workbook as a boss would in Excel: by creator name."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if ID_HEADER in r)
    header = rows[header_at]
    body = [r for r in rows[header_at + 1:] if r[0]]
    if reverse:
        body.reverse()
    for row in body:
        decision, comment = decisions.get(str(row[1]), (None, None))
        row[header.index(DECISION_HEADER)] = decision
        row[header.index(COMMENT_HEADER)] = comment
    body.extend(extra or [])
    sheet.delete_rows(header_at + 2, sheet.max_row)
    for offset, row in enumerate(body, start=header_at + 2):
        for col, value in enumerate(row, start=1):
            sheet.cell(offset, col, value)
    book.save(path)


def test_round_trip_moves_approved_cards_and_records_rejections(workspace: Workspace, tmp_path: Path) -> None:
    campaign = make_campaign(workspace)
    names = ["Alice", "Bob", "=Carol", "Dan"]
    add_to_campaign(workspace, campaign, [make_account(workspace, n) for n in names])
    path = tmp_path / "approval.xlsx"
    assert export_for_approval(workspace, campaign, path) == 4

    # The formula-looking nickname stays text in the sheet.
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert any(c.value == "=Carol" and c.data_type == "s" for row in sheet.iter_rows() for c in row)

    _fill(path, {"Alice": ("同意", "good fit"), "Bob": ("reject", "too expensive"),
                 "=Carol": ("maybe", None)}, reverse=True,
          extra=[["00000000-0000-0000-0000-000000000000", "Ghost", None, None, None, None,
                  None, None, "approve", None]])
    plan = plan_approval(workspace, campaign, read_approval_sheet(path))
    assert plan.reordered
    assert len(plan.approve) == 1 and len(plan.reject) == 1 and len(plan.undecided) == 1
    assert any("maybe" in p for p in plan.problems)
    assert any("unknown card id" in p for p in plan.problems)

    outcome = apply_approval(workspace, plan, user="li")
    assert (outcome.approved, outcome.rejected, len(outcome.moved)) == (1, 1, 1)
    with workspace.session() as s:
        cards = {c.account.nickname: c for c in s.scalars(select(Collaboration))}
        assert cards["Alice"].stage == "contacted"
        assert cards["Alice"].stage_changes[-1].from_stage == "shortlisted"
        assert (cards["Bob"].stage, cards["Bob"].boss_decision, cards["Bob"].boss_comment) == (
            "shortlisted", "rejected", "too expensive")
        assert cards["=Carol"].boss_decision is None


def test_workbook_without_the_id_column_is_refused_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "boss.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Creator", "Decision"])
    sheet.append(["Alice", "approve"])
    book.save(path)
    with pytest.raises(BadInputError, match=r"boss\.xlsx"):
        read_approval_sheet(path)
