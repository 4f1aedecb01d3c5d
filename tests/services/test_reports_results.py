"""Results entry and import, and the internal creator rating fed back from them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from kol_desk.errors import BadInputError
from kol_desk.importing.results_vocabulary import ResultField, match_result_header
from kol_desk.models import Creator
from kol_desk.services.rating import past_results, refresh_all_ratings
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.services.results import (
    SnapshotInput,
    add_snapshot,
    collaborations_for_results,
    import_results,
    parse_results_file,
    snapshots,
)
from kol_desk.store.database import Workspace
from tests import report_factory


def _rating(workspace: Workspace, creator_id: int) -> float | None:
    with workspace.session() as session:
        creator = session.get(Creator, creator_id)
        assert creator is not None
        return creator.rating


def test_header_vocabulary_reads_platform_backend_wordings() -> None:
    expected = {
        "播放量": ResultField.VIEWS, "阅读量": ResultField.VIEWS, "曝光量": ResultField.IMPRESSIONS,
        "点赞数": ResultField.LIKES, "获赞": ResultField.LIKES, "收藏": ResultField.SAVES,
        "转发": ResultField.SHARES, "弹幕": ResultField.DANMAKU, "投币": ResultField.COINS,
        "成交金额(元)": ResultField.REVENUE, "GMV": ResultField.REVENUE, "涨粉": ResultField.NEW_FOLLOWERS,
        "入群数": ResultField.COMMUNITY_JOINS, "笔记链接": ResultField.POST_URL,
        "抖音号": ResultField.HANDLE, "统计日期": ResultField.TAKEN_ON, "Video views": ResultField.VIEWS,
        "Promo code uses": ResultField.PROMO_USES, "点赞率": ResultField.IGNORE,
        "完播率": ResultField.IGNORE, "发布日期": ResultField.IGNORE,
    }
    for header, field in expected.items():
        match = match_result_header(header)
        assert match is not None and match.field is field, header
    assert match_result_header("播放量(万)").unit.multiplier == 10_000  # type: ignore[union-attr]


def test_entered_snapshot_becomes_the_latest_and_keeps_history(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    choices = {c.id for c in collaborations_for_results(workspace, ids.spring)}
    assert {ids.tao, ids.leo} <= choices and ids.dropped not in choices and ids.waiting not in choices
    add_snapshot(workspace, ids.leo, SnapshotInput(date(2026, 12, 4), {
        "impressions": 400_000, "views": 200_000, "likes": 3000, "comments": 500, "orders": 10,
        "revenue": Decimal("3000.50")}, {"score_creative": 2}))
    assert [s.taken_on for s in snapshots(workspace, ids.leo)] == [date(2026, 11, 27), date(2026, 12, 4)]
    report = build_report(workspace, ReportScope((ids.spring,)))
    leo = next(p for p in report.posts if p.collaboration_id == ids.leo)
    assert leo.counts["impressions"] == 400_000 and leo.engagements == 3500
    assert leo.revenue == Decimal("3000.50") and leo.scores["score_creative"] == 2
    assert report.totals.count("impressions") == 650_000


def test_rating_follows_the_documented_formula(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    refresh_all_ratings(workspace)
    # Each platform has one collaboration, so each sits at its platform's median:
    # cost 3, engagement 3; Tao's quality scores average 4 → 0.4·3 + 0.3·3 + 0.3·4 = 3.3.
    assert _rating(workspace, ids.tao_creator) == 3.3
    assert _rating(workspace, ids.leo_creator) == 3.0  # no scores: the parts rescale
    history = past_results(workspace, ids.tao_creator)
    assert len(history) == 1 and history[0].cpe == Decimal("2.5") and history[0].score == 3.3
    assert history[0].cpm == Decimal("20") and history[0].scores == (5, 4, 3)


def test_rating_recomputes_when_results_change(workspace: Workspace) -> None:
    ids = report_factory.build(workspace)
    refresh_all_ratings(workspace)
    before = _rating(workspace, ids.leo_creator)
    # a much better Leo post: more engagement for the same fee, still alone on Douyin
    add_snapshot(workspace, ids.leo, SnapshotInput(date(2026, 12, 4), {"likes": 50_000}, {"score_brand_fit": 5}))
    after = _rating(workspace, ids.leo_creator)
    assert before == 3.0 and after == 3.6  # 0.4·3 + 0.3·3 + 0.3·5 over weight 1.0


def _write(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_a_xiaohongshu_backend_export(workspace: Workspace, tmp_path: Path) -> None:
    ids = report_factory.build(workspace)
    path = _write(tmp_path / "蒲公英导出.xlsx", [
        ["小红书蒲公英 · 笔记数据导出 2026-12"],
        [],
        ["达人昵称", "小红书号", "曝光量", "阅读量", "点赞", "收藏", "评论", "分享", "互动率", "数据日期"],
        ["甜桃", "甜桃", "30万", "12.5w", "1,800", 260, 240, 120, "2.1%", "2026-12-10"],
        ["不认识", "nobody_here", 1000, 500, 10, 1, 1, 1, "1%", "2026-12-10"],
        ["Leo", "leo", "abc", 100, 5, 0, 0, 0, "", ""],
        ["合计", "", "30.1万", "", "", "", "", "", "", ""],
    ])
    parsed = parse_results_file(path)
    assert parsed.mapping["Sheet"]["views"] == "阅读量"
    assert len(parsed.rows) == 2  # the Leo row has no date and is reported
    assert any("C6" in str(p) and p.value == "abc" for p in parsed.problems)
    assert any(p.row == 6 and "no date" in p.reason for p in parsed.problems)
    result = import_results(workspace, parsed)
    assert result.imported == 1 and result.creators == 1
    assert any("nobody_here" in str(p) and "matches no collaboration" in p.reason for p in result.problems)
    tao = next(p for p in build_report(workspace, ReportScope((ids.spring,))).posts
               if p.collaboration_id == ids.tao)
    assert tao.taken_on == date(2026, 12, 10)
    assert (tao.counts["impressions"], tao.counts["views"], tao.engagements) == (300_000, 125_000, 2420)
    assert _rating(workspace, ids.tao_creator) is not None


def test_import_a_douyin_export_with_a_date_for_the_whole_file(workspace: Workspace, tmp_path: Path) -> None:
    ids = report_factory.build(workspace)
    path = _write(tmp_path / "xingtu.xlsx", [
        ["达人昵称", "平台", "抖音号", "视频链接", "播放量(万)", "点赞数", "评论数", "分享数", "完播率", "成交金额(元)", "订单数"],
        ["Leo", "抖音", "@Leo", "https://www.douyin.com/video/1", 12.5, 4000, 300, 200, "35%", "¥8,800.5", 30],
    ])
    parsed = parse_results_file(path, default_date=date(2026, 12, 1))
    assert not parsed.problems
    assert import_results(workspace, parsed, campaign_id=ids.spring).imported == 1
    leo = next(p for p in build_report(workspace, ReportScope((ids.spring,))).posts if p.collaboration_id == ids.leo)
    assert leo.counts["views"] == 125_000 and leo.engagements == 4500
    assert leo.revenue == Decimal("8800.50") and leo.counts["orders"] == 30
    assert leo.taken_on == date(2026, 12, 1)


def test_a_file_without_a_results_table_is_refused_with_its_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "notes.xlsx", [["会议纪要"], ["下周再谈"]])
    with pytest.raises(BadInputError, match=r"notes\.xlsx"):
        parse_results_file(path)
