"""Layers point one way. The package graph is built from the source (every ``import``,
including those inside functions and under ``TYPE_CHECKING``) and checked against the
order in docs/DEVELOPING.md; the models, store, services, import and metrics code never
import Qt, so the command line and tests can use them without a display."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kol_desk"

# Lowest first; a part may import its own layer's parts (one way: no cycles) and those
# below. The foundation is the small top-level modules every layer shares; ``labels`` (the
# stored keys' display labels) is one of them, so services, workbooks, charts and the
# command line show a key the way the window does instead of keeping copies of it.
LAYERS: list[frozenset[str]] = [
    frozenset({"kol_desk", "domain", "errors", "paths", "i18n", "metrics", "validation",
               "preferences", "i18n_scan", "labels"}),
    frozenset({"models"}),
    frozenset({"store"}),
    frozenset({"importing"}),
    frozenset({"services"}),
    frozenset({"charts", "exporting"}),
    frozenset({"ui", "commands"}),
    frozenset({"cli", "app", "__main__"}),
]
RANK = {part: rank for rank, layer in enumerate(LAYERS) for part in layer}

# Parts that may not use a lower part all the same: the importing package reads and
# understands files (no database), and translated text is made at the edges.
FORBIDDEN = {
    "importing": {"models", "store", "sqlalchemy"},
    "store": {"i18n", "labels"},  # labels are translated text too
    "models": {"i18n", "labels"},
}
QT = {"PySide6", "shiboken6"}
QT_ALLOWED = {"ui", "app"}

@dataclass(frozen=True)
class Edge:
    module: str  # the importing module, e.g. kol_desk.services.creators
    source: str  # its part (package or top-level module under kol_desk)
    target: str  # the imported part, or the top-level name of a third-party package
    line: int

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _part(module: str) -> str:
    """The layer part of a kol_desk module: kol_desk.services.x -> services."""
    parts = module.split(".")
    if len(parts) == 1:
        return "kol_desk"
    name = parts[1]
    is_module = (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()
    return name if is_module else "kol_desk"  # `from kol_desk import __version__`


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    if base == "kol_desk":  # `from kol_desk import metrics` names a module
        yield from (f"kol_desk.{alias.name}" for alias in node.names)
    else:
        yield base


def package_edges() -> list[Edge]:
    edges: list[Edge] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        source = _part(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(node, module, path.name == "__init__.py"):
                target = _part(name) if name.split(".")[0] == "kol_desk" else name.split(".")[0]
                if target != source:
                    edges.append(Edge(module, source, target, node.lineno))
    return edges


def _against_order(edge: Edge) -> bool:
    if edge.target in QT:
        return edge.source not in QT_ALLOWED
    if edge.target in FORBIDDEN.get(edge.source, ()):
        return True
    if edge.target not in RANK:  # another third-party library
        return False
    return RANK[edge.target] > RANK[edge.source]


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the parts around it, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {_part(_module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert parts - RANK.keys() == set()
    assert len(parts) > 15  # the walk found the source


def test_imports_point_down_the_layers() -> None:
    edges = package_edges()
    assert any(e.source == "ui" and e.target == "services" for e in edges)  # the walk works
    wrong = sorted({str(e) for e in edges
                    if _against_order(e)})
    assert not wrong, "imports against the layer order (docs/DEVELOPING.md):\n" + "\n".join(wrong)


def test_no_cycle_between_parts() -> None:
    graph: dict[str, set[str]] = {}
    for e in package_edges():
        if e.target in RANK:
            graph.setdefault(e.source, set()).add(e.target)
    cycle = _cycle(graph)
    assert cycle is None, "parts that import each other: " + " -> ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_non_ui_packages_do_not_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, kol_desk\n"
        "for m in pkgutil.walk_packages(kol_desk.__path__, 'kol_desk.'):\n"
        "    if m.name.startswith(('kol_desk.ui', 'kol_desk.app', 'kol_desk.__main__', 'kol_desk.store.migrations')):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith('PySide6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_migrations_are_self_contained() -> None:
    # A revision must keep working after the models it was written against change.
    versions = PACKAGE / "store" / "migrations" / "versions"
    found = sorted(str(e) for e in package_edges()
                   if e.module.startswith("kol_desk.store.migrations.versions.")
                   and e.target in RANK)
    assert list(versions.glob("0*.py")) and found == []
