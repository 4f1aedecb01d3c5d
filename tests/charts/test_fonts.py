"""Chinese in charts finds a font in a fresh process: a CJK font installed after
matplotlib's first run, or the font shipped with the app where the system has none.

Each case runs in its own Python process with its own matplotlib cache folder, as a new
user's first starts would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from kol_desk.charts.style import CJK_FONT_FAMILIES
from kol_desk.paths import CJK_FALLBACK_FAMILY, CJK_FALLBACK_FONT
from tests.font_factory import cjk_font_named

REPO = Path(__file__).resolve().parents[2]

# Draws Chinese and reports the families used and every missing-glyph complaint.
CHART = """
import json, logging, os, warnings
from matplotlib import font_manager
if os.environ.get("TEST_NO_SYSTEM_FONTS"):
    # A system without fonts: matplotlib's scan of the system finds none.
    font_manager.findSystemFonts = lambda *args, **kwargs: []
records = []
class Keep(logging.Handler):
    def emit(self, record): records.append(record.getMessage())
logging.getLogger("matplotlib").addHandler(Keep())
logging.getLogger("matplotlib").setLevel(logging.DEBUG)
logging.getLogger("kol_desk").addHandler(Keep())
logging.getLogger("kol_desk").setLevel(logging.INFO)
from kol_desk.charts.render import font_families, new_figure, render_png
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    figure = new_figure(4, 3)
    axes = figure.add_subplot()
    axes.bar(["抖音", "小红书", "视频号"], [3, 2, 1])
    axes.set_title("预算执行 第四季度 Budget")
    png = render_png(figure, dpi=60)
complaints = [str(w.message) for w in caught if "missing from" in str(w.message)]
complaints += [m for m in records if "missing from" in m or "not found" in m]
print(json.dumps({
    "families": font_families(),
    "complaints": complaints,
    "refreshed": any("list is refreshed" in m for m in records),
    "system_fonts": len(font_manager.findSystemFonts()),
    "png": len(png),
}))
"""


def run_chart(env: dict[str, str]) -> dict[str, object]:
    full = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg", **env}
    done = subprocess.run([sys.executable, "-c", CHART], env=full, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def font_cache(mpl_dir: Path) -> Path:
    caches = sorted(mpl_dir.glob("fontlist-v*.json"))
    assert len(caches) == 1, caches
    return caches[0]


def test_shipped_font_is_a_small_licensed_cjk_font() -> None:
    assert CJK_FALLBACK_FONT.is_file()
    assert CJK_FALLBACK_FONT.stat().st_size < 2_000_000
    assert (CJK_FALLBACK_FONT.parent / "LICENSE-Apache-2.0.txt").is_file()
    font = TTFont(str(CJK_FALLBACK_FONT))
    assert font["name"].getDebugName(1) == CJK_FALLBACK_FAMILY
    covered = set(font.getBestCmap())
    # Every Chinese character and punctuation of the Chinese UI can be drawn with it
    # (a new one fails here: add it by running tools/make_cjk_font.py).
    catalogs = (REPO / "resources" / "translations" / "zh_CN").glob("*.json")
    text = "".join(v for path in catalogs for v in json.loads(path.read_text("utf-8")).values())
    chinese = {c for c in text if 0x3000 <= ord(c) <= 0x9FFF or 0xFF00 <= ord(c) <= 0xFFEF}
    assert len(chinese) > 500
    assert {c for c in chinese if ord(c) not in covered} == set()


def forget_cjk_fonts(cache: Path) -> None:
    """Makes matplotlib's cached font list what a machine without CJK fonts writes."""
    listed = json.loads(cache.read_text("utf-8"))
    listed["ttflist"] = [f for f in listed["ttflist"] if f["name"] not in CJK_FONT_FAMILIES]
    cache.write_text(json.dumps(listed), "utf-8")


def test_without_a_system_cjk_font_charts_use_the_shipped_font(tmp_path: Path) -> None:
    env = {"MPLCONFIGDIR": str(tmp_path / "mpl")}
    run_chart(env)
    forget_cjk_fonts(font_cache(tmp_path / "mpl"))
    result = run_chart({**env, "TEST_NO_SYSTEM_FONTS": "1"})
    assert result["refreshed"] is False
    assert result["families"] == [CJK_FALLBACK_FAMILY, "DejaVu Sans"]
    assert result["complaints"] == []


def test_a_cjk_font_installed_after_the_first_run_is_found(tmp_path: Path) -> None:
    mpl = tmp_path / "mpl"
    env = {"MPLCONFIGDIR": str(mpl), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run_chart(env)
    # The list matplotlib wrote on that first run, as it is on a machine that had no CJK
    # font then: whichever the system has now came later.
    cache = font_cache(mpl)
    forget_cjk_fonts(cache)
    # ... and the user installs a font into her own fonts folder.
    fonts = tmp_path / "data" / "fonts"
    cjk_font_named("WenQuanYi Zen Hei", fonts / "zenhei.ttf")

    second = run_chart(env)
    assert second["refreshed"] is True
    families = second["families"]
    assert isinstance(families, list)
    assert "WenQuanYi Zen Hei" in families and families[0] in CJK_FONT_FAMILIES
    assert CJK_FALLBACK_FAMILY not in families
    assert second["complaints"] == []
    # The refreshed list was saved: the next start finds the font without looking again.
    assert "WenQuanYi Zen Hei" in {f["name"] for f in json.loads(cache.read_text("utf-8"))["ttflist"]}
    third = run_chart(env)
    assert third["refreshed"] is False and third["families"] == families
