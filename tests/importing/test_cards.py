"""Lists written one card per creator ("key: value" lines, a blank line between
creators) are read as the table they describe, and problems name the file's lines."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from kol_desk.importing.cards import unfold_cards
from kol_desk.importing.parse import parse_file
from kol_desk.importing.reader import RawSheet

CHAT = """星耀传媒 达人推荐（2027年3月）

昵称：小桃子
平台：小红书
小红书号：@Taozi_Jiang
粉丝：12.3万
图文报价：8000
折扣：九折

昵称：阿飞说车
平台：抖音
抖音号：afei_car
粉丝：35万
视频报价：1.2万

昵称：糖糖
平台：B站
UID：778899
粉丝：很多
报价：面议
"""


def test_chat_cards_become_rows(tmp_path: Path) -> None:
    path = tmp_path / "cards.txt"
    path.write_text(CHAT, encoding="utf-8")
    parsed = parse_file(path)
    rows = [(r.row, r.platform, r.handle, r.nickname, r.followers) for r in parsed.rows]
    assert rows == [(3, "xiaohongshu", "taozi_jiang", "小桃子", 123_000),
                    (10, "douyin", "afei_car", "阿飞说车", 350_000),
                    (16, "bilibili", "778899", "糖糖", None)]
    first = parsed.rows[0]
    assert first.prices["image_post"].min == Decimal(8000) and first.discount == Decimal(10)
    # the unreadable follower count is named by the line its card starts on in the file
    [problem] = parsed.problems
    assert (problem.row, problem.raw) == (16, "很多")


def test_key_and_value_cells_without_blank_lines(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for card in (("Mia Bakes", "Instagram", "@MiaBakes", "120K", "$800"),
                 ("Leo Travels", "TikTok", "leo.travels", "1.2M", "$1,500")):
        for key, value in zip(("Name", "Platform", "Handle", "Followers", "Rate"), card, strict=True):
            ws.append([key, value])
    path = tmp_path / "cards.xlsx"
    wb.save(path)
    parsed = parse_file(path)
    assert [(r.row, r.platform, r.handle, r.followers, r.primary_price and r.primary_price.min)
            for r in parsed.rows] == [(1, "instagram", "miabakes", 120_000, Decimal(800)),
                                      (6, "tiktok", "leo.travels", 1_200_000, Decimal(1500))]


def test_a_table_is_not_taken_for_cards() -> None:
    two_columns = RawSheet("Sheet1", False, [["达人昵称", "报价"], ["小桃子", 5000], ["阿飞", 8000],
                                             ["糖糖", 3000], ["喵喵", 2000], ["柚子", 1000]])
    assert unfold_cards(two_columns) is None
    table = RawSheet("Sheet1", False, [["昵称", "平台", "账号", "粉丝"]]
                     + [[f"达人{n}", "抖音", f"id{n}", 1000 * n] for n in range(60)])
    assert unfold_cards(table) is None
    # notes of key: value lines that say nothing of creators
    notes = RawSheet("说明", False, [["报价有效期：30天"], ["联系人：王小姐"], ["电话：123"], [],
                                     ["报价有效期：60天"], ["联系人：李先生"], ["电话：456"]])
    assert unfold_cards(notes) is None


def test_pasted_cards_keep_commas_and_spaces_in_their_values(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text("Creator:Lily Glow\nPlatform:IG\nUsername:@LilyGlow\nFans:3,743,990\n"
                    "Rate:US$31,900\nCreator:Max Plays\nPlatform:TikTok\nUsername:maxplays\n"
                    "Fans:1.2M\nRate:DM for rate\n", encoding="utf-8")
    parsed = parse_file(path)
    assert [(r.row, r.nickname, r.platform, r.handle, r.followers) for r in parsed.rows] == [
        (1, "Lily Glow", "instagram", "lilyglow", 3_743_990),
        (6, "Max Plays", "tiktok", "maxplays", 1_200_000)]
    assert parsed.rows[0].primary_price is not None
    assert parsed.rows[0].primary_price.min == Decimal(31900)


def test_chat_lines_with_a_colon_after_the_name_stay_rows(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("小桃子：小红书，taozi01，1.2w，5000\n阿飞：抖音，afei_car，35万，1.2万\n"
                    "糖糖：B站，778899，8000，面议\n", encoding="utf-8")
    parsed = parse_file(path)
    assert [r.handle for r in parsed.rows] == ["taozi01", "afei_car", "778899"]
