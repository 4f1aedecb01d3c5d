"""Read a spreadsheet file into plain Python rows, refusing bad or hostile files clearly.

Cell values come from python-calamine (about ten times faster than openpyxl; cached
values of formulas, never evaluated). calamine does not expose hyperlink targets or
hidden rows/columns, so for .xlsx/.xlsm one cheap pass over the sheet XML bytes finds
them: a byte search for ``hidden=`` instead of parsing 50,000 rows of XML, and the small
``<hyperlinks>`` block after ``</sheetData>``. For .xls and .ods those extras are not
available (calamine gives merged ranges for .xls only).

Everything is 0-based here (row index into ``RawSheet.rows``); the parse layer turns it
into the 1-based Excel row numbers users see.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from kol_desk.errors import N_, Text
from kol_desk.importing.errors import BadFileError

__all__ = ["CellRange", "RawSheet", "Workbook", "read_workbook"]

# Generous but finite: a real agency list is a few MB; a 100k-row sheet unpacks to ~40 MB.
MAX_TOTAL_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_FROM = 1024 * 1024  # tiny members compress wildly and are harmless
MAX_MEMBERS = 10_000
MAX_CSV_BYTES = 256 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
_KIND_SUFFIXES = {"xlsx": {".xlsx", ".xlsm"}, "xlsb": {".xlsb"}, "ods": {".ods"}, "xls": {".xls"}}
_PASSWORD_HINT = N_("it is protected by a password; open it in Excel or WPS, remove the "
                    "password (File > Info > Protect Workbook), save it and import it again")


@dataclass(frozen=True, slots=True)
class CellRange:
    """A merged range, 0-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    def __str__(self) -> str:
        return f"{column_letter(self.first_col)}{self.first_row + 1}:" \
               f"{column_letter(self.last_col)}{self.last_row + 1}"


@dataclass(slots=True)
class RawSheet:
    name: str
    hidden: bool
    rows: list[list[object]]
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    merged: list[CellRange] = field(default_factory=list)
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    # the file's 1-based line of each row, when the rows are not the file's own (a sheet
    # of cards unfolded into a table, importing/cards.py); None: row i is line i + 1
    row_numbers: list[int] | None = None

    def line(self, index: int) -> int:
        """The 1-based row or line in the file of ``rows[index]``."""
        return self.row_numbers[index] if self.row_numbers is not None else index + 1

    def index_of(self, line: int) -> int | None:
        """The index in ``rows`` of the file's ``line``, None when no row is that line."""
        if self.row_numbers is None:
            return line - 1 if 0 < line <= len(self.rows) else None
        return self.row_numbers.index(line) if line in self.row_numbers else None


@dataclass(slots=True)
class Workbook:
    path: Path
    kind: str  # xlsx, xlsb, xls, ods or csv
    sheets: list[RawSheet]


def column_letter(index: int) -> str:
    """0 → 'A', 27 → 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


_REF_RE = re.compile(r"([A-Za-z]{1,3})(\d+)")


def _parse_ref(ref: str) -> tuple[int, int] | None:
    m = _REF_RE.fullmatch(ref.replace("$", ""))
    return (int(m.group(2)) - 1, _column_index(m.group(1))) if m else None


# ---------------------------------------------------------------------------- entry point

def read_workbook(path: str | Path) -> Workbook:
    """Read every sheet of an .xlsx/.xlsm/.xlsb/.xls/.ods/.csv file. Raises
    ``BadFileError`` with a one-line reason for files that cannot or must not be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise BadFileError(path, N_("the file does not exist (was it moved or renamed?)")) from None
    except IsADirectoryError:
        raise BadFileError(path, N_("this is a folder, not a file")) from None
    except OSError as exc:
        raise BadFileError(path, N_("the file cannot be opened ({reason})"),
                           reason=exc.strerror or exc) from None
    if size == 0:
        raise BadFileError(path, N_("the file is empty (0 bytes); the download or transfer probably "
                                    "failed, so ask the sender for it again"))
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGICS):
        kind = _check_zip(path)
        sheets = _read_with_calamine(path, kind, suffix)
    elif head.startswith(_OLE_MAGIC):
        _check_ole(path)
        kind = "xls"
        sheets = _read_with_calamine(path, kind, suffix)
    elif suffix in _CSV_SUFFIXES:
        kind = "csv"
        sheets = [_read_csv(path, size)]
    else:
        raise BadFileError(path, _describe_text_impostor(path, suffix))
    if not sheets:
        raise BadFileError(path, N_("the workbook has no worksheets"))
    return Workbook(path=path, kind=kind, sheets=sheets)


