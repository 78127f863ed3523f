"""What the store already knows that a loader must agree with: models, partner names.

Read once per load (these are small tables) so that matching a row costs a
dictionary lookup, not a query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from opencase.graph.store import GraphStore, StoredObject
from opencase.ontology import ONTOLOGY, ids

from .cells import ModelRef, most_specific_ata
from .staging import Staged

_AMBIGUOUS = ""


class ModelIndex:
    """ModelWork lookup by family, ATA chapter and name, most precise key first.

    A tracker cell may omit the ATA chapter or give only its first two digits,
    so looser keys (family + name, name alone) count only when they are unique.
    """

    def __init__(self, models: Iterable[StoredObject] = ()) -> None:
        self._exact: dict[tuple[str, ...], str] = {}
        self._loose: dict[tuple[str, ...], str] = {}
        for model in models:
            self.add(model.id, model.properties)

    @classmethod
    def from_store(cls, store: GraphStore, staged: Staged | None = None) -> ModelIndex:
        """Every ModelWork in the store, then those staged but not yet written."""
        index = cls()
        for batch in store.scan_objects("ModelWork"):
            for model in batch:
                index.add(model.id, model.properties)
        for oid, props in staged.of_type("ModelWork") if staged is not None else ():
            index.add(oid, props)
        return index

    def add(self, model_id: str, props: Mapping[str, Any]) -> None:
        get = props.get
        name = get("name") or ""
        family = (get("ac_family") or "").upper()
        ata = get("ata_chapter") or ""
        name_slug = ids.slug(str(name))
        self._exact[("key", str(get("model_key")))] = model_id
        if family and ata:
            self._exact[("fan", family, ata, name_slug)] = model_id
            self._exact[("fan", family, ata[:2], name_slug)] = model_id
        for key in (("fn", family, name_slug), ("n", name_slug)):
            earlier = self._loose.get(key)
            self._loose[key] = model_id if earlier in (None, model_id) else _AMBIGUOUS

    def find(self, ref: ModelRef) -> str | None:
        """The id of the one ModelWork the reference names, or None."""
        family = ref.family or ""
        name_slug = ref.name_slug
        candidates: list[tuple[str, ...]] = []
        if family and ref.ata:
            candidates.append(("key", ids.model_key(family, ref.ata, ref.name)))
        for ata in (ref.ata_chapter, ref.ata, most_specific_ata(None, ref.name)):
            if family and ata:
                candidates += [("fan", family, ata, name_slug), ("fan", family, ata[:2], name_slug)]
        for key in candidates:
            if key in self._exact:
                return self._exact[key]
        loose = ("fn", family, name_slug) if family else ("n", name_slug)
        found = self._loose.get(loose)
        return found or None


class KnownNames:
    """Case-insensitive canonical spelling: ``ge`` in one row and ``GE`` in another are one."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._by_lower: dict[str, str] = {}
        for name in names:
            self._by_lower.setdefault(_fold(name), name)

    @classmethod
    def from_store(
        cls, store: GraphStore, object_type: str, staged: Staged | None = None
    ) -> KnownNames:
        pk = ONTOLOGY.object_type(object_type).primary_key
        names = []
        for batch in store.scan_objects(object_type):
            names += [str(o.properties[pk]) for o in batch if o.properties.get(pk)]
        for _, props in staged.of_type(object_type) if staged is not None else ():
            names.append(str(props[pk]))
        return cls(names)

    def canonical(self, raw: str) -> str | None:
        text = " ".join(raw.split())
        if not text:
            return None
        return self._by_lower.setdefault(_fold(text), text)

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_lower.values())


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
