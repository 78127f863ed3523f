"""Compile a :mod:`opencase.queries.filters` AST into one parameterised ``WHERE`` fragment.

Property names are checked against the ontology and values coerced with the
same validators as writes (an enum synonym or a date string works in a filter
as it does in a load); link traversals take their relationship type and
direction from the ontology's link fields. No user text reaches the query.

Semantics: comparisons are two-valued (an empty property does not match, and
``Not`` of a comparison matches it); ``ne`` keeps objects where the property is
empty; ``contains`` and ``starts_with`` are case-insensitive on strings and ``contains`` on a string
list means "has this element"; soft-deleted linked objects never match a
``LinkExists``.
"""

from __future__ import annotations

from typing import Any

from opencase.errors import Problem, ValidationError
from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.ontology.validation import validate_link_properties, validate_properties

from .dialect import LADYBUG, Dialect, ident
from .filters import And, Cmp, Filter, LinkExists, Not, Or, Params

_ORDERED = {
    PropertyType.STRING,
    PropertyType.INT,
    PropertyType.FLOAT,
    PropertyType.DATE,
    PropertyType.DATETIME,
    PropertyType.ENUM,
}
_ALIASES = {"title": "sys_title"}
_ID = Property("id", PropertyType.STRING, "Global id.")
_TITLE = Property("sys_title", PropertyType.STRING, "Title.")


def _bad(object_type: ObjectType, name: str, message: str) -> ValidationError:
    return ValidationError(Problem(f"{object_type.name}: {message}", field=name))


def property_ref(object_type: ObjectType, name: str, var: str) -> tuple[str, Property]:
    """``var.column`` for a filter or sort key, and its property; unknown names are refused."""
    if name == "id":
        return f"{var}.id", _ID
    if name in _ALIASES:
        return f"{var}.{_ALIASES[name]}", _TITLE
    if not object_type.has_property(name):
        raise _bad(object_type, name, "no property of that name to filter or sort on")
    return f"{var}.{ident(name)}", object_type.prop(name)


def _coerce(object_type: ObjectType, prop: Property, value: Any, dialect: Dialect) -> Any:
    if prop.name in ("id", "sys_title"):
        if not isinstance(value, str):
            raise _bad(object_type, prop.name, f"expected text, got {value!r}")
        return value
    if prop.type is PropertyType.ENUM and isinstance(value, str):
        enum = ONTOLOGY.enum_of(prop)
        value = (enum.normalise(value) if enum else None) or value
    if ONTOLOGY.has_link_type(object_type.name):  # a link's properties (traversal.py)
        checked = validate_link_properties(object_type.name, {prop.name: value})[prop.name]
    else:
        checked = validate_properties(object_type, {prop.name: value}, partial=True)[prop.name]
    return dialect.param_value(prop, checked)


