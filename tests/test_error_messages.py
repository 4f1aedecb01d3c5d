"""Every error a user can see is worded as an English template the catalog holds, so it
comes out in the user's language. ``KnownError`` translates its message where it is
shown (``str()``): an f-string, a concatenation or a ``.format()`` is looked up already
filled in, never found, and shown in English. The package's source is walked (as
tests/test_layers.py walks its imports) for every construction of a ``KnownError``
subclass, and its message must be ``N_("...")`` with keyword values (or a ``tr(...)`` of
a literal, or a message passed on from elsewhere); for the import's ``BadFileError``
(a ``KnownError`` too) that is its reason, the second argument."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kol_desk"
# Where the message is when it is not the first argument: BadFileError(path, reason).
MESSAGE_ARGUMENT = {"BadFileError": 1}


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    why: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.why}"


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def known_error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """KnownError and every class deriving from it (by name, through any module)."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    known = {"KnownError"}
    grew = True
    while grew:
        grew = False
        for cls, parents in bases.items():
            if cls not in known and parents & known:
                known.add(cls)
                grew = True
    return known


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _english_words(node: ast.expr) -> bool:
    """An f-string with words of its own (not just a formatted number or a value)."""
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(part, ast.Constant) and any(c.isalpha() for c in str(part.value))
        for part in node.values)


def _message_problem(message: ast.expr) -> str | None:
    if isinstance(message, ast.JoinedStr):
        return "an f-string"
    if isinstance(message, ast.BinOp):
        return "text built with an operator (+ or %)"
    if _is_literal(message):
        return "a literal not marked with N_ (the catalog does not collect it)"
    if isinstance(message, ast.Call):
        called = _name(message.func)
        if called == "format" and isinstance(message.func, ast.Attribute):
            return "text built with .format()"
        if called in {"N_", "tr"}:
            if not message.args or not _is_literal(message.args[0]):
                return f"{called}() of something other than a literal"
            return None
        if called == "str":
            return "str() of another error (its English text)"
    return None


def _assignments(function: ast.AST) -> dict[str, list[ast.expr]]:
    """What each plain name is set to inside a function (``message = f"..."``)."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


Site = tuple[ast.Call, str, dict[str, list[ast.expr]]]


def _constructions(node: ast.AST, known: set[str], cls: str = "",
                   names: dict[str, list[ast.expr]] | None = None) -> Iterator[Site]:
    """Every ``KnownSubclass(...)`` call, and ``super().__init__(...)`` inside one, with
    the class made and the names assigned in the enclosing function."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            yield from _constructions(child, known, child.name, {})
            continue
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _constructions(child, known, cls, _assignments(child))
            continue
        if isinstance(child, ast.Call):
            func = child.func
            if _name(func) in known:
                yield child, _name(func), names or {}
            elif (cls in known and isinstance(func, ast.Attribute) and func.attr == "__init__"
                  and isinstance(func.value, ast.Call) and _name(func.value.func) == "super"):
                yield child, cls, names or {}
        yield from _constructions(child, known, cls, names)


def findings(trees: dict[str, ast.Module]) -> list[Finding]:
    known = known_error_classes(trees)
    found: list[Finding] = []
    for where, tree in trees.items():
        for call, made, names in _constructions(tree, known):
            at = MESSAGE_ARGUMENT.get(made, 0)
            if len(call.args) > at:
                message = call.args[at]
                # a message set a few lines up is judged by what it was set to
                values = names.get(message.id, [message]) if isinstance(message, ast.Name) else [message]
                for value in values:
                    if why := _message_problem(value):
                        found.append(Finding(where, call.lineno, f"{made} message is {why}"))
            for keyword in call.keywords:
                if _english_words(keyword.value):
                    found.append(Finding(where, call.lineno,
                                         f"{made} value {keyword.arg} is English "
                                         "words in an f-string (pass a Text(N_(...)))"))
    return found


def _package_trees() -> dict[str, ast.Module]:
    return {str(path.relative_to(PACKAGE.parent)): ast.parse(path.read_text(encoding="utf-8"), str(path))
            for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts}


def test_no_user_facing_error_is_built_from_english_text() -> None:
    found = findings(_package_trees())
    assert not found, "errors the catalog cannot translate:\n" + "\n".join(map(str, found))


def test_the_walk_finds_every_kind_of_built_message() -> None:
    """The check itself: each way of building a message is caught, in a subclass of a
    subclass defined elsewhere, and the right ways pass."""
    source = '''
class ShortlistProblem(BadInputError):
    pass

def f(n, path, exc):
    raise BadInputError(f"{path} already exists.")
    raise ShortlistProblem("Campaign " + str(n) + " is gone.")
    raise StoreError("Cannot open {file}.".format(file=path))
    raise ShortlistProblem("A campaign needs a name.")
    raise errors.KnownError(str(exc))
    raise BadInputError(N_("{file}: {why}."), file=str(path), why=f"the disk is full ({exc})")
    raise BadInputError(N_("{file} already exists."), file=str(path), size=f"{n:,}")
    raise ShortlistProblem(tr("Campaign {id} is gone.", id=n))
    raise StoreError(message)
    raise ValueError(f"not shown to users: {n}")
    raise BadFileError(path, f"the archive cannot be read ({exc})")
    raise BadFileError(path, N_("the archive cannot be read ({reason})"), reason=exc)

class Conflict(StoreError):
    def __init__(self, who):
        message = f"Changed by {who}."
        super().__init__(message)
        ok = N_("Changed by {who}.")
        raise Conflict(ok, who=who)
'''
    trees = {"base.py": ast.parse("class BadInputError(KnownError): pass\n"
                                  "class StoreError(KnownError): pass\n"
                                  "class BadFileError(ImportingError, KnownError): pass\n"),
             "example.py": ast.parse(source)}
    found = [(f.line, f.why.split(" is ", 1)[1][:12]) for f in findings(trees)]
    assert found == [(6, "an f-string"), (7, "text built w"), (8, "text built w"),
                     (9, "a literal no"), (10, "str() of ano"), (11, "English word"),
                     (16, "an f-string"), (22, "an f-string")]
