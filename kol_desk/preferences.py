"""One person's preferences for the app (language, window geometry, recent workspaces).

They belong to the person and the machine, not to the data, so they live in a small
JSON file in the config folder; workspace settings live in the database instead.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Any

from kol_desk.paths import config_dir

# The name colleagues see next to one's changes on a team database.
DISPLAY_NAME = "display_name"


def login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


class Preferences:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "preferences.json"
        self._values: dict[str, Any] = {}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._values = loaded
        except (OSError, ValueError):
            # A missing or damaged preferences file only costs the defaults.
            self._values = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(self._values, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, self.path)

    def add_recent_workspace(self, location: str, limit: int = 8) -> None:
        recent = [item for item in self.get("recent_workspaces", []) if item != location]
        self.set("recent_workspaces", [location, *recent][:limit])

    def user_name(self) -> str | None:
        """Who is working: the name given on a team database, else the login name."""
        return str(self.get(DISPLAY_NAME) or "").strip() or login_name() or None
