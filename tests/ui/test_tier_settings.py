"""Tier thresholds: set once in File → Settings, per platform, and every surface — the
creator list, the board, Reports, the creator export and the approval sheet — puts each
account in the same tier."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kol_desk.domain import TIER_LABELS, Tier
from kol_desk.exporting.approval import export_for_approval
from kol_desk.exporting.creators import write_creators
from kol_desk.models import Collaboration, PlatformAccount
from kol_desk.preferences import Preferences
from kol_desk.services.board import board_cards
from kol_desk.services.creators import fetch_accounts
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.services.tiers import tier_thresholds
from kol_desk.store.database import Workspace
from kol_desk.ui.context import AppContext
from kol_desk.ui.dialogs.settings import SettingsDialog


@pytest.fixture
def context(qtbot: QtBot, demo_workspace: Workspace) -> AppContext:
    return AppContext(demo_workspace, Preferences(), QUndoStack())


def _set_douyin(qtbot: QtBot, context: AppContext, mid: int, top: int) -> SettingsDialog:
    dialog = SettingsDialog(context.preferences, workspace=context.workspace)
    qtbot.addWidget(dialog)
    tiers = dialog.tiers
    assert tiers is not None
    tiers.platform_box.setCurrentIndex(tiers.platform_box.findData("douyin"))
    tiers.spins[Tier.MID].setValue(mid)
    tiers.spins[Tier.TOP].setValue(top)
    return dialog


def test_douyin_thresholds_set_in_settings_apply_on_every_surface(
        qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    workspace = context.workspace
    dialog = _set_douyin(qtbot, context, 1_000_000, 5_000_000)  # Douyin lists: 1M–5M is 腰部
    dialog.accept()
    assert dialog.tiers_changed
    thresholds = tier_thresholds(workspace)
    assert thresholds["douyin"][Tier.MID] == 1_000_000
    assert thresholds[""][Tier.MID] == 100_000  # other platforms keep the defaults

    # The creator list's rows are the reference.
    rows = fetch_accounts(workspace, 0, 10_000)
    listed = {row.account_id: row.tier for row in rows}
    moved = [r for r in rows if r.platform == "douyin" and r.followers and 100_000 <= r.followers < 1_000_000
             and r.tier == Tier.MICRO]
    assert moved, "some Douyin accounts between 100k and 1M are Micro under the new thresholds"

    with workspace.session() as session:
        cards = session.execute(select(Collaboration.id, Collaboration.account_id, Collaboration.campaign_id,
                                       PlatformAccount.handle_display)
                                .join(PlatformAccount, PlatformAccount.id == Collaboration.account_id)).all()
    account_of = {cid: account for cid, account, _, _ in cards}
    for campaign_id in {c[2] for c in cards}:
        for card in board_cards(workspace, campaign_id):
            assert card.tier == listed[card.account_id], card.nickname
    report = build_report(workspace, ReportScope())
    for post in report.posts:
        expected = listed[account_of[post.collaboration_id]]
        assert post.tier == (expected.value if expected else None), post.nickname

    out = tmp_path / "creators.xlsx"
    write_creators(workspace, out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "Creator")
    header = [c.value for c in sheet[header_row]]
    by_handle = {(sheet.cell(r, header.index("Platform") + 1).value, sheet.cell(r, header.index("Account") + 1).value
                  if "Account" in header else sheet.cell(r, 3).value): sheet.cell(r, header.index("Tier") + 1).value
                 for r in range(header_row + 1, sheet.max_row + 1)}
    douyin_text = {row.handle: row.tier for row in rows if row.platform == "douyin"}
    exported = 0
    for (platform, handle), tier_text in by_handle.items():
        if platform == "Douyin" and handle in douyin_text and douyin_text[handle] is not None:
            assert tier_text == TIER_LABELS[douyin_text[handle]], handle
            exported += 1
    assert exported >= len(moved)

    shortlisted = {c[2] for c in cards}
    approval = tmp_path / "approval.xlsx"
    for campaign_id in sorted(shortlisted):
        if export_for_approval(workspace, campaign_id, approval):
            break
    approval_sheet = openpyxl.load_workbook(approval).active
    assert approval_sheet is not None
    head = next(r for r in range(1, 6) if approval_sheet.cell(r, 2).value == "Creator")
    titles = [c.value for c in approval_sheet[head]]
    handles = {row.handle: row.tier for row in rows}
    checked = 0
    for r in range(head + 1, approval_sheet.max_row + 1):
        handle = approval_sheet.cell(r, titles.index("Handle") + 1).value
        tier = approval_sheet.cell(r, titles.index("Tier") + 1).value
        if handle in handles:
            assert tier == (TIER_LABELS[handles[handle]] if handles[handle] else None), handle
            checked += 1
    assert checked


def test_thresholds_that_do_not_rise_are_refused_with_the_platform_named(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    dialog = _set_douyin(qtbot, context, 6_000_000, 5_000_000)
    dialog.accept()
    assert not dialog.tiers_changed and dialog.result() == 0
    assert warnings and "douyin" in warnings[0]
    assert "douyin" not in tier_thresholds(context.workspace)  # nothing saved