class WhereCompiler:
    """Stateful over one query: shares the :class:`Params` and numbers nested variables."""

    def __init__(self, params: Params, dialect: Dialect = LADYBUG) -> None:
        self.params = params
        self.dialect = dialect
        self._vars = 0

    def compile(self, object_type: ObjectType, node: Filter | None, var: str) -> str:
        if node is None:
            return "true"
        if isinstance(node, Cmp):
            return self._cmp(object_type, node, var)
        if isinstance(node, And):
            parts = [self.compile(object_type, item, var) for item in node.items]
            return "(" + " AND ".join(parts) + ")" if parts else "true"
        if isinstance(node, Or):
            items = merge_equalities(object_type, node.items)
            parts = [self.compile(object_type, item, var) for item in items]
            if len(parts) == 1:
                return parts[0]
            return "(" + " OR ".join(parts) + ")" if parts else "false"
        if isinstance(node, Not):
            return f"(NOT {self.compile(object_type, node.item, var)})"
        if isinstance(node, LinkExists):
            return self._link(object_type, node, var)
        raise ValidationError(f"unknown filter node {type(node).__name__}")

    def _cmp(self, object_type: ObjectType, node: Cmp, var: str) -> str:
        """A comparison that is never null, so ``NOT`` of it keeps objects lacking the value."""
        expr = self._cmp_raw(object_type, node, var)
        if node.op in ("is_null", "ne") or node.value is None:
            return expr
        ref, _ = property_ref(object_type, node.property, var)
        return f"({ref} IS NOT NULL AND {expr})"

    def _cmp_raw(self, object_type: ObjectType, node: Cmp, var: str) -> str:
        ref, prop = property_ref(object_type, node.property, var)
        op, value = node.op, node.value
        if op == "is_null":
            return f"{ref} IS NULL" if value or value is None else f"{ref} IS NOT NULL"
        if prop.type is PropertyType.JSON:
            raise _bad(object_type, node.property, "JSON properties only support is_null")
        if op in ("eq", "ne") and value is None:
            return f"{ref} IS NULL" if op == "eq" else f"{ref} IS NOT NULL"
        if prop.type is PropertyType.STRING_LIST:
            return self._list_cmp(object_type, node, ref, prop)
        if op == "in":
            if not isinstance(value, list | tuple | set | frozenset):
                raise _bad(object_type, node.property, "'in' needs a list of values")
            values = [_coerce(object_type, prop, v, self.dialect) for v in value]
            return f"{ref} IN ${self.params.add(values)}"
        if op in ("contains", "starts_with"):
            if prop.type not in (PropertyType.STRING, PropertyType.ENUM):
                raise _bad(object_type, node.property, f"'{op}' needs a text property")
            name = self.params.add(str(value).lower())
            word = "CONTAINS" if op == "contains" else "STARTS WITH"
            return f"{self.dialect.lower(ref)} {word} ${name}"
        coerced = _coerce(object_type, prop, value, self.dialect)
        name = self.params.add(coerced)
        if op == "eq":
            return f"{ref} = ${name}"
        if op == "ne":
            return f"({ref} IS NULL OR {ref} <> ${name})"
        if prop.type not in _ORDERED:
            raise _bad(object_type, node.property, f"'{op}' needs an ordered property")
        symbol = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}.get(op)
        if symbol is None:
            raise _bad(object_type, node.property, f"unknown operator {op!r}")
        return f"{ref} {symbol} ${name}"

    def _list_cmp(self, object_type: ObjectType, node: Cmp, ref: str, prop: Property) -> str:
        op, value = node.op, node.value
        if op == "contains":
            return f"${self.params.add(str(value))} IN {ref}"
        if op == "in":
            # one membership test per value: portable, and a parameter inside a list
            # comprehension trips the embedded engine's parser
            tests = [f"${self.params.add(str(v))} IN {ref}" for v in value]
            return "(" + " OR ".join(tests) + ")" if tests else "false"
        if op in ("eq", "ne"):
            name = self.params.add(_coerce(object_type, prop, value, self.dialect))
            return f"{ref} = ${name}" if op == "eq" else f"({ref} IS NULL OR {ref} <> ${name})"
        raise _bad(object_type, node.property, f"'{op}' is not available on a list property")

    def _link(self, object_type: ObjectType, node: LinkExists, var: str) -> str:
        patterns = link_patterns(object_type, node.field)
        if not patterns:
            raise _bad(object_type, node.field, "no link field of that name")
        alternatives = []
        for rel, outgoing, other in patterns:
            m = self._fresh("m")
            arrow = f"-[:{ident(rel)}]->" if outgoing else f"<-[:{ident(rel)}]-"
            inner = self.compile(ONTOLOGY.object_type(other), node.where, m)
            alternatives.append(
                f"EXISTS {{ MATCH ({var}){arrow}({m}:{ident(other)}) "
                f"WHERE {m}.sys_deleted_at IS NULL AND {inner} }}"
            )
        some = "(" + " OR ".join(alternatives) + ")"
        return f"(NOT {some})" if node.negate else some

    def _fresh(self, prefix: str) -> str:
        self._vars += 1
        return f"{prefix}{self._vars}"


def merge_equalities(object_type: ObjectType, items: tuple[Filter, ...]) -> list[Filter]:
    """The items of an ``Or`` with every ``eq``/``in`` on one property joined into one ``in``.

    ``a = 1 OR a = 2 OR a IN [3]`` means ``a IN [1, 2, 3]``, and the engines bind
    and plan one list parameter far faster than a long chain of ORs (the
    embedded engine's planning time grows faster than the chain). List and
    JSON properties, and comparisons with null, keep their own meaning.
    """
    groups: dict[str, list[Any]] = {}
    out: list[Filter] = []
    for item in items:
        if isinstance(item, Cmp) and item.op in ("eq", "in") and item.value is not None:
            _, prop = property_ref(object_type, item.property, "n")
            if prop.type not in (PropertyType.STRING_LIST, PropertyType.JSON):
                values = groups.get(item.property)
                if values is None:
                    values = groups[item.property] = []
                    out.append(Cmp(item.property, "in", values))  # filled below
                if item.op == "eq":
                    values.append(item.value)
                elif isinstance(item.value, list | tuple | set | frozenset):
                    values.extend(item.value)
                else:
                    out.append(item)  # not a list: let the comparison refuse it
                continue
        out.append(item)
    return [Cmp(i.property, "in", tuple(i.value)) if _is_group(i, groups) else i for i in out]


def _is_group(item: Filter, groups: dict[str, list[Any]]) -> bool:
    return isinstance(item, Cmp) and groups.get(item.property) is item.value


def link_patterns(object_type: ObjectType, field: str) -> list[tuple[str, bool, str]]:
    """(rel type, outgoing?, other object type) for a link field name of ``object_type``."""
    out: list[tuple[str, bool, str]] = []
    for lt in ONTOLOGY.links_from(object_type.name):
        if lt.forward_field == field:
            out += [(lt.rel_type, True, target) for target in lt.targets]
    for lt in ONTOLOGY.links_to(object_type.name):
        if lt.reverse_field == field:
            out.append((lt.rel_type, False, lt.source))
    return out


def compile_where(
    object_type: ObjectType,
    node: Filter | None,
    var: str,
    params: Params,
    dialect: Dialect = LADYBUG,
) -> str:
    """The WHERE fragment (without the keyword) for ``node`` on variable ``var``."""
    return WhereCompiler(params, dialect).compile(object_type, node, var)
