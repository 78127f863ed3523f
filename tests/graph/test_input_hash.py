"""Re-sending the input of an object's last write is skipped by its input hash alone.

These pin the cases where skipping on the input hash could go wrong: a later
write with other input must make the old input count as a change again, and a
record identical to a refused one must still be refused.
"""

from __future__ import annotations

import pytest

from opencase.errors import ValidationError
from opencase.graph import GraphStore, ObjectRecord, WriteBatch


def _model(**props: object) -> ObjectRecord:
    return ObjectRecord("ModelWork", {"model_key": "A330:72:hpc", "name": "HPC wear", **props})


def _write(store: GraphStore, *records: ObjectRecord) -> tuple[int, int, int]:
    result = store.write(WriteBatch(objects=list(records)))
    return result.created, result.updated, result.unchanged


def test_same_input_is_unchanged_and_other_input_in_between_is_not(store: GraphStore) -> None:
    assert _write(store, _model()) == (1, 0, 0)
    assert _write(store, _model()) == (0, 0, 1)
    assert _write(store, _model(name="HPC erosion")) == (0, 1, 0)
    assert _write(store, _model()) == (0, 1, 0)  # the stored name changed since
    assert store.get_one("model-work:A330:72:hpc").properties["name"] == "HPC wear"


def test_bulk_reload_is_unchanged_and_stored_values_are_kept(store: GraphStore) -> None:
    records = [_model(), ObjectRecord("Dataset", {"dataset_id": "d1", "name": "Flight logs"})]
    assert sum(r.created for r in store.upsert(records)) == 2
    assert sum(r.unchanged for r in store.upsert(records)) == 2
    assert store.get_one("dataset:d1").properties["name"] == "Flight logs"


def test_a_refused_input_is_refused_again(store: GraphStore) -> None:
    _write(store, _model())
    bad = _model(no_such_property="x")
    for _ in range(2):
        with pytest.raises(ValidationError):
            _write(store, bad)
    assert _write(store, _model()) == (0, 0, 1)


@pytest.mark.parametrize("space", [" ", "\t", "\u00a0", "\u2003", "\u3000"])
def test_a_key_with_unicode_blanks_gets_the_id_of_its_stripped_key(
    store: GraphStore, space: str
) -> None:
    """Validation strips every Unicode blank (as ``str.strip``); the global id must agree.

    A no-break space once passed the "nothing to strip" shortcut (it sorts after
    ``" "``), so the id kept the blank while the stored key lost it.
    """
    list(store.upsert([ObjectRecord("ModelWork", {"model_key": f"{space}k1{space}", "name": "K"})]))
    found = store.get_one("model-work:k1")
    assert found is not None and found.properties["model_key"] == "k1"
    assert store.count("ModelWork") == 1


def test_long_runs_of_one_type_merge_repeats_in_order_like_single_records(
    store: GraphStore,
) -> None:
    """Runs of 64+ records of one type are grouped whole unless something is unusual.

    A repeat inside a run, a repeat of an earlier run's object and a key to strip
    must all end as record-by-record grouping ends: merged, the last value wins.
    """
    run = [
        ObjectRecord("ModelWork", {"model_key": f"m{i}", "name": f"first {i}"}) for i in range(100)
    ]
    repeats = [
        ObjectRecord("ModelWork", {"model_key": f"r{i}", "name": "r"}) for i in range(70)
    ] + [ObjectRecord("ModelWork", {"model_key": "r3", "owner_email": "inside@run"})]
    later = [
        ObjectRecord("ModelWork", {"model_key": f"m{i}", "owner_email": f"o{i}@x"})
        for i in range(80)
    ]
    spaced = [ObjectRecord("ModelWork", {"model_key": f" s{i}", "name": "s"}) for i in range(70)]
    other = [ObjectRecord("Program", {"code": "A320"})]
    list(store.upsert([*run, *other, *repeats, *later, *spaced]))
    assert store.count("ModelWork") == 100 + 70 + 70
    m5 = store.get_one("model-work:m5")
    assert m5 is not None and m5.properties["name"] == "first 5"
    assert m5.properties["owner_email"] == "o5@x"
    r3 = store.get_one("model-work:r3")
    assert r3 is not None and (r3.properties["name"], r3.properties["owner_email"]) == (
        "r",
        "inside@run",
    )
    s7 = store.get_one("model-work:s7")
    assert s7 is not None and s7.properties["model_key"] == "s7"


def test_interleaved_types_and_two_spellings_merge_in_record_order(store: GraphStore) -> None:
    """Records are sorted by type before grouping: the merge order must still be the input's.

    A type spelled by name and by API name is one type; its records from both
    spellings merge in record order, and a problem names the record's own number.
    """
    records: list[ObjectRecord] = []
    for i in range(100):  # an experiment-like interleaving: one model, one program, ...
        records.append(ObjectRecord("ModelWork", {"model_key": f"m{i}", "name": f"first {i}"}))
        records.append(ObjectRecord("Program", {"code": f"P{i}"}))
    records.append(ObjectRecord("model-work", {"model_key": "m4", "name": "by api name"}))
    records.append(
        ObjectRecord("ModelWork", {"model_key": "m4", "name": "last", "owner_email": "o@x"})
    )
    records.append(ObjectRecord("model-work", {"model_key": "m9", "name": "api 9"}))
    list(store.upsert(records))
    assert (store.count("ModelWork"), store.count("Program")) == (100, 100)
    m4 = store.get_one("model-work:m4")
    assert m4 is not None
    assert (m4.properties["name"], m4.properties["owner_email"]) == ("last", "o@x")
    m9 = store.get_one("model-work:m9")
    assert m9 is not None and m9.properties["name"] == "api 9"

    bad = [*records[:6], ObjectRecord("NoSuchType", {"x": 1}), ObjectRecord("Program", {})]
    with pytest.raises(ValidationError) as caught:
        list(store.upsert(bad))
    assert sorted(p.record for p in caught.value.problems) == [6, 7]
