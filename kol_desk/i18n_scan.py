"""Finds the strings the code translates, for the catalog completeness test and for
``python -m kol_desk.i18n_scan`` (prints what a catalog lacks)."""

from __future__ import annotations

import ast
import json
import string
import sys
from pathlib import Path

from kol_desk.domain import (
    CHANNEL_LABELS,
    DELIVERABLE_LABELS,
    INVOICE_TYPE_LABELS,
    OBJECTIVE_LABELS,
    PAYMENT_KIND_LABELS,
    PLATFORM_LABELS,
    QUOTE_SOURCE_LABELS,
    RISK_LABELS,
    STAGE_LABELS,
    TIER_LABELS,
)
from kol_desk.i18n import load_catalog

PACKAGE = Path(__file__).resolve().parent


def source_strings(root: Path = PACKAGE) -> set[str]:
    """Every literal passed as the first argument of ``tr(...)`` or given as the title
    of a table ``Column(...)``, plus the domain's label tables."""
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[0]
            if name in {"tr", "Column", "N_"} and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    for table in (PLATFORM_LABELS, RISK_LABELS, TIER_LABELS, STAGE_LABELS, DELIVERABLE_LABELS, OBJECTIVE_LABELS,
                  QUOTE_SOURCE_LABELS, PAYMENT_KIND_LABELS,
                  CHANNEL_LABELS, INVOICE_TYPE_LABELS):
        found.update(table.values())
    return found


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def main() -> int:
    language = sys.argv[1] if len(sys.argv) > 1 else "zh_CN"
    catalog = load_catalog(language)
    missing = sorted(s for s in source_strings() if s not in catalog)
    print(json.dumps({s: "" for s in missing}, ensure_ascii=False, indent=1))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
