"""The database half of the import: plan, commit in one transaction, undo as a batch."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kol_desk.importing import ImportCancelled
from kol_desk.services.account_listing import list_accounts
from kol_desk.services.import_batches import UndoRefused, list_batches, undo_batch
from kol_desk.services.import_commit import commit_plan
from kol_desk.services.import_plan import MergePlan, build_plan
from kol_desk.services.import_reading import mapping_to_remember, read_list, remembered_mapping
from kol_desk.services.quote_edit import read_quote, update_quote
from kol_desk.store.database import Workspace

from .conftest import SAMPLES_DIR

HEADER = ["达人昵称", "平台", "账号ID", "粉丝数", "互动率", "报价", "领域", "主页链接"]
ROWS = [
    ["小桃子", "小红书", "taozi01", "1.2w", "3.2%", "5000", "美妆", "https://www.xiaohongshu.com/user/profile/t01"],
    ["阿飞说车", "抖音", "afei_car", "35万", "2.1%", "1.2万", "汽车", "https://www.douyin.com/user/afei"],
    ["糖糖", "B站", "778899", "8000", "-", "面议", "游戏", ""],
]


def write_list(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "达人"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def plan_for(ws: Workspace, path: Path, agency: str | None = "青柚MCN") -> MergePlan:
    return build_plan(ws, read_list(ws, path, agency=agency), agency=agency)


def snapshot(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """What the user has, without bookkeeping columns (version, updated_at) and batches."""
    path = ws.path
    assert path is not None
    out: dict[str, list[tuple[Any, ...]]] = {}
    with sqlite3.connect(path) as conn:
        for table in ("creators", "platform_accounts", "quotes", "agencies", "creator_tags"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                    if r[1] not in ("version", "updated_at")]
            out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
        fts = conn.execute("SELECT count(*) FROM creators_fts WHERE creators_fts MATCH 'taozi'")
        out["fts"] = fts.fetchall()
        out["schema"] = schema(conn)
    return out


def schema(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Tables, indexes and triggers: the commit drops and re-creates the search trigger
    and (into a near-empty table) the plain indexes, and must always put them back."""
    return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def accounts(ws: Workspace) -> dict[str, dict[str, Any]]:
    return {a["handle"]: a for a in list_accounts(ws)}


def test_commit_creates_creators_accounts_quotes_as_one_batch(workspace: Workspace, tmp_path: Path) -> None:
    path = write_list(tmp_path / "list.xlsx", ROWS)
    plan = plan_for(workspace, path)
    assert (plan.rows_read, plan.new_creators, len(plan.matched_accounts), plan.quotes) == (3, 3, 0, 3)
    assert workspace.path is not None
    with sqlite3.connect(workspace.path) as conn:
        before = schema(conn)
    result = commit_plan(workspace, plan)
    with sqlite3.connect(workspace.path) as conn:
        assert schema(conn) == before
        assert conn.execute("SELECT count(*) FROM creators_fts").fetchone() == (3,)
    got = accounts(workspace)
    assert got["taozi01"]["followers"] == 12000
    assert got["taozi01"]["engagement_rate"] == pytest.approx(0.032)
    assert got["afei_car"]["quotes"][0]["min"] == 12000
    assert got["afei_car"]["quotes"][0]["source"] == "青柚MCN"
    unknown = got["778899"]["quotes"][0]
    assert unknown["unknown"] and unknown["min"] is None and unknown["raw"] == "面议"
    (batch,) = list_batches(workspace)
    assert batch.id == result.batch_id and batch.file_name == "list.xlsx"
    assert batch.creators_matched == 0
    assert (batch.agency, batch.rows_read, batch.creators_new, batch.quotes_added) == ("青柚MCN", 3, 3, 3)
    # the Creators tab's search finds a new creator by handle
    assert [a["handle"] for a in list_accounts(workspace, "TAOZI")] == ["taozi01"]


