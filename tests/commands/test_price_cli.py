"""``kol-desk price``: the estimate and its evidence for one account, and the backtest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from kol_desk.cli import main
from kol_desk.models import Collaboration, PlatformAccount
from kol_desk.store.database import Workspace


def test_price_prints_the_estimate_and_its_evidence_as_json(
        demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        demo_workspace: Workspace) -> None:
    with demo_workspace.session() as s:
        platform, handle = s.execute(
            select(PlatformAccount.platform, PlatformAccount.handle_display)
            .join(Collaboration, Collaboration.account_id == PlatformAccount.id)
            .where(Collaboration.agreed_fee.is_not(None)).limit(1)).one()
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_template, db)
    assert main(["price", "--db", str(db), "--account", f"{platform}:{handle}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["account"]["handle"] == handle and data["currency"] == "CNY"
    e = data["estimate"]
    assert float(e["ask"]) <= float(e["target"]) <= float(e["walk_away"])
    assert data["reason"].startswith("Target") and "Comparables:" in data["evidence"]
    assert data["routes"] and all("net" in r for r in data["routes"])

    assert main(["price", "--backtest", "--db", str(db), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"n", "mape", "baselines"}
    assert set(result["baselines"]) == {"latest_quote", "peer_median"}


def test_price_names_what_is_wrong(demo_template: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_template, db)
    assert main(["price", "--db", str(db), "--account", "douyin:nobody-here"]) == 3
    assert "no douyin account" in capsys.readouterr().err
    assert main(["price", "--db", str(db)]) == 3
    assert "--account" in capsys.readouterr().err


def test_price_writes_the_sheet_for_a_shortlist(demo_template: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                demo_workspace: Workspace) -> None:
    from openpyxl import load_workbook

    with demo_workspace.session() as s:
        specs = [f"{p}:{h}" for p, h in s.execute(
            select(PlatformAccount.platform, PlatformAccount.handle).order_by(PlatformAccount.id).limit(3))]
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_template, db)
    accounts = [word for spec in specs for word in ("--account", spec)]
    assert main(["price", "--db", str(db), *accounts, "--sheet", str(tmp_path / "s.xlsx"), "--lang", "en"]) == 0
    sheet = load_workbook(tmp_path / "s.xlsx").active
    assert sheet is not None
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Creator")
    assert header[7:10] == ("Ask", "Target", "Walk away")
    assert sheet.max_row == 4 + 3  # title, subtitle, blank, header, three creators
    assert main(["price", "--db", str(db), *accounts, "--sheet", str(tmp_path / "s.pdf")]) == 0
    assert (tmp_path / "s.pdf").read_bytes()[:5] == b"%PDF-"
    assert main(["price", "--db", str(db), *accounts, "--sheet", str(tmp_path / "s.doc")]) == 3
