"""Completes one object of a compiled selection with one generated function.

A lineage answer is a thousand small objects (nodes and edges) of three or
four leaf fields each; completing them with a closure per field (a call to
read, a call to check, a dictionary comprehension over the closures) cost
more than the traversal itself. Here a selection becomes the source of one
function whose body is a single dictionary display: leaf reads are inlined
(``value.id``, or ``value._stored.properties.get("status")`` on a view; a
table read as ``t1(value.object_type)``, ``t1`` the table's ``get``), the
exact scalar types are checked inline (see ``plain_fields.leaf_passes``), and
only other values, link fields and nested objects call out to closures.

The generated function behaves exactly as the closure version it replaces:
every value that fails an inline test goes to the same leaf completion,
which raises ``Bail`` where the generic path must decide. The source depends
only on the selection's shape, so it is compiled once per shape and process;
each request binds its own closures to it.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .plain_fields import Bail, Complete
from .views import ObjectView


@dataclass(frozen=True)
class LeafRead:
    """A leaf field read from the source: ``attribute`` (or a view's stored ``property``)."""

    key: str
    attribute: str
    property: str | None  # on a view: the stored property, None for the view's own attribute
    passes: str | None  # ``leaf_passes(leaf, "{x}")``: a test on the value read, or None
    complete: Complete  # the leaf completion of the value read


@dataclass(frozen=True)
class TableRead:
    """A leaf read through a table: ``lookup(source.attribute)`` (a dict's ``get``).

    For a field whose resolver only maps one attribute through a table (a
    traversal node's objectType). The table's values are complete outputs when
    they pass ``passes``; anything else (a name not in the table yet) goes to
    ``complete(source)``, which does what the resolver and its leaf would.
    """

    key: str
    attribute: str
    lookup: Callable[[Any], Any]
    passes: str  # ``leaf_passes(leaf, "{x}")``
    complete: Complete  # the source -> its completed value


@dataclass(frozen=True)
class Constant:
    """A value that does not depend on the source (``__typename``)."""

    key: str
    value: str


@dataclass(frozen=True)
class Call:
    """Anything else: a closure from the source to the completed value."""

    key: str
    complete: Complete


Field = LeafRead | TableRead | Constant | Call


def _read(field: LeafRead, on_view: bool) -> str:
    if on_view and field.property is not None:
        return f"value._stored.properties.get({field.property!r})"
    return _attribute(field.attribute)


def _attribute(name: str) -> str:
    if name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__"):
        return f"value.{name}"
    return f"getattr(value, {name!r})"


def _source(fields: list[Field], on_view: bool, type_name: str | None, non_null: bool) -> str:
    entries = []
    for i, field in enumerate(fields):
        if isinstance(field, Constant):
            entries.append(f"{field.key!r}: {field.value!r}")
        elif isinstance(field, Call):
            entries.append(f"{field.key!r}: f{i}(value)")
        elif isinstance(field, TableRead):
            x = f"x{i}"
            walrus = f"({x} := t{i}({_attribute(field.attribute)}))"
            test = field.passes.replace("{x}", walrus, 1).replace("{x}", x)
            entries.append(f"{field.key!r}: ({x} if {test} else f{i}(value))")
        elif field.passes is None:
            entries.append(f"{field.key!r}: f{i}({_read(field, on_view)})")
        else:
            x = f"x{i}"
            walrus = f"({x} := {_read(field, on_view)})"  # the first use reads, the rest reuse
            test = field.passes.replace("{x}", walrus, 1).replace("{x}", x)
            entries.append(f"{field.key!r}: ({x} if {test} else f{i}({x}))")
    body = "{" + ", ".join(entries) + "}"
    names = ", ".join(
        [f"f{i}" for i in range(len(fields))]
        + [f"t{i}" for i, f in enumerate(fields) if isinstance(f, TableRead)]
    )
    if on_view:
        ready = f"type(value) is ObjectView and value._type_name == {type_name!r}"
        check = f"""        if {ready}:
            return {body}
        if value is None and {not non_null}:
            return None
        raise Bail
"""
    else:
        ready = "type(value) in settled"
        check = f"""        if type(value) not in settled and not admit(value):
            return None
        return {body}
"""
    # a list of them in one comprehension: the body inline, no call per item
    many = f"""    def complete_many(items):
        return [{body} if {ready} else complete(value) for value in items]
"""
    return (
        f"def make(ObjectView, Bail, settled, admit, {names}):\n"
        f"    def complete(value):\n{check}{many}"
        "    complete.many = complete_many\n"
        "    return complete\n"
    )


@lru_cache(maxsize=1024)
def _maker(source: str) -> Callable[..., Complete]:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<opencase compiled selection>", "exec"), namespace)
    return namespace["make"]  # type: ignore[no-any-return]


def _columns_source(fields: list[Field]) -> str | None:
    """The source of a function completing :class:`~.rows.Rows` from their columns.

    One comprehension over the columns the fields read, each row's dictionary
    built as the record completion would build it from that row's record. A
    value the inline test does not pass raises Bail (the records decide then);
    None when a field is not a plain read of one column (a link, a nested object).
    """
    columns: dict[str, str] = {}  # attribute -> its loop variable
    entries = []
    tests = []
    for i, field in enumerate(fields):
        if isinstance(field, Constant):
            entries.append(f"{field.key!r}: {field.value!r}")
            continue
        if isinstance(field, Call) or (isinstance(field, LeafRead) and field.property):
            return None
        x = columns.setdefault(field.attribute, f"x{len(columns)}")
        if isinstance(field, TableRead):
            y = f"y{i}"
            tests.append(field.passes.replace("{x}", f"({y} := t{i}({x}))", 1).replace("{x}", y))
            entries.append(f"{field.key!r}: {y}")
        elif field.passes is None:
            entries.append(f"{field.key!r}: f{i}({x})")
        else:
            tests.append(field.passes.replace("{x}", x))
            entries.append(f"{field.key!r}: {x}")
    body = "{" + ", ".join(entries) + "}"
    row = f"{body} if {' and '.join(tests)} else fail()" if tests else body
    if columns:
        reads = "".join(f"        c{x[1:]} = cols[{a!r}]\n" for a, x in columns.items())
        each = ", ".join(columns.values())
        loop = f"for {each}, in zip({each.replace('x', 'c')})"
    else:
        reads, loop = "", "for _ in range(rows.length)"
    names = ", ".join(
        [f"f{i}" for i in range(len(fields))]
        + [f"t{i}" for i, f in enumerate(fields) if isinstance(f, TableRead)]
    )
    return (
        f"def make(fail, {names}):\n"
        "    def complete_columns(rows):\n"
        "        cols = rows.columns\n"
        f"{reads}"
        f"        return [{row} {loop}]\n"
        "    return complete_columns\n"
    )


def columns_completion(fields: list[Field]) -> Complete | None:
    """A function completing a :class:`~.rows.Rows` list of objects with ``fields``, or None.

    It gives what completing each row's record would give, or raises (Bail for
    a value it does not vouch for, KeyError for a column the rows lack).
    """
    source = _columns_source(fields)
    if source is None:
        return None
    closures = [None if isinstance(f, Constant) else f.complete for f in fields]
    lookups = [f.lookup for f in fields if isinstance(f, TableRead)]
    return _maker(source)(_fail, *closures, *lookups)


def _fail() -> Any:
    raise Bail


def object_completion(
    fields: list[Field],
    *,
    view_type: str | None,
    non_null: bool,
    settled: set[type],
    admit: Callable[[Any], bool],
) -> Complete:
    """One function completing an object with ``fields`` (see the module docstring).

    ``view_type``: the source must be an ObjectView of that type (a generated
    object type). Otherwise ``admit(value)`` is asked for each source type not
    in ``settled`` yet: False for a null (completed as null), Bail for what the
    generic path must judge, True once the type is known to be a plain value.
    The function's ``many`` attribute completes a whole list of such objects
    (a list, its items as ``complete`` would complete each); its ``columns``
    attribute, when not None, completes :class:`~.rows.Rows` the same way
    (see :func:`columns_completion`).
    """
    source = _source(fields, view_type is not None, view_type, non_null)
    closures = [None if isinstance(f, Constant) else f.complete for f in fields]
    lookups = [f.lookup for f in fields if isinstance(f, TableRead)]
    complete = _maker(source)(ObjectView, Bail, settled, admit, *closures, *lookups)
    # the list form for rows held as columns (rows.py); never for views
    complete.columns = (  # type: ignore[attr-defined]
        None if view_type is not None else columns_completion(fields)
    )
    return complete
