"""Files that cannot or must not be imported are refused with one clear line naming them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kol_desk.importing import BadFileError, parse_file


def _workbook_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["达人昵称", "账号", "粉丝数"])
    ws.append(["小桃子", "taozi", "1w"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w",
                                                                   zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in replace.items():
            if name not in src.namelist():
                dst.writestr(name, blob)
    return out.getvalue()


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(BadFileError) as info:
        parse_file(path)
    message = str(info.value)
    assert path.name in message and "\n" not in message
    for word in words:
        assert word in message, message
    return message


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    _refused(path, "empty")


def test_missing_file(tmp_path: Path) -> None:
    _refused(tmp_path / "gone.xlsx", "does not exist")


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    data = _workbook_bytes()
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "damaged")


def test_html_saved_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("<!DOCTYPE html><html><body><table><tr><td>达人</td></tr></table></body></html>",
                    encoding="utf-8")
    _refused(path, "HTML")


def test_csv_saved_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes("达人昵称,平台,账号\r\n小桃子,小红书,taozi\r\n".encode("gbk"))
    _refused(path, "CSV")


def test_password_protected_ole(tmp_path: Path) -> None:
    # the shape of an encrypted OOXML file: an OLE container with an EncryptedPackage stream
    blob = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    blob += "EncryptedInfo".encode("utf-16-le") + b"\x00" * 64
    blob += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024
    path = tmp_path / "secret.xlsx"
    path.write_bytes(bytes(blob))
    _refused(path, "password")


def test_zip_bomb(tmp_path: Path) -> None:
    bomb = b"\x00" * (64 * 1024 * 1024)
    data = _rewrite(_workbook_bytes(), {"xl/worksheets/sheet1.xml": bomb})
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    assert path.stat().st_size < 1024 * 1024
    _refused(path, "zip bomb")


def test_billion_laughs(tmp_path: Path) -> None:
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY lol "lol">\n'
           + b"".join(f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}'
                      f'{("&lol" + str(i - 1) + ";") * 9 if i > 1 else "&lol;" * 9}">\n'.encode()
                      for i in range(1, 10))
           + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             b'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    data = _rewrite(_workbook_bytes(), {"xl/sharedStrings.xml": lol})
    path = tmp_path / "laughs.xlsx"
    path.write_bytes(data)
    _refused(path, "DOCTYPE")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "hello")
    _refused(path, "not a spreadsheet")


def test_workbook_without_sheets(tmp_path: Path) -> None:
    empty = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxml'
             b'formats.org/spreadsheetml/2006/main"><sheets/></workbook>')
    data = _rewrite(_workbook_bytes(), {"xl/workbook.xml": empty})
    path = tmp_path / "nosheets.xlsx"
    path.write_bytes(data)
    _refused(path)


def test_unknown_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    _refused(path, "not a spreadsheet")
