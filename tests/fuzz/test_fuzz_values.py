"""Property tests: the importer's value parsers and sheet reader take any cell or any
sheet and answer with a value or a clear refusal — never another exception. The last
tests are regressions for crashes this fuzzing found."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kol_desk.importing import BadFileError, ParsedFile, ValueProblem, parse_file
from kol_desk.importing import values as v

CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.from_regex(r"[约~]?\d{1,40}([.,]\d{0,6})?\s?(w|万|亿|k|m|%|元|¥)?(-\d{1,9})?", fullmatch=True),
    st.dates(), st.datetimes(), st.times(), st.decimals(allow_nan=False, allow_infinity=False),
)


def _accepts_or_refuses(function: object, *args: object, **kwargs: object) -> object:
    try:
        return function(*args, **kwargs)  # type: ignore[operator]
    except ValueProblem as exc:
        assert exc.reason and "\n" not in exc.reason
        return None


@settings(max_examples=300, deadline=None)
@given(CELLS, st.sampled_from([None, 1, 1000, 10_000, 100_000_000]))
def test_counts(raw: object, unit: int | None) -> None:
    result = _accepts_or_refuses(v.parse_count, raw, unit)
    assert result is None or (isinstance(result, int) and 0 <= result < 10**15)


@settings(max_examples=300, deadline=None)
@given(CELLS)
def test_prices(raw: object) -> None:
    price = _accepts_or_refuses(v.parse_price, raw)
    if isinstance(price, v.Price):
        for amount in (price.min, price.max):
            # whatever is accepted fits the money column (16 digits, 2 decimals)
            assert amount is None or (isinstance(amount, Decimal) and abs(amount) < 10**14)


@settings(max_examples=300, deadline=None)
@given(CELLS, st.booleans())
def test_rates(raw: object, header_is_percent: bool) -> None:
    _accepts_or_refuses(v.parse_rate, raw, header_is_percent)


@settings(max_examples=300, deadline=None)
@given(CELLS, st.one_of(st.none(), st.integers(min_value=1, max_value=9999)))
def test_dates(raw: object, year: int | None) -> None:
    result = _accepts_or_refuses(v.parse_date, raw, year)
    assert result is None or isinstance(result, dt.date)


@settings(max_examples=300, deadline=None)
@given(CELLS)
def test_handles_platforms_and_text(raw: object) -> None:
    _accepts_or_refuses(v.normalise_handle, raw)
    _accepts_or_refuses(v.normalise_platform, raw)
    text = v.clean_text(raw)
    assert text is None or isinstance(text, str)


SHEET_CELLS = st.one_of(
    st.none(), st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["达人昵称", "平台", "小红书", "粉丝数", "报价", "1.2万", "面议", "5000-8000",
                     "=1+1", "#N/A", "账号ID", "\u202e反转", "🎉", "合计"]),
)


def _write(rows: list[list[object]], path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "nan_inf_to_errors": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(SHEET_CELLS, min_size=1, max_size=8), min_size=0, max_size=25))
def test_random_sheets_parse_or_are_refused(tmp_path: Path, rows: list[list[object]]) -> None:
    path = tmp_path / "random.xlsx"
    _write(rows, path)
    try:
        result = parse_file(path)
    except BadFileError as exc:
        assert "random.xlsx" in str(exc)
        return
    assert isinstance(result, ParsedFile)
    for row in result.rows:
        assert row.nickname is None or isinstance(row.nickname, str)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_random_csv_bytes_parse_or_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    try:
        parse_file(path)
    except BadFileError as exc:
        assert "random.csv" in str(exc)


# ---------------------------------------------------------------------------- regressions

def test_a_huge_number_cell_is_a_cell_problem_not_a_crash() -> None:
    # parse_price(1e30) raised decimal.InvalidOperation; 1e20 passed and would overflow
    # the money column at commit.
    for raw in (1e30, 1e20, 10**25, "9" * 40):
        with pytest.raises(ValueProblem, match="too large"):
            v.parse_price(raw)
        with pytest.raises(ValueProblem, match="too large"):
            v.parse_count(raw)
    assert v.parse_price(9_999_999.5).min == Decimal("9999999.50")


def _sample_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "账号", "粉丝数"])
    ws.append(["小桃子", "taozi", "1w"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_damaged_compressed_data_is_refused_as_damaged(tmp_path: Path) -> None:
    # A bit flipped inside a deflated member: zlib.error escaped the reader.
    data = bytearray(_sample_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 2, start + info.compress_size - 2, 3):
        data[offset] ^= 0x5A
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(BadFileError, match=r"flipped\.xlsx.*damaged"):
        parse_file(path)


def test_malformed_workbook_xml_is_refused_as_damaged(tmp_path: Path) -> None:
    # Valid zip, broken XML in workbook.xml.rels: ParseError escaped the reader.
    source = zipfile.ZipFile(io.BytesIO(_sample_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                blob = blob[:60] + b"<<&&" + blob[60:]
            zf.writestr(info.filename, blob)
    path = tmp_path / "badxml.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(BadFileError, match=r"badxml\.xlsx"):
        parse_file(path)


def test_a_zip_directory_pointing_before_the_file_start_is_refused(tmp_path: Path) -> None:
    # The end record's "central directory offset" made larger: zipfile computes negative
    # member offsets and seek() raised OSError(EINVAL) out of the reader.
    data = bytearray(_sample_bytes())
    end = data.rfind(b"PK\x05\x06")
    offset = int.from_bytes(data[end + 16:end + 20], "little")
    data[end + 16:end + 20] = (offset + 5000).to_bytes(4, "little")
    path = tmp_path / "pointer.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(BadFileError, match=r"pointer\.xlsx.*damaged"):
        parse_file(path)
