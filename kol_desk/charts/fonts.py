"""Which installed fonts draw Chinese in charts, so Chinese never renders as boxes.

matplotlib lists the system's fonts once, on its first run, and keeps that list in its
cache folder (``fontlist-v*.json``); a font installed afterwards stays unknown to it. So
when none of our CJK families is in its list, the fonts the system offers now are compared
with the list, the new ones added (and the cache rewritten so the next start knows them),
and only when the system has no CJK family at all does the font shipped with the app
(``resources/fonts``, a subset of WenQuanYi Micro Hei) take their place.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kol_desk.charts.style import CJK_FONT_FAMILIES
from kol_desk.paths import CJK_FALLBACK_FAMILY, CJK_FALLBACK_FONT

if TYPE_CHECKING:
    from matplotlib.font_manager import FontManager

log = logging.getLogger(__name__)


def known_cjk_families(manager: FontManager) -> list[str]:
    """Our CJK families that ``manager`` knows, in our order of preference."""
    known = {font.name for font in manager.ttflist}
    return [name for name in CJK_FONT_FAMILIES if name in known]


def add_new_system_fonts(manager: FontManager) -> int:
    """Adds the system's font files that ``manager`` does not list yet; returns how many.
    Saves the grown list over matplotlib's cache, so that the next start reads it."""
    from matplotlib import font_manager

    listed = {os.path.abspath(font.fname) for font in manager.ttflist}
    added = 0
    for path in sorted(set(font_manager.findSystemFonts()) - listed):
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError) as exc:  # a damaged or unreadable file
            log.debug("font %s skipped: %s", path, exc)
            continue
        added += 1
    if added:
        log.info("%d fonts installed since matplotlib listed them; its list is refreshed", added)
        _save_cache(manager)
    return added


def _save_cache(manager: FontManager) -> None:
    import matplotlib
    from matplotlib import font_manager

    # matplotlib's own name for its cache; when a version names it otherwise, nothing is
    # written and the refresh is simply repeated at each start.
    cache = Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")
    if cache.exists():
        font_manager.json_dump(manager, cache)


def add_fallback_font(manager: FontManager) -> list[str]:
    """The font shipped with the app, added to ``manager``: its family, or none when the
    file is missing (a broken install)."""
    if not CJK_FALLBACK_FONT.is_file():
        log.warning("no Chinese font on this system and %s is missing", CJK_FALLBACK_FONT)
        return []
    manager.addfont(str(CJK_FALLBACK_FONT))
    return [CJK_FALLBACK_FAMILY]


def chart_cjk_families(manager: FontManager) -> list[str]:
    """The CJK families charts use, best first; never empty while the app is whole."""
    families = known_cjk_families(manager)
    if not families and add_new_system_fonts(manager):
        families = known_cjk_families(manager)
    return families or add_fallback_font(manager)