def test_cancel_mid_commit_leaves_the_workspace_as_it_was(workspace: Workspace, tmp_path: Path) -> None:
    commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "a.xlsx", ROWS[:1])))
    before = snapshot(workspace)
    batches = list_batches(workspace)
    plan = plan_for(workspace, write_list(tmp_path / "b.xlsx", ROWS))
    calls = []

    def cancel_half_way() -> bool:
        calls.append(1)
        return len(calls) >= 3  # after the batch, agencies and creators went in

    with pytest.raises(ImportCancelled):
        commit_plan(workspace, plan, cancelled=cancel_half_way)
    assert snapshot(workspace) == before
    assert list_batches(workspace) == batches


def test_an_error_mid_commit_leaves_the_workspace_as_it_was(workspace: Workspace, tmp_path: Path) -> None:
    before = snapshot(workspace)
    plan = plan_for(workspace, write_list(tmp_path / "b.xlsx", ROWS))
    calls = []

    def disk_full() -> bool:
        calls.append(1)
        if len(calls) == 4:
            raise OSError("disk full")
        return False

    with pytest.raises(OSError):
        commit_plan(workspace, plan, cancelled=disk_full)
    assert snapshot(workspace) == before and list_batches(workspace) == []


def test_conflicts_keep_by_default_update_on_request_and_undo_restores(
        workspace: Workspace, tmp_path: Path) -> None:
    commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "a.xlsx", ROWS)))
    after_first = snapshot(workspace)
    changed = [r.copy() for r in ROWS]
    changed[0][3] = "2.5w"  # followers differ
    changed[2][4] = "4.4%"  # a rate where there was none: filled in, not a conflict
    plan = plan_for(workspace, write_list(tmp_path / "b.xlsx", changed))
    assert plan.new_creators == 0 and len(plan.matched_accounts) == 3
    (conflict,) = plan.conflicts
    assert (conflict.change.field, conflict.change.old, conflict.change.new) == ("followers", 12000, 25000)
    assert not conflict.update  # existing data is never silently overwritten
    kept = commit_plan(workspace, plan)
    assert accounts(workspace)["taozi01"]["followers"] == 12000
    assert accounts(workspace)["778899"]["engagement_rate"] == pytest.approx(0.044)
    undo_batch(workspace, kept.batch_id)
    assert snapshot(workspace) == after_first

    plan = plan_for(workspace, write_list(tmp_path / "b.xlsx", changed))
    plan.conflicts[0].update = True
    updated = commit_plan(workspace, plan)
    assert accounts(workspace)["taozi01"]["followers"] == 25000
    undo_batch(workspace, updated.batch_id)
    assert snapshot(workspace) == after_first
    with pytest.raises(UndoRefused, match="already undone"):
        undo_batch(workspace, updated.batch_id)


def test_undo_of_every_batch_gives_back_the_empty_workspace(workspace: Workspace) -> None:
    empty = snapshot(workspace)
    batch_ids = []
    for name in ("p01_xhs_double11_mcn", "p02_platform_sheets", "p05_dirty_text_duplicates"):
        path = SAMPLES_DIR / f"{name}.xlsx"
        if not path.exists():
            pytest.skip("samples missing")
        plan = plan_for(workspace, path)
        mapping = mapping_to_remember(read_list(workspace, path, agency="青柚MCN"))
        batch_ids.append(commit_plan(workspace, plan, mapping=mapping).batch_id)
    assert len(list_accounts(workspace)) > 80
    for batch_id in batch_ids:  # oldest first: the lists share no creators
        undo_batch(workspace, batch_id)
    after = snapshot(workspace)
    # the agency the first list created stays: later batches still named it then
    assert len(after.pop("agencies")) == 1
    empty.pop("agencies")
    assert after == empty
    assert all(b.undone_at is not None for b in list_batches(workspace))


def test_undo_refused_when_a_later_import_added_quotes(workspace: Workspace, tmp_path: Path) -> None:
    first = commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "a.xlsx", ROWS)))
    changed = [r.copy() for r in ROWS]
    changed[1][5] = "1.5万"
    commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "b.xlsx", changed), "蓝鲸"))
    with pytest.raises(UndoRefused, match="Undo those imports first"):
        undo_batch(workspace, first.batch_id)
    quotes = accounts(workspace)["afei_car"]["quotes"]
    assert [(q["min"], q["source"]) for q in quotes] == [(12000, "青柚MCN"), (15000, "蓝鲸")]


