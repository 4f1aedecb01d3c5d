"""What every chart shares: the font families that can draw Chinese, and one colour per
platform, per tier and per money series, so a platform looks the same in every chart.

Plain data, no matplotlib import (cheap to import from anywhere)."""

from __future__ import annotations

from kol_desk.domain import Platform, Tier

# Tried in this order; the first installed ones are used, with per-glyph fallback
# (matplotlib >= 3.6), so Latin text and Chinese text both find a glyph. DejaVu Sans
# ships with matplotlib, and the app ships a CJK font (see kol_desk.charts.fonts).
CJK_FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "SimHei",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
LATIN_FALLBACK = "DejaVu Sans"

# Brand hints where they stay distinguishable side by side.
PLATFORM_COLOURS: dict[Platform, str] = {
    Platform.DOUYIN: "#2b2b2b",
    Platform.XIAOHONGSHU: "#ff2442",
    Platform.WEIBO: "#f0b400",
    Platform.BILIBILI: "#00a1d6",
    Platform.KUAISHOU: "#ff7a1a",
    Platform.WECHAT_CHANNELS: "#07c160",
    Platform.WECHAT_OA: "#1b5e20",
    Platform.TIKTOK: "#7e57c2",
    Platform.INSTAGRAM: "#c13584",
    Platform.YOUTUBE: "#8d1c1c",
    Platform.X: "#607d8b",
    Platform.OTHER: "#9e9e9e",
}

# Light to dark with reach: a bigger tier reads as a heavier colour.
TIER_COLOURS: dict[Tier, str] = {
    Tier.KOC: "#b3d4ea",
    Tier.MICRO: "#7fb5db",
    Tier.MID: "#4a90c8",
    Tier.TOP: "#2166ac",
    Tier.CELEBRITY: "#08306b",
}
UNKNOWN_COLOUR = "#bdbdbd"

# Money series, used alike by the Budget tab and the reports.
ALLOCATED_COLOUR = "#b0bec5"
COMMITTED_COLOUR = "#ffb74d"
SPENT_COLOUR = "#1e88e5"
PLAN_COLOUR = "#616161"
OVER_COLOUR = "#c62828"
NEAR_COLOUR = "#ef6c00"


def platform_colour(platform: str | Platform | None) -> str:
    try:
        return PLATFORM_COLOURS[Platform(platform)] if platform else UNKNOWN_COLOUR
    except ValueError:
        return UNKNOWN_COLOUR


def tier_colour(tier: str | Tier | None) -> str:
    try:
        return TIER_COLOURS[Tier(tier)] if tier else UNKNOWN_COLOUR
    except ValueError:
        return UNKNOWN_COLOUR
