"""Fixtures for the importing tests: where the shared agency-list samples live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AGENCY_LISTS as SAMPLES_DIR


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES_DIR.is_dir():
        pytest.skip(f"the shared agency-list samples are not at {SAMPLES_DIR}")
    return SAMPLES_DIR


def load_sidecar(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def sidecar_names() -> list[str]:
    """Names of the committed samples (empty when the folder is absent: tests then skip)."""
    if not SAMPLES_DIR.is_dir():
        return ["<samples missing>"]
    return sorted(p.name[: -len(".expected.json")] for p in SAMPLES_DIR.glob("*.expected.json")
                  if (SAMPLES_DIR / (p.name[: -len(".expected.json")] + ".xlsx")).exists())
