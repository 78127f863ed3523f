"""A cheap "certainly valid as is" test for loader-built values, backed by the real validation.

A bulk loader builds its records from a handful of distinct values (statuses,
owners, model cells, dates) plus per-row free text. Running the full pydantic
validation on each record (``validate_properties``) cost about a third of the
tracker loader's time, and the store validates every record again on write.
:class:`ValueCheck` instead answers per *distinct value* whether the ontology's
validation would accept it unchanged, and remembers the answer. A loader uses it
only to skip the full validation when every value passes; anything doubtful goes
through :func:`validate_properties`, which stays the one judge and the one
source of problem messages, so the outcome and the reports do not change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic

from opencase.ontology.model import ObjectType, PropertyType
from opencase.ontology.validation import property_validator


class ValueCheck:
    """Whether a property value of one object type passes validation unchanged.

    Unconstrained strings are judged inline: validation strips whitespace and
    reads a blank string as missing, so a non-blank string without surrounding
    whitespace is kept as is (Python's ``str.strip`` strips every character
    pydantic's does, and more). Every other value is judged once by the
    property's own validator and the answer memoised.
    """

    def __init__(self, object_type: ObjectType) -> None:
        self.object_type = object_type
        self._props = {p.name: p for p in object_type.properties}
        self._memo: dict[tuple[str, Any], bool] = {}

    def plain(self, name: str) -> bool:
        """True when any non-blank, already stripped string is valid for ``name``."""
        prop = self._props.get(name)
        return (
            prop is not None
            and prop.type is PropertyType.STRING
            and not prop.pattern
            and prop.minimum is None
            and prop.maximum is None
        )

    def accepts(self, name: str, value: Any) -> bool:
        """True when validation keeps ``value`` for ``name`` exactly as it is."""
        if value is None or name not in self._props:
            return False  # None is dropped by the loaders; unknown names are errors
        try:
            key = (name, value)
            known = self._memo.get(key)
        except TypeError:  # unhashable (a list): judge it every time
            return self._judge(name, value)
        if known is None:
            known = self._memo[key] = self._judge(name, value)
        return known

    def _judge(self, name: str, value: Any) -> bool:
        if isinstance(value, str) and (not value.strip() or value != value.strip()):
            return False  # blank -> missing, padded -> stripped: let validation say so
        if self.plain(name):
            return type(value) is str
        try:
            out = property_validator(self.object_type.name, name)(value)
        except (pydantic.ValidationError, ValueError, TypeError):
            return False
        # bool is an int and datetime a date: the type must match too, not only ==.
        return type(out) is type(value) and out == value and not _naive_mix(out, value)


def _naive_mix(out: Any, value: Any) -> bool:
    """A datetime whose time zone validation changed compares equal yet is not kept."""
    return isinstance(out, dt.datetime) and out.tzinfo is not value.tzinfo
