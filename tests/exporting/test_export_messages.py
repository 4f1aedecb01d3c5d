"""A workbook that cannot be written says so in the user's language, naming the file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from kol_desk.exporting.xlsx import ExportError, XlsxExport
from kol_desk.i18n import set_language
from kol_desk.store.database import Workspace
from tests.campaign_factory import make_account


def test_a_missing_folder_is_told_in_chinese(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "report.xlsx"
    with pytest.raises(ExportError) as raised:
        XlsxExport(target)
    assert str(raised.value) == (f"Cannot write {target}: the folder does not exist; choose "
                                 "another folder.")
    set_language("zh_CN")
    assert str(raised.value) == f"无法写入 {target}：文件夹不存在；请选择其他文件夹。"
    set_language("en")
    assert not target.parent.exists()


def test_mixed_currencies_are_refused_in_the_windows_language_not_the_sheets(
        workspace: Workspace) -> None:
    from kol_desk.exporting.negotiation_sheet import sheet_content
    from kol_desk.services import pricing

    account = make_account(workspace, "Alice", price="6000")
    facts = pricing.negotiation_facts(workspace, account,
                                      pricing.default_deliverable(workspace, account), None)
    set_language("zh_CN")  # the window is Chinese; the sheet is asked for in English
    try:
        with pytest.raises(ExportError) as raised:
            sheet_content([facts, replace(facts, currency="USD")], "en", date(2026, 11, 20))
        assert str(raised.value) == "候选名单的价格涉及 CNY, USD：请按币种分别生成谈判单。"
    finally:
        set_language("en")