# ---------------------------------------------------------------------------- containers

def _check_zip(path: Path) -> str:
    """Say which spreadsheet kind a zip holds, refusing damaged archives, zip bombs and
    XML with a DOCTYPE (entity expansion) before any XML parser sees the content."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise BadFileError(path, N_("the archive has too many parts to be a real workbook"))
            total = 0
            for info in infos:
                total += info.file_size
                if (info.file_size > RATIO_CHECK_FROM
                        and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                    raise BadFileError(path, N_("a part of the file unpacks to far more data than it "
                                                "holds (a 'zip bomb'); refusing to open it"))
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise BadFileError(path, N_("the file would unpack to more than 1 GiB; refusing to "
                                            "open it"))
            names = {info.filename for info in infos}
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as member:
                        prolog = member.read(4096).replace(b"\x00", b"")
                    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                        raise BadFileError(path, N_("its XML declares a DOCTYPE/entities, which real "
                                                    "workbooks never do; refusing it as unsafe"))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        # Found by fuzzing: zlib.error / EOFError for a member whose compressed bytes are
        # damaged, OSError (EINVAL) for a directory pointing before the start of the file
        raise BadFileError(path, N_("the file is damaged (an incomplete or corrupt archive, e.g. a "
                                    "download cut short); ask the sender for it again")) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        # RuntimeError is how zipfile reports an encrypted member
        raise BadFileError(path, N_("the archive cannot be read ({reason})"), reason=exc) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names and "content.xml" in names:
        return "ods"
    if "word/document.xml" in names:
        raise BadFileError(path, N_("this is a Word document, not a spreadsheet"))
    raise BadFileError(path, N_("this is a zip archive but not a spreadsheet"))


def _check_ole(path: Path) -> None:
    data = path.read_bytes()
    if _ENCRYPTED in data:
        raise BadFileError(path, _PASSWORD_HINT)
    if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" not in data \
            and b"B\x00o\x00o\x00k" not in data:
        raise BadFileError(path, N_("this is an Office file but not an Excel workbook"))


def _describe_text_impostor(path: Path, suffix: str) -> Text:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    text = _decode(sample, partial=True)
    probe = (text or "").lstrip("\ufeff \t\r\n").lower()
    if probe.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in probe:
            return Text(N_("this is an old 'XML Spreadsheet 2003' file; open it in Excel and "
                           "save it as .xlsx, then import again"))
        if "<html" in probe or "<table" in probe or "<!doctype html" in probe:
            return Text(N_("this is a web page (HTML) saved with a spreadsheet name, not a real "
                           "workbook; open it in Excel, save it as .xlsx, and import that"))
    if text is not None and any(sep in text for sep in ",\t;"):
        return Text(N_("this is CSV text saved with a '{suffix}' extension, not a real workbook; "
                       "rename it to .csv (or import it as CSV)"), suffix=suffix or "no")
    return Text(N_("this is not a spreadsheet file I know (.xlsx, .xlsm, .xls, .ods or .csv)"))


# ---------------------------------------------------------------------------- calamine

def _read_with_calamine(path: Path, kind: str, suffix: str) -> list[RawSheet]:
    # Imported here: `kol-desk` builds its command line (and so imports this module)
    # at every start of the GUI, where no spreadsheet library may load.
    import python_calamine as calamine

    extras: dict[str, _SheetExtras] = {}
    try:
        if suffix in _KIND_SUFFIXES.get(kind, set()):
            book = calamine.CalamineWorkbook.from_path(str(path))
        else:  # a misnamed file: let calamine sniff the content instead of the name
            with path.open("rb") as fh:
                book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
        if kind == "xlsx":
            extras = _scan_xlsx(path)
        sheets: list[RawSheet] = []
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue  # chart and macro sheets hold no rows
            sheet = book.get_sheet_by_name(meta.name)
            rows: list[list[object]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
            merged = [CellRange(a[0], a[1], b[0], b[1]) for a, b in sheet.merged_cell_ranges or []]
            extra = extras.get(meta.name, _SheetExtras())
            sheets.append(RawSheet(
                name=meta.name,
                hidden=meta.visible != calamine.SheetVisibleEnum.Visible,
                rows=rows, hidden_rows=extra.hidden_rows, hidden_cols=extra.hidden_cols,
                merged=merged, links=extra.links,
            ))
        return sheets
    except calamine.PasswordError:
        raise BadFileError(path, _PASSWORD_HINT) from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError) as exc:
        raise BadFileError(path, N_("the file is damaged or not a valid workbook ({reason})"),
                           reason=exc) from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise BadFileError(path, N_("the file is damaged (corrupt archive)")) from None
    except (ParseError, DefusedXmlException):
        # the workbook's own XML (workbook.xml, relationships) is broken: found by fuzzing
        raise BadFileError(path, N_("the file is damaged (its XML is malformed); open it in Excel "
                                    "or WPS, save it again and import that")) from None


@dataclass(slots=True)
class _SheetExtras:
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    links: dict[tuple[int, int], str] = field(default_factory=dict)


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ATTR_RE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_COL_TAG_RE = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_LINK_TAG_RE = re.compile(rb"<(?:\w+:)?hyperlink\b[^>]*>")
_SHEETDATA_START_RE = re.compile(rb"<(?:\w+:)?sheetData\b")
_ROW_TAG_RE = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_MAX_LINK_CELLS = 100_000


def _attrs(tag: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in _ATTR_RE.findall(tag):
        name = key.decode("ascii", "replace").rsplit(":", 1)[-1]
        out[name] = html.unescape(value.decode("utf-8", "replace"))
    return out


def _is_true(value: str | None) -> bool:
    return value in ("1", "true")


def _scan_xlsx(path: Path) -> dict[str, _SheetExtras]:
    """Hidden rows/columns and hyperlink targets per sheet name."""
    out: dict[str, _SheetExtras] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        wb_rels = _read_rels(zf, "xl/_rels/workbook.xml.rels", names)
        root = SafeET.fromstring(zf.read("xl/workbook.xml"))
        for el in root.iter():
            if not el.tag.endswith("}sheet") and el.tag != "sheet":
                continue
            rid = el.get(f"{{{_REL_NS}}}id") or ""
            target = wb_rels.get(rid)
            name = el.get("name")
            if target is None or name is None:
                continue
            member = _resolve("xl/workbook.xml", target)
            if member in names:
                out[name] = _scan_sheet(zf, member, names)
    return out


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _read_rels(zf: zipfile.ZipFile, member: str, names: set[str]) -> dict[str, str]:
    if member not in names:
        return {}
    root = SafeET.fromstring(zf.read(member))
    return {el.get("Id", ""): el.get("Target", "") for el in root.iter()
            if el.tag.endswith("Relationship")}


def _scan_sheet(zf: zipfile.ZipFile, member: str, names: set[str]) -> _SheetExtras:
    data = zf.read(member)
    extras = _SheetExtras()
    start = _SHEETDATA_START_RE.search(data)
    head_end = start.start() if start else len(data)
    # rfind from the end instead of a regex over the whole (large) sheetData
    end = data.rfind(b"sheetData>")
    if end == -1 or end < head_end:
        end = data.find(b"/>", head_end) if start else -1
        tail_start = end + 2 if end != -1 else len(data)
    else:
        tail_start = end + len(b"sheetData>")
    for tag in _COL_TAG_RE.findall(data, 0, head_end):
        a = _attrs(tag)
        if _is_true(a.get("hidden")):
            lo, hi = int(a.get("min", "1")), int(a.get("max", a.get("min", "1")))
            extras.hidden_cols.update(range(lo - 1, min(hi, 16384)))
    # Searching for the attribute is far cheaper than matching 50k row tags.
    pos = data.find(b"hidden=", head_end, tail_start)
    while pos != -1:
        lt = data.rfind(b"<", head_end, pos)
        tag_match = _ROW_TAG_RE.match(data, lt)
        if tag_match is not None:
            a = _attrs(tag_match.group(0))
            if _is_true(a.get("hidden")) and a.get("r", "").isdigit():
                extras.hidden_rows.add(int(a["r"]) - 1)
        pos = data.find(b"hidden=", pos + 7, tail_start)
    link_tags = _LINK_TAG_RE.findall(data, tail_start)
    if link_tags:
        rels_member = posixpath.join(posixpath.dirname(member), "_rels",
                                     posixpath.basename(member) + ".rels")
        rels = _read_rels(zf, rels_member, names)
        for tag in link_tags:
            a = _attrs(tag)
            target = rels.get(a.get("id", ""))
            if not target:
                continue
            _add_link(extras.links, a.get("ref", ""), target)
    return extras


def _add_link(links: dict[tuple[int, int], str], ref: str, target: str) -> None:
    first, _, last = ref.partition(":")
    a = _parse_ref(first)
    b = _parse_ref(last) if last else a
    if a is None or b is None:
        return
    if (b[0] - a[0] + 1) * (b[1] - a[1] + 1) > _MAX_LINK_CELLS:
        return
    for r in range(a[0], b[0] + 1):
        for c in range(a[1], b[1] + 1):
            links[(r, c)] = target


# ---------------------------------------------------------------------------- csv

_ENCODINGS = ("utf-8-sig", "gb18030")


def _decode(data: bytes, partial: bool = False) -> str | None:
    """UTF-16 when it has a BOM (Excel's 'Unicode text'), else UTF-8 (with or without BOM),
    else GB18030 (a superset of GBK and GB2312, what Chinese Excel saves as 'CSV')."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace" if partial else "strict")
    for encoding in _ENCODINGS:
        try:
            if partial:  # a sample may end in the middle of a character
                return codecs.getincrementaldecoder(encoding)().decode(data, final=False)
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(path: Path, size: int) -> RawSheet:
    if size > MAX_CSV_BYTES:
        raise BadFileError(path, N_("the CSV file is larger than 256 MB; split it into smaller "
                                    "files"))
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BadFileError(path, N_("this is a binary file, not CSV text"))
    text = _decode(data)
    if text is None:
        raise BadFileError(path, N_("the text encoding is not UTF-8 or GBK; save it again as "
                                    "'CSV UTF-8' and import that"))
    if path.suffix.lower() in (".txt", ".tsv"):
        # rows pasted from a chat or a web page, kept as text: the paste rules apply
        from kol_desk.importing.paste import split_pasted

        return RawSheet(name=path.stem, hidden=False, rows=split_pasted(text))
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    try:
        rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise BadFileError(path, N_("the CSV text is malformed ({reason})"), reason=exc) from None
    width = max((len(r) for r in rows), default=0)
    for row in rows:  # calamine pads rows to one width; do the same for CSV
        row.extend([""] * (width - len(row)))
    return RawSheet(name=path.stem, hidden=False, rows=rows)