def test_profile_url_is_the_second_key(workspace: Workspace, tmp_path: Path) -> None:
    commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "a.xlsx", ROWS)))
    renamed = [r.copy() for r in ROWS]
    renamed[0][2] = "taozi_new"
    renamed[0][7] = "http://xiaohongshu.com/user/profile/T01?from=share"
    plan = plan_for(workspace, write_list(tmp_path / "b.xlsx", renamed))
    matched = {a.handle: a.matched_by for a in plan.matched_accounts}
    assert matched == {"taozi_new": "url", "afei_car": "handle", "778899": "handle"}
    assert plan.new_creators == 0


def test_duplicates_in_a_file_become_one_account(workspace: Workspace, tmp_path: Path) -> None:
    rows = [*ROWS, ["小桃子 ", "小红书", " @TAOZI01", "1.3w", "3%", "5000", "美妆", ""]]
    plan = plan_for(workspace, write_list(tmp_path / "a.xlsx", rows))
    assert plan.duplicate_rows == 1 and plan.new_creators == 3
    commit_plan(workspace, plan)
    taozi = accounts(workspace)["taozi01"]
    assert taozi["followers"] == 12000  # the first row's values
    assert len(taozi["quotes"]) == 1  # the same price twice is one quote


def test_excluded_rows_are_not_imported(workspace: Workspace, tmp_path: Path) -> None:
    path = write_list(tmp_path / "a.xlsx", ROWS)
    parsed = read_list(workspace, path)
    plan = build_plan(workspace, parsed, excluded={("达人", 3)})
    assert plan.rows_excluded == 1 and plan.new_creators == 2
    commit_plan(workspace, plan)
    assert set(accounts(workspace)) == {"taozi01", "778899"}


def test_a_confirmed_mapping_is_remembered_per_agency(workspace: Workspace, tmp_path: Path) -> None:
    # this agency's 备注 column holds the city; the user maps it so once
    header = [*HEADER[:7], "备注"]
    rows = [[*r[:7], "杭州"] for r in ROWS]
    path = write_list(tmp_path / "a.xlsx", rows, header)
    detected = read_list(workspace, path, agency="橙子工作室")
    assert all(r.city is None for r in detected.rows)
    fixed = read_list(workspace, path, agency="橙子工作室", overrides={"达人": {"city": 7}})
    assert [r.city for r in fixed.rows] == ["杭州"] * 3
    mapping = mapping_to_remember(fixed, remembered_mapping(workspace, "橙子工作室"))
    commit_plan(workspace, build_plan(workspace, fixed, agency="橙子工作室"), mapping=mapping)
    assert remembered_mapping(workspace, "橙子工作室") == mapping

    # the agency's next list has its columns in another order: the memory still fits
    order = [7, *range(7)]
    path2 = write_list(tmp_path / "b.xlsx", [[r[i] for i in order] for r in rows],
                       [header[i] for i in order])
    again = read_list(workspace, path2, agency="橙子工作室")
    assert [r.city for r in again.rows] == ["杭州"] * 3
    other_agency = read_list(workspace, path2, agency="别的机构")
    assert all(r.city is None for r in other_agency.rows)


def test_undo_refused_while_a_later_import_changed_the_same_values(
        workspace: Workspace, tmp_path: Path) -> None:
    commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "a.xlsx", ROWS)))
    after_first = snapshot(workspace)
    batches = []
    for n, followers in enumerate(("2.5w", "3w")):
        changed = [r.copy() for r in ROWS]
        changed[0][3] = followers
        plan = plan_for(workspace, write_list(tmp_path / f"b{n}.xlsx", changed))
        plan.set_all_conflicts(True)
        batches.append(commit_plan(workspace, plan).batch_id)
    assert accounts(workspace)["taozi01"]["followers"] == 30000
    with pytest.raises(UndoRefused, match="later import changed the same"):
        undo_batch(workspace, batches[0])
    undo_batch(workspace, batches[1])
    assert accounts(workspace)["taozi01"]["followers"] == 25000
    undo_batch(workspace, batches[0])
    assert snapshot(workspace) == after_first


