"""The API uses its libraries through their public APIs only.

Strawberry, graphql-core, Starlette and FastAPI change their internals between
minor releases; code that reads them breaks silently on an upgrade. So no
module of ``api/`` may:

* read or write a private attribute (``x._name``, ``getattr(x, "_name")``)
  unless it is ``self``/``cls``'s, or the name is one our own code defines and
  none of those libraries does;
* import a private name, or from a private module, of another package.

Nothing of theirs is allow-listed: a name private to them is refused even on
an object of ours, so that a coincidence cannot hide a real access.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "api"
OWN_PACKAGES = ("api", "graph", "ontology", "queries", "loaders", "export", "opencase")
THIRD_PARTY = ("strawberry", "graphql", "starlette", "fastapi")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined_private_names(files: Iterator[Path]) -> set[str]:
    """Private names a body of code defines or uses as attributes (generous on purpose)."""
    names: set[str] = set()
    for path in files:
        tree = ast.parse(path.read_bytes(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)  # __slots__ entries, getattr(x, "_name")
    return {n for n in names if _private(n)}


@cache
def _third_party_private() -> frozenset[str]:
    names: set[str] = set()
    for package in THIRD_PARTY:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations, package
        for location in spec.submodule_search_locations:
            names |= _defined_private_names(Path(location).rglob("*.py"))
    return frozenset(names)


@cache
def _own_private() -> frozenset[str]:
    files = (p for package in OWN_PACKAGES for p in (ROOT / package).rglob("*.py"))
    return frozenset(_defined_private_names(files))


def _problems(source: bytes, where: str) -> Iterator[str]:
    theirs, ours = _third_party_private(), _own_private()
    tree = ast.parse(source, filename=where)
    for node in ast.walk(tree):
        name: str | None = None
        if isinstance(node, ast.Attribute) and _private(node.attr):
            receiver = node.value
            if isinstance(receiver, ast.Name) and receiver.id in ("self", "cls"):
                continue
            name = node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            name = node.args[1].value
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] in OWN_PACKAGES:
                continue
            if any(_private(p) for p in parts):
                yield f"{where}:{node.lineno}: imports from private module {node.module}"
            for alias in node.names:
                if _private(alias.name):
                    yield f"{where}:{node.lineno}: imports private {node.module}.{alias.name}"
            continue
        if name is not None and (name in theirs or name not in ours):
            yield f"{where}:{node.lineno}: reads private attribute {name!r}"


def test_api_touches_no_private_attribute_of_its_libraries() -> None:
    problems = [
        problem
        for path in sorted(API.rglob("*.py"))
        for problem in _problems(path.read_bytes(), str(path.relative_to(ROOT)))
    ]
    assert not problems, "\n".join(problems)


def test_the_check_catches_what_it_should() -> None:
    """The rule itself, on code that does each forbidden thing once."""
    sample = (
        b"from strawberry.schema._graphql_core import x\n"
        b"from graphql import _hidden\n"
        b"def f(info, schema, view, self):\n"
        b"    info._raw_info\n"
        b"    schema._schema\n"
        b"    getattr(schema, '_schema')\n"
        b"    view._no_such_name_of_ours\n"
        b"    view._stored\n"  # ObjectView's own record: ours, and no library's
        b"    self._anything\n"
    )
    found = list(_problems(sample, "sample.py"))
    assert len(found) == 6, found
    assert not any("_stored" in p or "_anything" in p for p in found)


def _forks(source: bytes, where: str) -> Iterator[str]:
    """Subclasses of graphql-core's executor and code generated at run time."""
    for node in ast.walk(ast.parse(source, filename=where)):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name.endswith("ExecutionContext"):
                    yield f"{where}:{node.lineno}: {node.name} subclasses the executor {name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("exec", "eval", "compile")
        ):
            yield f"{where}:{node.lineno}: generates code with {node.func.id}()"


def test_api_neither_overrides_the_executor_nor_generates_code() -> None:
    problems = [
        problem
        for path in sorted(API.rglob("*.py"))
        for problem in _forks(path.read_bytes(), str(path.relative_to(ROOT)))
    ]
    assert not problems, "\n".join(problems)
    sample = b"class E(StrawberryGraphQLCoreExecutionContext): ...\nexec(compile('1', '', 'eval'))"
    assert len(list(_forks(sample, "sample.py"))) == 3
