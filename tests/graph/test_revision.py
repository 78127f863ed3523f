"""The embedded store's write revision: every committed write moves it, nothing else does.

The load journal trusts "same revision" to mean "not written since", so a write
that does not count, or a read or failed write that does, would be a bug.
"""

from __future__ import annotations

import pytest

from opencase.errors import ValidationError
from opencase.graph import GraphStore, LinkRecord, ObjectRecord, WriteBatch

PERSON = ObjectRecord("Person", {"person_id": "ann", "name": "Ann"})
MODEL = ObjectRecord("ModelWork", {"model_key": "A330:72:hpc", "name": "HPC"})


def test_every_kind_of_write_moves_the_revision_and_reads_do_not(store: GraphStore) -> None:
    seen = [store.revision()]

    def moved() -> bool:
        seen.append(store.revision())
        return seen[-1] is not None and seen[-2] is not None and seen[-1] > seen[-2]

    store.write(WriteBatch(objects=[PERSON, MODEL]))
    assert moved()
    list(
        store.upsert(
            [PERSON], [LinkRecord("daia-model-owned-by", "model-work:A330:72:hpc", "person:ann")]
        )
    )
    assert moved()
    store.get(["person:ann"])
    store.lineage("person:ann", depth=2)
    store.stats()
    assert not moved()
    store.write(WriteBatch(soft_deletes=["person:ann"]))
    assert moved()
    store.write(WriteBatch(restores=["person:ann"]))
    assert moved()
    store.put_note("journal", "{}")
    assert moved()
    assert store.get_note("journal") == (seen[-1], "{}")


def test_a_refused_write_leaves_the_revision(store: GraphStore) -> None:
    store.write(WriteBatch(objects=[PERSON]))
    before = store.revision()
    with pytest.raises(ValidationError):
        store.write(WriteBatch(objects=[ObjectRecord("Person", {"person_id": "x", "bogus": 1})]))
    with pytest.raises(ValidationError):
        list(store.upsert([PERSON, ObjectRecord("Person", {"person_id": "y", "bogus": 1})]))
    assert store.revision() == before
