"""The exported workbooks checked against what Excel is strict about, part by part (Excel
offers to "repair" a file that breaks any of these, where LibreOffice stays silent):
every part listed in [Content_Types].xml and every relationship target present, style
counts equal to their lists, no cell pointing past the cell formats, shared-string
counts, sheet names Excel accepts, defined names on real sheets, and chart ranges on
real sheets inside their used range, with their cached points where constant-memory
mode has no cells to cache from."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from xlsxwriter.utility import xl_cell_to_rowcol

from kol_desk.exporting.creators import write_creators
from kol_desk.exporting.report import write_report
from kol_desk.i18n import set_language
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
STYLE_LISTS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs")


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(name))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part, through the workbook's relationships."""
    workbook = _xml(archive, "xl/workbook.xml")
    targets = {r.get("Id"): posixpath.normpath(posixpath.join("xl", r.get("Target") or ""))
               for r in _xml(archive, "xl/_rels/workbook.xml.rels")}
    return {s.get("name") or "": targets[s.get(f"{{{NS['r']}}}id")]
            for s in workbook.iterfind("m:sheets/m:sheet", NS)}


def _used_range(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(last row, last column), 0-based, from the sheet's <dimension>."""
    ref = _xml(archive, part).find("m:dimension", NS)
    assert ref is not None, part
    last = (ref.get("ref") or "A1").split(":")[-1]
    return xl_cell_to_rowcol(last)


def _split_ref(formula: str) -> tuple[str, str]:
    sheet, _, cells = formula.rpartition("!")
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cells.replace("$", "")


def check_workbook(path: Path) -> None:
    openpyxl.load_workbook(path).close()  # reloads at all
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        types = _xml(archive, "[Content_Types].xml")
        overrides = {o.get("PartName", "").lstrip("/") for o in types.iterfind("ct:Override", NS)}
        defaults = {d.get("Extension") for d in types.iterfind("ct:Default", NS)}
        assert overrides <= names, overrides - names
        for name in names:
            if not name.endswith("/"):
                assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
        for rels in (n for n in names if n.endswith(".rels")):
            source = rels.replace("_rels/", "").removesuffix(".rels")
            for rel in _xml(archive, rels).iterfind("rel:Relationship", NS):
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(source), rel.get("Target") or ""))
                assert target.lstrip("/") in names, (rels, target)

        styles = _xml(archive, "xl/styles.xml")
        for tag in STYLE_LISTS:
            element = styles.find(f"m:{tag}", NS)
            if element is not None:
                assert int(element.get("count", "-1")) == len(element), tag
        xfs = styles.find("m:cellXfs", NS)
        cell_xfs = 0 if xfs is None else len(xfs)
        if "xl/sharedStrings.xml" in names:
            strings = _xml(archive, "xl/sharedStrings.xml")
            unique = int(strings.get("uniqueCount", "0"))
            assert unique == len(strings) and int(strings.get("count", "0")) >= unique

        sheets = _sheet_parts(archive)
        assert len({s.casefold() for s in sheets}) == len(sheets)
        for name, part in sheets.items():
            assert 0 < len(name) <= 31 and not BAD_SHEET_CHARS.search(name), name
            assert not name.startswith("'") and not name.endswith("'"), name
            for cell in _xml(archive, part).iterfind("m:sheetData/m:row/m:c", NS):
                assert int(cell.get("s", "0")) < cell_xfs, (part, cell.get("r"))
        order = list(sheets)
        for defined in _xml(archive, "xl/workbook.xml").iterfind("m:definedNames/m:definedName", NS):
            local = defined.get("localSheetId")
            assert local is None or int(local) < len(order), defined.get("name")
            sheet, _cells = _split_ref((defined.text or "").split(",")[0])
            assert sheet in sheets, defined.text

        for chart in (n for n in names if n.startswith("xl/charts/chart")):
            root = _xml(archive, chart)
            for series in root.iterfind(".//c:ser", NS):
                for ref in series.iterfind(".//c:f", NS):
                    sheet, cells = _split_ref(ref.text or "")
                    assert sheet in sheets, (chart, ref.text)
                    last_row, last_col = _used_range(archive, sheets[sheet])
                    for corner in cells.split(":"):
                        row, col = xl_cell_to_rowcol(corner)
                        assert row <= last_row and col <= last_col, (chart, ref.text)
                category = series.find("c:cat", NS)
                if category is not None:
                    # Text categories as a number reference: Excel labels them 1, 2, 3...
                    cache = category.find(".//c:strCache/c:ptCount", NS)
                    assert cache is not None and int(cache.get("val", "0")) > 0, chart
                values = series.find("c:val//c:numCache/c:ptCount", NS)
                assert values is not None and int(values.get("val", "0")) > 0, chart


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_boss_workbook_is_what_excel_expects(demo_workspace: Workspace, tmp_path: Path, language: str) -> None:
    set_language(language)
    path = write_report(build_report(demo_workspace, ReportScope()), tmp_path / "boss.xlsx")
    check_workbook(path)


def test_creator_list_is_what_excel_expects(demo_workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "creators.xlsx"
    write_creators(demo_workspace, path)
    check_workbook(path)
