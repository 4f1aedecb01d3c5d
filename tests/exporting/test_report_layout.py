"""The boss workbook on paper and on screen: no chart covers another chart or a cell with
data (read back from the drawing anchors), and every sheet prints readably — A4
landscape, the sheet's title in the page header, page numbers, header rows repeated, and
fitted to the width only where the text stays at 8 pt or more."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from kol_desk.exporting.report import sheet_names, write_report
from kol_desk.exporting.xlsx import PAGE_WIDTH_PX, SMALLEST_SCALE, column_px
from kol_desk.services.reports import ReportScope, build_report
from kol_desk.store.database import Workspace

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
Box = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = posixpath.split(part)
    rels = ElementTree.fromstring(book.read(posixpath.join(folder, "_rels", name + ".rels")))
    return {r.get("Id"): posixpath.normpath(posixpath.join(folder, r.get("Target", "")))
            for r in rels.findall("rel:Relationship", NS)}


def chart_boxes(path: Path) -> dict[str, list[Box]]:
    """Sheet name → the cells each chart's anchor spans, as written in the file."""
    out: dict[str, list[Box]] = {}
    with zipfile.ZipFile(path) as book:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        targets = _rels(book, "xl/workbook.xml")
        for sheet in workbook.findall("m:sheets/m:sheet", NS):
            part = targets[sheet.get(f"{{{NS['r']}}}id", "")]
            drawing = ElementTree.fromstring(book.read(part)).find("m:drawing", NS)
            boxes: list[Box] = []
            if drawing is not None:
                drawing_part = _rels(book, part)[drawing.get(f"{{{NS['r']}}}id", "")]
                for anchor in ElementTree.fromstring(book.read(drawing_part)).findall("xdr:twoCellAnchor", NS):
                    start, end = anchor.find("xdr:from", NS), anchor.find("xdr:to", NS)
                    assert start is not None and end is not None

                    def cell(node: ElementTree.Element) -> tuple[int, int]:
                        return int(node.findtext("xdr:row", "0", NS)), int(node.findtext("xdr:col", "0", NS))

                    (r1, c1), (r2, c2) = cell(start), cell(end)
                    boxes.append((r1, c1, r2, c2))
            out[str(sheet.get("name"))] = boxes
    return out


def _overlap(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


@pytest.fixture
def workbook(demo_workspace: Workspace, tmp_path: Path) -> Path:
    return write_report(build_report(demo_workspace, ReportScope()), tmp_path / "boss.xlsx")


def test_charts_cover_neither_each_other_nor_any_data(workbook: Path) -> None:
    boxes = chart_boxes(workbook)
    names = sheet_names()
    assert len(boxes[names["charts"]]) == 4 and len(boxes[names["summary"]]) == 1
    book = openpyxl.load_workbook(workbook)
    for sheet_name, charts in boxes.items():
        for i, a in enumerate(charts):
            for b in charts[i + 1:]:
                assert not _overlap(a, b), (sheet_name, a, b)
        sheet = book[sheet_name]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                spot = (cell.row - 1, cell.column - 1) * 2
                for box in charts:
                    assert not _overlap(box, spot), (sheet_name, cell.coordinate, cell.value)


def test_every_sheet_prints_readably(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize in (9, "9")
        assert "&P" in (sheet.oddFooter.center.text or "")
        assert sheet.oddHeader.right.text == "&A"  # the sheet's name
        widths = [sheet.column_dimensions[letter].width or 8.43
                  for letter in (openpyxl.utils.get_column_letter(c) for c in range(1, sheet.max_column + 1))]
        fitted = sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage
        if fitted:
            assert sheet.page_setup.fitToWidth in (1, None) and sheet.page_setup.fitToHeight == 0
            # Fitting to one page wide keeps 11 pt text at 8 pt or more.
            assert sum(column_px(w) for w in widths) * SMALLEST_SCALE <= PAGE_WIDTH_PX[True] + 1, sheet.title
        else:
            assert int(sheet.page_setup.scale) >= SMALLEST_SCALE * 100, sheet.title
            assert sheet.print_title_cols in ("A:A", "$A:$A"), sheet.title
    for name in ("creators", "posts"):
        assert book[sheet_names()[name]].print_title_rows, name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_the_summary_on_one_landscape_page(workbook: Path, tmp_path: Path) -> None:
    """LibreOffice converts the workbook to PDF: every page is A4 landscape, and the
    summary's first page holds the findings, spend and KPIs, the four layers the next."""
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(workbook)], check=True, timeout=300,
                   capture_output=True)
    pdf = tmp_path / "boss.pdf"
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", pdf.read_bytes())
    assert boxes
    for x0, y0, x1, y1 in boxes:
        width, height = float(x1) - float(x0), float(y1) - float(y0)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    if shutil.which("pdftotext") is None:
        pytest.skip("the page sizes are checked; their contents need poppler's pdftotext "
                    "(tools/system-deps.sh test installs poppler-utils)")
    first, second = (subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                    check=True, capture_output=True, text=True).stdout for n in (1, 2))
    for text in ("Key findings", "Spend against budget", "KPIs against targets", "KPI progress"):
        assert text in first
    assert "The four layers" in second and "The four layers" not in first
