"""Lists written here, in wordings and layouts the shared samples do not use, parse too."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from kol_desk.importing import ImportCancelled, parse_file
from kol_desk.importing.layout import RowKind


def test_english_headers_offset_to_row7_column_d(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Roster"
    ws["D1"] = "Brightline Talent Management"
    ws["D2"] = "Creator rate card - Spring 2027"
    ws["D4"] = "All fees in USD, per deliverable."
    headers = ["Followers (K)", "Instagram Handle", "Talent", "Platform", "Eng. Rate %",
               "Reel Rate (USD)", "Story Price (USD)", "Internal cost", "Location", "Agency"]
    for i, text in enumerate(headers):
        ws.cell(row=7, column=4 + i, value=text)
    data = [
        [12.5, "@Mia.Bakes", "Mia Bakes", "IG", 3.1, "$1,200", "400-600", 800, "UK", "Brightline"],
        ["1.2M", "leo_travels", "Leo Travels", "TikTok", "0.9", "2.5k", "TBD", 1500, "US", None],
        [None, None, None, None, None, None, None, None, None, None],
        ["Total", None, None, None, None, None, None, None, None, None],
    ]
    for r, row in enumerate(data, start=8):
        for i, value in enumerate(row):
            ws.cell(row=r, column=4 + i, value=value)
    path = tmp_path / "roster.xlsx"
    wb.save(path)

    parsed = parse_file(path)
    sheet = parsed.sheets[0]
    assert sheet.header_row == 7
    keys = {m.key: m.column for m in sheet.mapping}
    assert keys["followers"] == 3 and keys["handle"] == 4 and keys["nickname"] == 5
    assert "price:video" in keys and "price:image_post" not in keys
    assert all(m.field.value != "price" or "Internal" not in m.header for m in sheet.mapping)
    assert parsed.currency == "USD"
    mia, leo = sheet.rows
    assert (mia.row, mia.platform, mia.handle, mia.nickname) == (8, "instagram", "mia.bakes",
                                                                  "Mia Bakes")
    assert mia.followers == 12_500
    assert mia.engagement_rate == Decimal("0.031")
    assert mia.prices["video"].min == 1200 and mia.prices["video"].currency == "USD"
    assert mia.price_by_column["Story Price (USD)"].max == 600
    assert mia.extra["Internal cost"] == 800
    assert (leo.followers, leo.engagement_rate) == (1_200_000, Decimal("0.009"))
    assert leo.price_by_column["Story Price (USD)"].unknown
    assert sheet.skipped == {RowKind.BLANK.value: 1, RowKind.TOTAL.value: 1}


def test_two_row_header_with_merged_groups(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "快手达人"
    ws["A1"] = "达人信息"
    ws.merge_cells("A1:C1")
    ws["D1"] = "报价（元）"
    ws.merge_cells("D1:F1")
    ws["G1"] = "粉丝量(万)"
    ws.merge_cells("G1:G2")
    ws["H1"] = "备注"
    ws.merge_cells("H1:H2")
    for col, text in zip("ABCDEF", ["昵称", "快手号", "领域", "图文", "短视频", "直播"], strict=True):
        ws[f"{col}2"] = text
    ws.append(["小满的厨房", "KS_xiaoman01", "美食", "面议", "8000", "2万起", 35.2, "可挂车"])
    ws.append(["阿离同学", 3_055_123, "穿搭", 3000, "5000-6000", None, "12", None])
    path = tmp_path / "two_rows.xlsx"
    wb.save(path)

    sheet = parse_file(path).sheets[0]
    assert sheet.header_row == 2
    keys = {m.key for m in sheet.mapping}
    assert {"nickname", "handle", "category", "price:image_post", "price:video", "price:live",
            "followers", "notes"} <= keys
    first, second = sheet.rows
    assert first.platform == "kuaishou" and sheet.platform_source == "sheet_name"
    assert first.handle == "ks_xiaoman01" and first.followers == 352_000
    assert first.prices["image_post"].unknown
    assert first.prices["video"].min == 8000
    assert first.prices["live"].min == 20_000 and first.prices["live"].max is None
    assert first.notes == "可挂车"
    assert second.handle == "3055123"
    assert second.prices["video"].max == 6000 and "live" not in second.prices


def test_csv_in_gbk(tmp_path: Path) -> None:
    text = ("博主,平台,抖音号,粉丝,刊例价,档期\r\n"
            "小桃子日记,抖音,taozi_diary27,12.3w,5000,11月11日\r\n"
            "阿柚同学,抖音,yuzi.life88,8.6万,面议,待定\r\n")
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    parsed = parse_file(path, default_year=2027)
    assert parsed.kind == "csv"
    rows = parsed.rows
    assert [r.nickname for r in rows] == ["小桃子日记", "阿柚同学"]
    assert rows[0].followers == 123_000 and rows[1].followers == 86_000
    assert rows[0].prices["video"].min == 5000 and rows[1].prices["video"].unknown
    assert rows[0].schedule is not None and rows[0].schedule.isoformat() == "2027-11-11"
    assert rows[1].schedule is None


def test_csv_utf8_bom_semicolons(tmp_path: Path) -> None:
    text = ("Name;Handle;Platform;Subscribers;ER;Fee\n"
            "Ava Codes;@Ava.codes;YouTube;1.3M;8.8%;$22,900\n"
            "Kai Lifts;kai_lifts;YT;345K;0.041;1.5k\n")
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    sheet = parse_file(path).sheets[0]
    assert sheet.header_row == 1
    ava, kai = sheet.rows
    assert ava.nickname == "Ava Codes" and ava.handle == "ava.codes"
    assert ava.platform == "youtube" and kai.platform == "youtube"
    assert ava.prices["video"].min == 22_900 and ava.price_currency == "USD"
    assert kai.followers == 345_000 and kai.engagement_rate == Decimal("0.041")


def test_xls_is_read() -> None:
    pytest.skip("no .xls writer (xlwt/LibreOffice) is available to produce a test file; "
                "calamine reads .xls through the same code path as .xlsx")


def _simple_list(tmp_path: Path, rows: int = 10) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "平台", "账号ID", "粉丝数", "报价", "备注"])
    for i in range(rows):
        ws.append([f"达人{i}", "小红书", f"id{i}", f"{i + 1}w", 1000 * (i + 1), f"note {i}"])
    path = tmp_path / "simple.xlsx"
    wb.save(path)
    return path


def test_mapping_overrides_replace_detection(tmp_path: Path) -> None:
    path = _simple_list(tmp_path, 3)
    parsed = parse_file(path, mapping_overrides={"Sheet": {"nickname": 5, "notes": None,
                                                           "price:live": 4}})
    sheet = parsed.sheets[0]
    keys = {m.key: m.column for m in sheet.mapping}
    assert keys["nickname"] == 5 and "notes" not in keys and keys["price:live"] == 4
    assert "price" not in keys
    row = sheet.rows[0]
    assert row.nickname == "note 0" and row.notes is None
    assert row.prices == {"live": row.price_by_column["报价"]}
    assert row.extra["达人昵称"] == "达人0"


def test_progress_and_cancel(tmp_path: Path) -> None:
    path = _simple_list(tmp_path, 2500)
    seen: list[tuple[int, int]] = []
    parsed = parse_file(path, progress=lambda done, total: seen.append((done, total)))
    assert len(parsed.rows) == 2500
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = iter(range(100))
    with pytest.raises(ImportCancelled):
        parse_file(path, cancelled=lambda: next(calls) >= 2)


def test_rows_without_handle_use_url_then_nickname(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "主页链接", "粉丝数"])
    ws.append(["有链接", "https://www.douyin.com/user/ABC?from=x", "3w"])
    ws.append(["只有昵称", None, "2w"])
    ws.append([None, None, "5w"])
    path = tmp_path / "nohandle.xlsx"
    wb.save(path)
    sheet = parse_file(path).sheets[0]
    first, second = sheet.rows
    assert first.platform == "douyin" and sheet.platform_source == "link"
    assert first.account_key == ("douyin", "url", "douyin.com/user/abc")
    assert second.account_key == (None, "nickname", "只有昵称")
    assert sheet.skipped == {"no_identity": 1}
    assert sheet.problems[0].row == 4


# ---------------------------------------------------------------------------- generated lists

def test_generated_lists_read_right_per_fact_kind(tmp_path: Path) -> None:
    """Forty seeded layouts nobody tuned a wording for: every kind of fact ≥ 98 % right."""
    from benchmarks.bench_generality import KINDS, run_generated

    tally = run_generated(40, 500, tmp_path)
    assert tally.total["price"] > 100 and tally.total["followers"] > 100
    for kind in KINDS:
        accuracy = tally.accuracy(kind)
        assert accuracy is None or accuracy >= 0.98, (kind, accuracy, tally.misses.get(kind, [])[:5])


def _write(tmp_path: Path, rows: list[list[object]], name: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = name
    for row in rows:
        ws.append(row)
    path = tmp_path / "list.xlsx"
    wb.save(path)
    return path


def test_values_outweigh_a_header_word(tmp_path: Path) -> None:
    # '平台' over account ids and a header nobody wrote over platform names: the values decide
    path = _write(tmp_path, [
        ["达人昵称", "平台", "", "粉丝", "报价"],
        ["小桃子", "taozi_01", "抖音", "12w", 5000],
        ["阿柚", "yuzi.life", "小红书", "8万", "面议"],
        ["Mia", "@Mia.Bakes", "IG", "3.4k", "¥1,200"],
        ["Leo", "leo_t", "B站", "1.2M", "2000-3000"],
    ])
    sheet = parse_file(path).sheets[0]
    keys = {m.key: m.column for m in sheet.mapping}
    assert keys["handle"] == 1 and keys["platform"] == 2
    assert [(r.platform, r.handle) for r in sheet.rows] == [
        ("douyin", "taozi_01"), ("xiaohongshu", "yuzi.life"), ("instagram", "mia.bakes"),
        ("bilibili", "leo_t")]


def test_one_platform_column_and_account_headers_named_after_a_platform(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        ["博主", "小红书号", "小红书粉丝", "蒲公英图文报价（元）", "视频笔记报价", "返点"],
        ["糖糖", "95123456", "12.3万粉", 8000, "1.2w", "15%"],
        ["喵喵", "@MiaoMiao", "5w粉丝", "8000-9000", "面议", "10%"],
    ])
    sheet = parse_file(path).sheets[0]
    assert sheet.platform_source == "header"
    first, second = sheet.rows
    assert (first.platform, first.handle, first.followers) == ("xiaohongshu", "95123456", 123_000)
    assert first.prices["image_post"].min == 8000 and first.prices["video"].min == 12_000
    assert (second.handle, second.followers) == ("miaomiao", 50_000)
    assert second.prices["video"].unknown


def test_a_wide_list_gives_an_account_per_platform(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        ["达人昵称", "领域", "抖音号", "抖音粉丝(万)", "抖音视频报价", "XHSID", "小红书粉丝", "小红书图文"],
        ["糖糖", "美食", "tangtang_dy", 35.5, 20000, "95123456", "8万", "8000-9000"],
        ["喵喵", "宠物", None, None, None, "miao_xhs", "1.2w", "面议"],
    ])
    sheet = parse_file(path).sheets[0]
    assert sheet.platform_source == "header"
    got = [(r.row, r.platform, r.handle, r.nickname, r.followers, r.category) for r in sheet.rows]
    assert got == [(2, "douyin", "tangtang_dy", "糖糖", 355_000, "美食"),
                   (2, "xiaohongshu", "95123456", "糖糖", 80_000, "美食"),
                   (3, "xiaohongshu", "miao_xhs", "喵喵", 12_000, "宠物")]
    douyin, xhs, _ = sheet.rows
    assert list(douyin.prices) == ["video"] and douyin.prices["video"].min == 20_000
    assert list(xhs.prices) == ["image_post"] and xhs.prices["image_post"].max == 9000


def test_platform_groups_over_a_two_row_header(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人", "抖音", None, None, "小红书", None, None])
    ws.append([None, "账号", "粉丝", "报价", "账号", "粉丝", "报价"])
    ws.merge_cells("B1:D1")
    ws.merge_cells("E1:G1")
    ws.merge_cells("A1:A2")
    ws.append(["糖糖", "tang_dy", "35万", 20000, "tang_xhs", "8万", "8000"])
    path = tmp_path / "groups.xlsx"
    wb.save(path)
    sheet = parse_file(path).sheets[0]
    assert [(r.platform, r.handle, r.followers, r.nickname) for r in sheet.rows] == [
        ("douyin", "tang_dy", 350_000, "糖糖"), ("xiaohongshu", "tang_xhs", 80_000, "糖糖")]
    assert sheet.rows[1].prices["image_post"].min == 8000
