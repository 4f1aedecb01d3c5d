"""Rows pasted as text (a chat, a web table, another spreadsheet) read like a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol_desk.importing import parse_file
from kol_desk.importing.paste import split_pasted


@pytest.mark.parametrize("text", [
    "昵称\t平台\t账号\t粉丝\n小桃子\t抖音\ttaozi\t12w\n",
    "| 昵称 | 平台 | 账号 | 粉丝 |\n| 小桃子 | 抖音 | taozi | 12w |\n",
    "昵称，平台，账号，粉丝\n小桃子，抖音，taozi，12w\n",
    "昵称   平台   账号   粉丝\n小桃子   抖音   taozi   12w\n",
    "[09:15] 昵称, 平台, 账号, 粉丝\n[09:16] 小桃子, 抖音, taozi, 12w\n",
])
def test_every_common_separator_splits_the_same(text: str) -> None:
    assert split_pasted(text) == [["昵称", "平台", "账号", "粉丝"], ["小桃子", "抖音", "taozi", "12w"]]


def test_a_text_file_with_or_without_a_header_imports(tmp_path: Path) -> None:
    headed = tmp_path / "headed.tsv"
    headed.write_text("达人\t平台\t抖音号\t粉丝\t报价\n小桃子\t抖音\t@TaoZi\t12.3w\t5k\n", "utf-8")
    [row] = parse_file(headed).rows
    assert (row.platform, row.handle, row.followers, row.prices["video"].min) == (
        "douyin", "taozi", 123_000, 5000)
    bare = tmp_path / "chat.txt"
    bare.write_text("小桃子、抖音、taozi01、12.3万粉、5000元/条\n阿柚、小红书、yuzi、8w、面议\n"
                    "大饼、B站、778899、3.2万、2000-3000\n", "utf-8")
    sheet = parse_file(bare).sheets[0]
    assert sheet.header_row == 0
    assert [(r.row, r.nickname, r.platform, r.handle, r.followers) for r in sheet.rows] == [
        (1, "小桃子", "douyin", "taozi01", 123_000), (2, "阿柚", "xiaohongshu", "yuzi", 80_000),
        (3, "大饼", "bilibili", "778899", 32_000)]
    assert sheet.rows[2].prices["video"].max == 3000
