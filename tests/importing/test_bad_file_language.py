"""A file the import refuses is told in the user's language: the wizard and the command
line show ``str()`` of the error, translated when shown (``BadFileError`` is a
``KnownError``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol_desk.errors import KnownError
from kol_desk.i18n import set_language
from kol_desk.importing import BadFileError, parse_file


def _refusal(path: Path) -> BadFileError:
    with pytest.raises(BadFileError) as raised:
        parse_file(path)
    return raised.value


def test_a_refused_file_reads_in_chinese(tmp_path: Path) -> None:
    empty = tmp_path / "空的.xlsx"
    empty.write_bytes(b"")
    error = _refusal(empty)
    assert isinstance(error, KnownError)
    assert str(error).startswith("Cannot import '空的.xlsx': the file is empty (0 bytes)")
    set_language("zh_CN")
    assert str(error) == ("无法导入“空的.xlsx”：文件是空的（0 字节）；下载或传输可能失败了，"
                          "请让发送方重新发送")
    set_language("en")


def test_a_reason_with_a_value_reads_in_chinese(tmp_path: Path) -> None:
    listed = tmp_path / "list.xlsx"
    listed.write_bytes("达人昵称,平台,账号\r\n小桃子,小红书,taozi\r\n".encode("gbk"))
    error = _refusal(listed)
    set_language("zh_CN")
    assert str(error) == ("无法导入“list.xlsx”：这是以“.xlsx”扩展名保存的 CSV 文本，不是真正的"
                          "工作簿；请改名为 .csv（或作为 CSV 导入）")
    set_language("en")