def test_contacts_of_every_kind_in_one_list(workspace: Workspace, tmp_path: Path) -> None:
    header = [*HEADER, "联系方式"]
    contacts = ["amy@example.com", "138 0000 0001", "kol_wechat_01"]
    rows = [[*r, c] for r, c in zip(ROWS, contacts, strict=True)]
    commit_plan(workspace, plan_for(workspace, write_list(tmp_path / "a.xlsx", rows, header)))
    assert [accounts(workspace)[h]["contact"] for h in ("taozi01", "afei_car", "778899")] == contacts


def test_repeated_cells_parse_alike_and_each_bad_one_is_reported(workspace: Workspace,
                                                                 tmp_path: Path) -> None:
    """A column's answers are remembered per cell text; a problem is still one per row."""
    rows = [[f"达人{n}", "小红书" if n % 2 else "抖音", f"kol{n}", "1.2w", "3.2%",
             "5000" if n % 3 else "约多少", "美妆", ""] for n in range(6)]
    parsed = read_list(workspace, write_list(tmp_path / "a.xlsx", rows))
    assert [p.row for p in parsed.problems] == [2, 5]
    assert {(r.followers, r.engagement_rate, r.category) for r in parsed.rows} == {
        (12000, Decimal("0.032"), "美妆")}
    assert [r.platform for r in parsed.rows] == ["douyin", "xiaohongshu"] * 3
    commit_plan(workspace, build_plan(workspace, parsed, agency=None))
    assert workspace.path is not None
    with sqlite3.connect(workspace.path) as conn:
        uids = [u for (u,) in conn.execute(
            "SELECT uid FROM creators UNION ALL SELECT uid FROM platform_accounts "
            "UNION ALL SELECT uid FROM quotes")]
        # a handle written as its own key is in the search text once
        texts = [t for (t,) in conn.execute("SELECT search_text FROM creators ORDER BY id")]
    assert len(uids) == len(set(uids)) == 6 + 6 + 4
    assert all(uuid.UUID(u).version == 4 and uuid.UUID(u).hex == u for u in uids)
    assert texts[0] == "达人0\nkol0\nda ren 0\ndaren0\ndr0"  # the handle once, then the pinyin


def test_deal_terms_go_on_the_quotes(workspace: Workspace, tmp_path: Path) -> None:
    header = ["博主", "小红书号", "蒲公英图文报价", "非报备图文报价", "视频笔记报价", "返点", "服务费",
              "折扣", "是否含税", "粉丝"]
    rows = [["糖糖", "95123456", 8000, 6000, "1-1.2w", "15%", "10%", "8折", "含税", "12万"],
            ["喵喵", "@MiaoMiao", "面议", 5000, 7000, 0.1, 300, None, "不含税", "5w"]]
    path = write_list(tmp_path / "terms.xlsx", rows, header)
    plan = plan_for(workspace, path)
    commit_plan(workspace, plan)
    with sqlite3.connect(workspace.path) as conn:
        quotes = conn.execute(
            "SELECT a.handle, q.deliverable, q.video_length, q.price_min, q.rebate_pct, "
            "q.service_fee, q.tax_included, q.notes, q.discount_pct, q.channel FROM quotes q "
            "JOIN platform_accounts a ON a.id = q.account_id ORDER BY q.id").fetchall()
    tang = [q for q in quotes if q[0] == "95123456"]
    # a 10 % fee on an exact price is an amount (stored in cents); on a range, a note;
    # 8折 is 20 % off; 蒲公英 is Xiaohongshu's marketplace, 非报备 a direct deal
    assert [(q[1], q[2], q[5], q[7], q[8], q[9]) for q in tang] == [
        ("image_post", None, 80_000, None, 20.0, "pugongying"),
        ("image_post", None, 60_000, None, 20.0, "direct"),
        ("video", None, None, "服务费 10%", 20.0, None)]
    assert {q[4] for q in tang} == {15.0} and {q[6] for q in tang} == {1}
    miao = [q for q in quotes if q[0] == "miaomiao"]
    assert {(q[4], q[5], q[6]) for q in miao} == {(10.0, 30_000, 0)}
    assert all(q[7] is None and q[8] is None for q in miao)
    assert {q[9] for q in miao if q[1] == "image_post"} == {"pugongying", "direct"}


