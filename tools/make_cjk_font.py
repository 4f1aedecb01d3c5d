"""Build the CJK fallback font that ships with KOL Desk (resources/fonts/).

    python tools/make_cjk_font.py [SOURCE.ttc]

Charts and the window use it only where the system has no Chinese font, so Chinese never
shows as boxes. The source is WenQuanYi Micro Hei (Apache-2.0), from Debian's
`fonts-wqy-microhei` package (downloaded with `apt-get download` when no SOURCE is
given). The subset keeps every character of GB2312 (the 6,763 common simplified hanzi and
its symbols), Latin-1, general and CJK punctuation, full-width forms and every character
of our Chinese catalogs, and is renamed so that it never stands in for a system's full
WenQuanYi font. Run it again only to change the subset; the output is committed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
OUTPUT = FONTS / "kol-desk-cjk.ttf"
FAMILY = "KOL Desk CJK"
DEBIAN_PACKAGE = "fonts-wqy-microhei"
APACHE_LICENSE = Path("/usr/share/common-licenses/Apache-2.0")


def gb2312_characters() -> set[str]:
    found: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def catalog_characters() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "resources" / "translations").glob("*/*.json"):
        for text in json.loads(path.read_text(encoding="utf-8")).values():
            found.update(text)
    return found


def wanted_codepoints() -> set[int]:
    ranges = [
        (0x20, 0x7E), (0xA0, 0xFF),  # ASCII, Latin-1
        (0x2000, 0x206F),  # general punctuation
        (0x20A0, 0x20BF),  # currency signs
        (0x2190, 0x21FF), (0x2212, 0x2212),  # arrows, minus sign
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFF00, 0xFFEF),  # full-width forms
    ]
    points = {p for low, high in ranges for p in range(low, high + 1)}
    points |= {ord(c) for c in gb2312_characters() | catalog_characters()}
    return points


def download_source(folder: Path) -> Path:
    subprocess.run(["apt-get", "download", DEBIAN_PACKAGE], cwd=folder, check=True)
    deb = next(folder.glob(f"{DEBIAN_PACKAGE}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(folder / "x")], check=True)
    return next((folder / "x").rglob("wqy-microhei.ttc"))


def rename(font: TTFont) -> None:
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(FAMILY.replace(" ", ""), 6, record.platformID, record.platEncID,
                          record.langID)
        elif record.nameID == 3:
            names.setName(f"{FAMILY} (subset of WenQuanYi Micro Hei)", 3, record.platformID,
                          record.platEncID, record.langID)


def build(source: Path) -> None:
    # The .ttc holds Micro Hei (0) and Micro Hei Mono (1).
    font = TTCollection(str(source)).fonts[0] if source.suffix == ".ttc" else TTFont(str(source))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.hinting = False  # smaller; FreeType's autohinter does well at chart sizes
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted_codepoints())
    subsetter.subset(font)
    rename(font)
    FONTS.mkdir(parents=True, exist_ok=True)
    font.save(str(OUTPUT))
    if APACHE_LICENSE.exists():
        shutil.copyfile(APACHE_LICENSE, FONTS / "LICENSE-Apache-2.0.txt")
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size:,} bytes, "
          f"{len(font.getBestCmap()):,} characters")


def main() -> None:
    if len(sys.argv) > 1:
        build(Path(sys.argv[1]))
        return
    with tempfile.TemporaryDirectory() as folder:
        build(download_source(Path(folder)))


if __name__ == "__main__":
    main()
