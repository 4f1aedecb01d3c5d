"""``kol-desk import`` and ``kol-desk creators --json`` on every shared sample: the
workspace holds what each sidecar says the list contains."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kol_desk.cli import main
from tests.conftest import AGENCY_LISTS as SAMPLES

REPO = Path(__file__).resolve().parents[2]
GENERATOR = SAMPLES.parent / "make_agency_lists.py"


def _names(error: bool) -> list[str]:
    if not SAMPLES.is_dir():
        return ["<samples missing>"]
    out = []
    for side in sorted(SAMPLES.glob("*.expected.json")):
        name = side.name[: -len(".expected.json")]
        if (SAMPLES / f"{name}.xlsx").exists() and bool(_sidecar(name).get("expect_error")) == error:
            out.append(name)
    return out


def _sidecar(name: str, folder: Path = SAMPLES) -> dict[str, Any]:
    if not folder.is_dir():
        pytest.skip(f"the shared agency-list samples are not at {folder}")
    data: dict[str, Any] = json.loads((folder / f"{name}.expected.json").read_text("utf-8"))
    return data


def _sample(name: str) -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"the shared agency-list samples are not at {SAMPLES}")
    return SAMPLES / f"{name}.xlsx"


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def price_of(quotes: list[dict[str, Any]], want: Any, currency: str | None) -> bool:
    """Is the sidecar's first-column price among the account's quotes?"""
    if want is None:
        return all(q["unknown"] for q in quotes) or not quotes or any(q["unknown"] for q in quotes)
    lo, hi = (want["min"], want["max"]) if isinstance(want, dict) else (want, want)
    return any(q["min"] == lo and q["max"] == hi and q["currency"] == currency for q in quotes)


def check_accounts(accounts: list[dict[str, Any]], exp: dict[str, Any]) -> None:
    by_key = {(a["platform"], a["handle"]): a for a in accounts}
    assert len(accounts) == exp["unique_creators"] == len(by_key)
    for want in exp["accounts"]:
        key = (want["platform"], want["handle"])
        got = by_key[key]
        where = f"{key} ({want['sheet']}!{want['row']})"
        assert got["nickname"] == want["nickname"], where
        assert got["followers"] == want["followers"], where
        if want["engagement_rate"] is None:
            assert got["engagement_rate"] is None, where
        else:
            assert got["engagement_rate"] == pytest.approx(want["engagement_rate"]), where
        assert got["category"] == want["category"], where
        assert price_of(got["quotes"], want["price"], want.get("price_currency")), (where, got["quotes"])
        for quote in got["quotes"]:
            assert quote["source_kind"] == "agency_list" and quote["date"], where


@pytest.mark.parametrize("name", _names(error=False))
def test_every_sample_imports_as_its_sidecar_says(name: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample(name)
    exp = _sidecar(name)
    db = str(tmp_path / "w.sqlite")
    report = run_json(capsys, "import", str(path), "--db", db, "--agency", "测试MCN", "--json")
    (summary,) = report["files"]
    assert summary["rows_read"] == exp["creator_rows"]
    assert summary["accounts_new"] == exp["unique_creators"]
    assert summary["duplicate_rows"] == exp["creator_rows"] - exp["unique_creators"]
    accounts = run_json(capsys, "creators", "--db", db, "--json")
    check_accounts(accounts, exp)
    assert {q["source"] for a in accounts for q in a["quotes"]} <= {"测试MCN"}

    # the same list again matches every account: no twins, no second copy of the quotes
    again = run_json(capsys, "import", str(path), "--db", db, "--agency", "测试MCN", "--json")
    (second,) = again["files"]
    assert second["creators_new"] == 0 and second["accounts_new"] == 0
    assert second["accounts_matched"] == exp["unique_creators"]
    assert second["quotes_added"] == 0 and second["conflicts"] == 0
    assert run_json(capsys, "creators", "--db", db, "--json") == accounts


@pytest.mark.parametrize("name", _names(error=True))
def test_bad_files_exit_3_with_one_line_and_write_nothing(
        name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample(name)
    good = _sample("p01_xhs_double11_mcn")
    db = tmp_path / "w.sqlite"
    capsys.readouterr()
    # a bad file among good ones stops the run before anything is written
    assert main(["import", str(good), str(path), "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and path.name in err and "Traceback" not in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM creators").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)


def test_formula_payloads_stay_text_end_to_end(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample("p07_formula_injection_text")
    db = str(tmp_path / "w.sqlite")
    run_json(capsys, "import", str(path), "--db", db, "--json")
    accounts = run_json(capsys, "creators", "--db", db, "--json")
    texts = json.dumps(accounts, ensure_ascii=False)
    for payload in ("=HYPERLINK(", "sum(1+1)", "+cmd|' /C calc'!A0", "=1+1", "=DDE("):
        assert payload in texts, payload
    by_handle = {a["handle"]: a for a in accounts}
    # shown in its normalised form; the spelling in the list is still found by a search
    assert by_handle["sum(1+1)"]["handle_display"] == "sum(1+1)"
    assert "sum(1+1)" in [a["handle"] for a in run_json(capsys, "creators", "--db", db, "--json",
                                                        "--search", "@SUM(1+1)")]
    assert all(isinstance(a["followers"], int | None) for a in accounts)
    # followers '-2+3' was reported, not evaluated to 1
    assert not any(a["followers"] == 1 for a in accounts)


def test_dry_run_writes_nothing_and_plain_summary(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample("p05_dirty_text_duplicates")
    db = tmp_path / "w.sqlite"
    capsys.readouterr()
    assert main(["import", str(path), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"{path.name}: would import 34 rows; creators 30 new, 0 matched" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM platform_accounts").fetchone() == (0,)


def test_two_lists_share_creators_and_search_finds_them(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _sample("p01_xhs_double11_mcn"), _sample("p02_platform_sheets")
    db = str(tmp_path / "w.sqlite")
    report = run_json(capsys, "import", str(first), str(second), "--db", db, "--json")
    assert [f["file"] for f in report["files"]] == [first.name, second.name]
    everyone = run_json(capsys, "creators", "--db", db, "--json")
    assert len(everyone) == sum(f["accounts_new"] for f in report["files"])
    nickname = everyone[0]["nickname"]
    found = run_json(capsys, "creators", "--db", db, "--search", nickname[:3], "--json")
    assert everyone[0] in found and len(found) < len(everyone)


def _large_list(folder: Path, rows: int) -> tuple[Path, dict[str, Any]]:
    """The generator's large list cut to its first ``rows`` rows: the same cells and a
    sidecar computed from them, at a fraction of the 50k list's cost (the full list is
    imported and checked by benchmarks/bench_import.py)."""
    if not GENERATOR.exists():
        pytest.skip(f"the sample generator is not at {GENERATOR}")
    spec = importlib.util.spec_from_file_location("make_agency_lists", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.LARGE_ROWS = rows
    exp: dict[str, Any] = generator.p10_large(str(folder), True)
    return folder / exp["file"], exp


@pytest.mark.slow
def test_a_large_list_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 25,001 rows: the fewest that keep the generator's sample rows (up to row 25,000);
    # still several of every chunk (insert 5,000, lookup 900, progress 1,000 rows), the
    # bulk search-index fill, the index rebuild and ~1% repeated accounts.
    path, exp = _large_list(tmp_path, 25_001)
    assert exp["accounts_truncated"] and len(exp["accounts"]) == 2000
    db = str(tmp_path / "w.sqlite")
    report = run_json(capsys, "import", str(path), "--db", db, "--json")
    (summary,) = report["files"]
    assert summary["rows_read"] == exp["creator_rows"] == 25_001
    assert summary["accounts_new"] == exp["unique_creators"]
    assert summary["problems"] == 0
    check_accounts(run_json(capsys, "creators", "--db", db, "--json"), exp)
    # everything is findable: the search index was filled for every new creator
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM creators_fts").fetchone() == \
            conn.execute("SELECT count(*) FROM creators").fetchone()


def test_an_import_from_the_command_line_names_the_user(tmp_path: Path) -> None:
    from kol_desk.preferences import DISPLAY_NAME, Preferences

    Preferences().set(DISPLAY_NAME, "Amy")
    db = tmp_path / "w.sqlite"
    assert main(["import", str(_sample("p01_xhs_double11_mcn")), "--db", str(db)]) == 0
    with sqlite3.connect(db) as conn:
        logged = conn.execute("SELECT DISTINCT user, entity FROM activity").fetchall()
    assert logged and all(user == "Amy" for user, _entity in logged), logged


# ---------------------------------------------------------------------------- mappings

def _roster(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Talent", "Platform", "IG Handle", "Reach", "Rate (USD)", "Remarks"])
    ws.append(["Mia Bakes", "IG", "@Mia.Bakes", "12.5K", "$1,200", "1.5M"])
    ws.append(["Leo Travels", "TikTok", "leo_travels", "1.2M", "TBD", "800K"])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    return path


def test_dry_run_json_prints_the_mapping_per_sheet(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "import", str(_roster(tmp_path)), "--db", str(tmp_path / "w.sqlite"),
                   "--dry-run", "--json")
    sheet = out["files"][0]["mapping"][0]
    fields = {c["header"]: c["field"] for c in sheet["columns"]}
    assert fields == {"Talent": "nickname", "Platform": "platform", "IG Handle": "handle",
                      "Reach": "followers", "Rate (USD)": "price", "Remarks": "notes"}
    assert all(0 < c["confidence"] <= 1 for c in sheet["columns"])
    assert sheet["missing"] == [] and sheet["header_row"] == 1


def test_map_and_mapping_file_change_the_columns(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = _roster(tmp_path)
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"columns": {"Reach": "", "Remarks": "followers"}}), "utf-8")
    db = str(tmp_path / "w.sqlite")
    out = run_json(capsys, "import", str(path), "--db", db, "--dry-run", "--json",
                   "--mapping", str(mapping), "--map", "Rate (USD)=price:image_post")
    fields = {c["header"]: c["field"] for c in out["files"][0]["mapping"][0]["columns"]}
    assert fields["Reach"] is None and fields["Remarks"] == "followers"
    assert fields["Rate (USD)"] == "price:image_post"
    assert out["files"][0]["mapping"][0]["unused_data"] == {"D": "followers"}
    run_json(capsys, "import", str(path), "--db", db, "--json", "--mapping", str(mapping))
    accounts = run_json(capsys, "creators", "--db", db, "--json")
    assert sorted(a["followers"] for a in accounts) == [800_000, 1_500_000]


def test_a_bad_mapping_names_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _roster(tmp_path)
    db = str(tmp_path / "w.sqlite")
    assert main(["import", str(path), "--db", db, "--map", "Reach=fans"]) == 3
    assert "--map 'Reach=fans'" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"Reach": "likes"}}', "utf-8")
    assert main(["import", str(path), "--db", db, "--mapping", str(bad)]) == 3
    assert "bad.json" in capsys.readouterr().err


def test_the_text_output_names_what_was_not_found(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _roster(tmp_path)
    db = str(tmp_path / "w.sqlite")
    assert main(["import", str(path), "--db", db, "--map", "Reach=ignore"]) == 0
    out = capsys.readouterr().out
    assert "NOT FOUND: Followers" in out and "unused columns with data: D" in out


def test_dry_run_json_gives_channels_and_discounts(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "平台", "账号ID", "粉丝数", "星图价", "水下价", "折扣"])
    ws.append(["阿飞", "抖音", "@AFei_Car", "35万", "1.2万", "9000", "9折"])
    ws.append(["小桃子", "小红书", "taozi01", "1.2w", 8000, "6000 八五折", None])
    path = tmp_path / "报备.xlsx"
    wb.save(path)
    db = str(tmp_path / "ws.sqlite")
    report = run_json(capsys, "import", str(path), "--db", db, "--dry-run", "--json")
    assert report["dry_run"] is True
    (file,) = report["files"]
    columns = {c["header"]: c for c in file["mapping"][0]["columns"]}
    assert (columns["星图价"]["field"], columns["星图价"]["channel"]) == ("price", "platform_order")
    assert (columns["水下价"]["field"], columns["水下价"]["channel"]) == ("price", "direct")
    assert (columns["折扣"]["field"], columns["折扣"]["channel"]) == ("discount", None)
    # 星图 is Douyin's marketplace, 蒲公英 Xiaohongshu's; 9折 for 阿飞, 八五折 in one cell
    assert file["quotes_by_channel"] == {"xingtu": 1, "pugongying": 1, "direct": 2}
    assert file["quotes_with_discount"] == 3
    assert file["batch_id"] is None
    assert run_json(capsys, "creators", "--db", db, "--json") == []
