"""Charts render with Chinese labels: real PNG bytes, no missing-glyph complaints."""

from __future__ import annotations

import logging
import warnings

import pytest

from kol_desk.charts.render import font_families, new_figure, render_png
from kol_desk.charts.style import (
    CJK_FONT_FAMILIES,
    PLATFORM_COLOURS,
    TIER_COLOURS,
    platform_colour,
    tier_colour,
)
from kol_desk.domain import Platform, Tier
from kol_desk.paths import CJK_FALLBACK_FAMILY

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_chinese_labels_render_without_missing_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = new_figure(6, 4)
        axes = figure.add_subplot()
        axes.bar(["抖音", "小红书", "B站"], [1200, -300, 560])
        axes.set_title("预算 Budget 2026 第四季度")
        axes.set_ylabel("金额 (元) −¥")
        png = render_png(figure, dpi=80)
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000
    complaints = [str(w.message) for w in caught if "missing from" in str(w.message)]
    complaints += [r.getMessage() for r in caplog.records
                   if "missing from" in r.getMessage() or "not found" in r.getMessage()]
    assert complaints == []
    assert font_families()[0] in (*CJK_FONT_FAMILIES, CJK_FALLBACK_FAMILY)
    assert font_families()[-1] == "DejaVu Sans"


def test_pixel_size_follows_inches_and_dpi() -> None:
    figure = new_figure(4, 2)
    figure.add_subplot().plot([1, 2, 3])
    png = render_png(figure, dpi=50)
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (200, 100)


def test_every_platform_and_tier_has_its_own_colour() -> None:
    assert set(PLATFORM_COLOURS) == set(Platform)
    assert set(TIER_COLOURS) == set(Tier)
    assert len(set(PLATFORM_COLOURS.values())) == len(Platform)
    assert len(set(TIER_COLOURS.values())) == len(Tier)
    assert platform_colour("douyin") == PLATFORM_COLOURS[Platform.DOUYIN]
    assert platform_colour("myspace") == platform_colour(None) == tier_colour("giant")
