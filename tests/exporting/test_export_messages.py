"""A workbook that cannot be written says so in the user's language, naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol_desk.exporting.xlsx import ExportError, XlsxExport
from kol_desk.i18n import set_language


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
