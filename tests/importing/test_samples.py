"""Every committed agency-list sample parses to the facts in its sidecar."""

from __future__ import annotations

from pathlib import Path

import pytest

from kol_desk.importing import BadFileError, parse_file
from kol_desk.importing.reader import read_workbook

from .conftest import load_sidecar, sidecar_names
from .sidecar_check import check_file


@pytest.mark.parametrize("name", sidecar_names())
def test_sample_matches_sidecar(samples_dir: Path, name: str) -> None:
    exp = load_sidecar(samples_dir / f"{name}.expected.json")
    path = samples_dir / f"{name}.xlsx"
    if exp["expect_error"]:
        with pytest.raises(BadFileError) as info:
            parse_file(path)
        assert path.name in str(info.value)
        assert "\n" not in str(info.value)
        return
    parsed = parse_file(path)
    check_file(parsed, exp)
    assert parsed.currency == exp["currency"]


@pytest.mark.parametrize("name", sidecar_names())
def test_sample_sheet_structure(samples_dir: Path, name: str) -> None:
    exp = load_sidecar(samples_dir / f"{name}.expected.json")
    if exp["expect_error"]:
        pytest.skip("an invalid file on purpose")
    book = read_workbook(samples_dir / f"{name}.xlsx")
    sheets = {s.name: s for s in book.sheets}
    for want in exp["sheets"]:
        sheet = sheets[want["name"]]
        assert sorted(str(m) for m in sheet.merged) == sorted(want["merged_ranges"])
        letters = {chr(65 + c) for c in sheet.hidden_cols}
        assert letters == set(want["hidden_columns"])
        assert sorted(r + 1 for r in sheet.hidden_rows) == want["hidden_creator_rows"]


def test_formula_payloads_stay_text(samples_dir: Path) -> None:
    exp = load_sidecar(samples_dir / "p07_formula_injection_text.expected.json")
    parsed = parse_file(samples_dir / "p07_formula_injection_text.xlsx")
    sheet = parsed.sheets[0]
    for cell in exp["injection_cells"]:
        letters = "".join(ch for ch in cell["cell"] if ch.isalpha())
        row_no = int("".join(ch for ch in cell["cell"] if ch.isdigit()))
        row = next(r for r in sheet.rows if r.row == row_no)
        text = cell["text"]
        field = cell["field"]
        if field == "handle":
            assert row.handle_display == text
        elif field == "followers":
            assert row.followers is None
            problem = next(p for p in sheet.problems if p.row == row_no)
            assert problem.raw == text and problem.column.startswith(letters)
        elif field == "link":
            assert row.extra["profile_text"] == text
            assert row.profile_url is not None and row.profile_url.startswith("https://")
        else:
            assert getattr(row, field) == text, (cell, getattr(row, field))
