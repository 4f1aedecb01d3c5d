"""Where KOL Desk keeps its files: the user's data and config folders (platformdirs).

``KOL_DESK_DATA_DIR`` and ``KOL_DESK_CONFIG_DIR`` override them, which is how tests and
portable installs keep everything in one folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "kol-desk"


def _resources() -> Path:
    # Installed (wheel, desktop bundle): shipped inside the package. From a checkout or an
    # editable install: the repository's top-level resources/, which is the source.
    inside = Path(__file__).resolve().parent / "resources"
    return inside if inside.is_dir() else Path(__file__).resolve().parent.parent / "resources"


RESOURCES = _resources()
# A subset of WenQuanYi Micro Hei (tools/make_cjk_font.py), for systems without a CJK font.
CJK_FALLBACK_FONT = RESOURCES / "fonts" / "kol-desk-cjk.ttf"
CJK_FALLBACK_FAMILY = "KOL Desk CJK"


def data_dir() -> Path:
    override = os.environ.get("KOL_DESK_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("KOL_DESK_CONFIG_DIR")
    return Path(override) if override else platformdirs.user_config_path(APP_NAME, appauthor=False)


def default_database() -> Path:
    return data_dir() / "workspace.sqlite"


def demo_database() -> Path:
    return data_dir() / "demo.sqlite"


def backups_dir() -> Path:
    return data_dir() / "backups"