def test_a_list_imported_before_quotes_had_a_channel_is_not_doubled(workspace: Workspace,
                                                                     tmp_path: Path) -> None:
    header = ["博主", "抖音号", "星图报价", "非报备报价", "粉丝"]
    path = write_list(tmp_path / "pair.xlsx", [["糖糖", "tangtang", 8000, 6000, "12万"],
                                               ["喵喵", "miao", "1-1.2w", 9000, "5w"]], header)
    commit_plan(workspace, plan_for(workspace, path))
    # What revision 0005's importer stored for that pair: no channel, and the second price
    # of the same deliverable as a variant named after its column.
    with sqlite3.connect(workspace.path) as conn:
        conn.execute("UPDATE quotes SET channel = NULL, video_length = '非报备报价' "
                     "WHERE channel = 'direct'")
        conn.execute("UPDATE quotes SET channel = NULL")
        before = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
    assert before == 4
    plan = plan_for(workspace, path)
    assert sum(len(a.quotes) for a in plan.accounts) == 0
    commit_plan(workspace, plan)
    with sqlite3.connect(workspace.path) as conn:
        assert conn.execute("SELECT count(*) FROM quotes").fetchone()[0] == before
    # A new price from the same agency the same day is still recorded.
    changed = write_list(tmp_path / "pair2.xlsx", [["糖糖", "tangtang", 8500, 6000, "12万"]], header)
    plan = plan_for(workspace, changed)
    assert [(q.price.min, q.channel) for a in plan.accounts for q in a.quotes] == [(Decimal(8500), "xingtu")]


def test_a_price_corrected_by_hand_is_not_brought_back_by_the_same_list(workspace: Workspace,
                                                                        tmp_path: Path) -> None:
    path = write_list(tmp_path / "list.xlsx", ROWS)
    commit_plan(workspace, plan_for(workspace, path))
    with sqlite3.connect(workspace.path) as conn:
        (quote_id,) = conn.execute("SELECT q.id FROM quotes q JOIN platform_accounts a "
                                   "ON a.id = q.account_id WHERE a.handle = 'taozi01'").fetchone()
    fields = read_quote(workspace, quote_id)
    update_quote(workspace, quote_id, replace(fields, price_min=Decimal(4500), price_max=Decimal(4500)))
    plan = plan_for(workspace, path)
    assert sum(len(a.quotes) for a in plan.accounts) == 0
    # The same list with a new price for her is a new quote.
    changed = write_list(tmp_path / "changed.xlsx", [[*ROWS[0][:5], "5200", *ROWS[0][6:]]])
    plan = plan_for(workspace, changed)
    assert [q.price.min for a in plan.accounts for q in a.quotes] == [Decimal(5200)]


def test_a_wide_row_is_one_creator_with_an_account_per_platform(workspace: Workspace,
                                                                tmp_path: Path) -> None:
    header = ["达人昵称", "抖音号", "抖音粉丝", "小红书号", "小红书粉丝"]
    path = write_list(tmp_path / "wide.xlsx", [["糖糖", "tang_dy", "35万", "tang_xhs", "8万"]],
                      header)
    commit_plan(workspace, plan_for(workspace, path))
    with sqlite3.connect(workspace.path) as conn:
        accounts = conn.execute("SELECT creator_id, platform, handle FROM platform_accounts "
                                "ORDER BY id").fetchall()
    assert [(p, h) for _, p, h in accounts] == [("douyin", "tang_dy"), ("xiaohongshu", "tang_xhs")]
    assert len({c for c, _, _ in accounts}) == 1
