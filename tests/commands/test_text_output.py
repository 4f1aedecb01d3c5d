"""The command line's text output is for a person: stored keys appear as their labels in
the language asked for (``--lang``), never as ``xiaohongshu``, ``image_post`` or
``platform_accounts``; ``--json`` keeps the keys for scripts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kol_desk.cli import main
from kol_desk.domain import DELIVERABLE_LABELS, PLATFORM_LABELS, Deliverable, Platform
from kol_desk.i18n import load_catalog
from kol_desk.importing.layout import field_keys
from kol_desk.labels import FIELD_LABELS
from kol_desk.models import PlatformAccount, Quote
from kol_desk.store.database import Workspace
from kol_desk.store.inspection import COUNTED_TABLES
from tests.raw_keys import SEPARATORS, raw_keys_in_line

LANGUAGES = ("zh_CN", "en")


def _label(english: str, lang: str) -> str:
    """A label as the given language shows it, read from the catalog itself."""
    return load_catalog(lang).get(english, english) if lang != "en" else english


def _printed(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    capsys.readouterr()
    assert main(list(argv)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines
    return lines


def _no_raw_keys(lines: list[str]) -> None:
    found = {line: keys for line in lines if (keys := raw_keys_in_line(line))}
    assert not found, found


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> str:
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_template, db)
    return str(db)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_creators_prints_platform_labels_and_counts_in_words(
        demo_copy: str, lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    keys = [a["platform"] for a in json.loads(_printed(capsys, "creators", "--db", demo_copy, "--json")[0])]
    lines = _printed(capsys, "creators", "--db", demo_copy, "--lang", lang)
    assert len(lines) == len(keys) and "xiaohongshu" in keys
    _no_raw_keys(lines)
    shown = [line.split("\t")[0] for line in lines]
    assert shown == [_label(PLATFORM_LABELS[Platform(k)], lang) for k in keys]
    assert ("小红书" if lang == "zh_CN" else "Xiaohongshu") in shown
    quotes = "条报价" if lang == "zh_CN" else "quote(s)"
    assert all(line.endswith(quotes) for line in lines)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_price_names_the_account_by_labels(demo_copy: str, demo_workspace: Workspace, lang: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with demo_workspace.session() as s:
        handle = s.scalar(select(PlatformAccount.handle)
                          .join(Quote, Quote.account_id == PlatformAccount.id)
                          .where(PlatformAccount.platform == "xiaohongshu")
                          .group_by(PlatformAccount.id).order_by(func.count().desc(), PlatformAccount.id)
                          .limit(1))
    assert handle
    spec = f"xiaohongshu:{handle}"
    data = json.loads(_printed(capsys, "price", "--db", demo_copy, "--account", spec, "--json")[0])
    assert data["account"]["platform"] == "xiaohongshu"  # the JSON keeps the keys

    lines = _printed(capsys, "price", "--db", demo_copy, "--account", spec, "--lang", lang)
    _no_raw_keys(lines)
    first = [part for part in SEPARATORS.split(lines[0]) if part]
    deliverable = _label(DELIVERABLE_LABELS[Deliverable(data["deliverable"])], lang)
    assert first == [data["account"]["nickname"], "小红书" if lang == "zh_CN" else "Xiaohongshu",
                     data["account"]["handle"], deliverable, data["currency"]]
    if lang == "zh_CN":  # Chinese brackets around the account, as Chinese text has them
        assert lines[0].endswith(f"{data['currency']}）")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_check_counts_records_in_words(demo_copy: str, lang: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    lines = _printed(capsys, "check", "--db", demo_copy, "--lang", lang)
    _no_raw_keys(lines)
    assert not [line for line in lines if any(table in line for table in COUNTED_TABLES if "_" in table)]
    creators = "位达人" if lang == "zh_CN" else "creators"
    assert any(line.endswith(creators) and line.split()[0].replace(",", "").isdigit() for line in lines)


def _list_without_followers(folder: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "平台", "账号ID", "图文报价", "视频报价", "备注"])
    ws.append(["是团子", "小红书", "milo1", "8000", "12000", "新人"])
    ws.append(["阿橘", "小红书", "ajv2", "5000", "9000", ""])
    path = folder / "list.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_import_dry_run_names_fields_by_their_labels(tmp_path: Path, lang: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path, db = str(_list_without_followers(tmp_path)), str(tmp_path / "w.sqlite")
    report = json.loads(_printed(capsys, "import", path, "--db", db, "--dry-run", "--json")[0])
    mapping = report["files"][0]["mapping"][0]
    fields = [c["field"] for c in mapping["columns"] if c["field"]]
    assert "price:image_post" in fields and "followers" in mapping["missing"]  # the JSON keeps the keys

    lines = _printed(capsys, "import", path, "--db", db, "--dry-run", "--lang", lang)
    _no_raw_keys(lines)
    parts = {part for line in lines for part in SEPARATORS.split(line)}
    assert not parts & (set(FIELD_LABELS) - {""})  # no field shown by its key
    sheet = lines[1]
    for key in fields:
        assert f"→ {_label(FIELD_LABELS[key], lang)}" in sheet
    not_found = "未找到：" if lang == "zh_CN" else "NOT FOUND: "
    assert f"{not_found}{_label(FIELD_LABELS['followers'], lang)}" in sheet


def test_every_import_field_has_a_label() -> None:
    # kol_desk.labels sits below the importing package, so it cannot read its keys.
    assert set(FIELD_LABELS) - {""} == set(field_keys().split(", "))
    missing = [label for label in FIELD_LABELS.values() if label not in load_catalog("zh_CN")]
    assert not missing


@pytest.mark.parametrize("lang", LANGUAGES)
def test_budget_and_backup_print_no_keys(demo_copy: str, tmp_path: Path, lang: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    budget = _printed(capsys, "budget", "--db", demo_copy, "--today", "2026-11-20", "--lang", lang)
    backup = _printed(capsys, "backup", "--db", demo_copy, "--out", str(tmp_path / f"b-{lang}.sqlite"),
                      "--lang", lang)
    _no_raw_keys(budget + backup)
    assert not [line for line in backup if any(table in line for table in COUNTED_TABLES if "_" in table)]
