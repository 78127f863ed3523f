"""What a generated object type's resolvers see: a thin view over a stored object.

Generated types are never instantiated; resolvers return an ``ObjectView`` and
the plain property fields read it by attribute (Strawberry's default resolver),
which keeps the per-field cost at one dictionary lookup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opencase.graph.store import StoredObject
from opencase.ontology import ONTOLOGY

#: Python attribute prefix of a property whose GraphQL name had to change
#: (a ``title`` that is not the title property); snake_case names never contain "__".
RENAMED_PREFIX = "prop__"

#: PascalCase type name by the name or API name a stored object carries; a
#: dictionary hit instead of an ontology lookup per object of a large result.
_TYPE_NAMES: dict[str, str] = {
    key: ot.name for ot in ONTOLOGY.object_types for key in (ot.name, ot.api_name)
}


class ObjectView:
    """``_stored`` is the record, ``_type_name`` its PascalCase (= GraphQL) type name."""

    __slots__ = ("_stored", "_type_name")

    def __init__(self, stored: StoredObject) -> None:
        self._stored = stored
        name = _TYPE_NAMES.get(stored.object_type)
        self._type_name = name or ONTOLOGY.object_type(stored.object_type).name

    @property
    def id(self) -> str:
        return self._stored.id

    @property
    def title(self) -> str:
        return self._stored.title

    @property
    def objectType(self) -> str:
        return ONTOLOGY.object_type(self._type_name).api_name

    @property
    def recordCreatedAt(self) -> dt.datetime | None:
        return self._stored.created_at

    @property
    def recordUpdatedAt(self) -> dt.datetime | None:
        return self._stored.updated_at

    def __getattr__(self, name: str) -> Any:
        # Declared properties by snake_case name (absent means null). Every helper
        # attribute above is camelCase or underscored, so none can shadow one.
        if name.startswith("_"):  # dunders (__await__...) are probed by graphql-core
            raise AttributeError(name)
        return self._stored.properties.get(name.removeprefix(RENAMED_PREFIX))


def view(stored: StoredObject | None) -> ObjectView | None:
    return None if stored is None else ObjectView(stored)
