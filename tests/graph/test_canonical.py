"""The texts behind the two object hashes: equal inputs alike, different inputs apart.

An input hash that matched for two different inputs would make an upsert skip
a real change; a content hash that differed for equal content would rewrite
objects that did not change. Both are checked here on the texts, and on a real
store where the difference would show.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from opencase.graph import GraphStore, ObjectRecord, open_store
from opencase.graph.canonical import (
    _CHUNK,
    content_text,
    hash_inputs,
    hash_text,
    input_hash,
    input_text,
    input_texts,
    null_or_repr,
)

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.datetimes(timezones=st.just(dt.UTC))
    | st.dates()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
_MAPS = st.dictionaries(st.text(min_size=1, max_size=6), _VALUES, max_size=6)


def _same(a: Any, b: Any) -> bool:
    """Equal as an upsert means it: same class, same value (NaN equal to NaN)."""
    if a.__class__ is not b.__class__:
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@given(_MAPS)
def test_input_text_ignores_key_order(raw: dict[str, Any]) -> None:
    assert input_text(raw) == input_text(dict(reversed(list(raw.items()))))


@given(st.lists(_MAPS | st.just({"big": 2**70}), max_size=6))
def test_input_texts_of_a_batch_are_each_ones_input_text(raws: list[dict[str, Any]]) -> None:
    assert input_texts(raws) == [input_text(raw) for raw in raws]


def test_hash_inputs_over_several_chunks_matches_one_record_at_a_time() -> None:
    """The texts are hashed a chunk at a time: positions past the first chunk stay right."""

    class Opaque:  # repr with an address: no stable input hash
        pass

    raws: list[dict[str, Any]] = [
        {"name": f"m{i}", "value": i * 0.5} for i in range(2 * _CHUNK + 7)
    ]
    odd = {3: {"name": "a", "note": None}, _CHUNK + 1: {"name": "b", "x": math.nan}}
    odd |= {2 * _CHUNK + 2: {"name": "c", "o": Opaque()}, 2 * _CHUNK + 5: {"big": 2**70}}
    for i, raw in odd.items():
        raws[i] = raw
    hashed = hash_inputs("Metric", raws)
    assert len(hashed.hashes) == len(hashed.inputs) == len(raws)
    assert hashed.hashes.to_pylist() == [hash_text(input_text(raw)) for raw in raws]
    assert hashed.inputs.to_pylist() == [input_hash("Metric", raw) for raw in raws]
    assert hashed.inputs[2 * _CHUNK + 2].as_py() is None
    assert hashed.own == [i for i, raw in enumerate(raws) if null_or_repr(input_text(raw))]
    assert set(hashed.own) >= set(odd)


@given(_MAPS, _MAPS)
def test_different_inputs_get_different_texts(a: dict[str, Any], b: dict[str, Any]) -> None:
    if input_text(a) == input_text(b):
        assert a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)


def test_values_json_would_conflate_stay_apart() -> None:
    groups = [
        [None, math.nan, math.inf, -math.inf],
        [1, 1.0, True, "1"],
        [[None], [math.nan]],
        [{"a": None}, {"a": math.nan}],
        [2**70, float(2**70)],
    ]
    for values in groups:
        texts = {input_text({"x": v}) for v in values}
        assert len(texts) == len(values), values


def test_json_and_repr_forms_never_collide() -> None:
    plain = input_text({"x": "a"})
    fallback = input_text({"x": 2**70})  # beyond JSON's 64-bit integers
    assert not null_or_repr(plain)
    assert null_or_repr(fallback)
    assert fallback.startswith(b"r") and not plain.startswith(b"r")


def test_an_object_value_has_no_input_hash() -> None:
    assert input_hash("Metric", {"metric_id": "m", "value": object()}) is None
    assert input_hash("Metric", {"metric_id": "m", "value": 1.0}) is not None


def test_content_text_is_canonical() -> None:
    at = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    elsewhere = at.astimezone(dt.timezone(dt.timedelta(hours=5)))
    base = {"run_key": "r", "tracking_system": "mlflow", "run_id": "1", "start_time": at}
    same = [
        base,
        {**base, "start_time": elsewhere},  # the same instant, spelled in another zone
        {**base, "start_time": at.replace(tzinfo=None)},  # naive counts as UTC
        {**base, "seed": None},  # an empty value is no value
        {**base, "not_declared": 3},  # neither is a key the ontology does not know
        dict(reversed(list(base.items()))),
    ]
    assert len({content_text("Experiment", p) for p in same}) == 1
    maps = [{"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}]
    assert len({content_text("Experiment", {**base, "parameters": m}) for m in maps}) == 1
    assert content_text("Experiment", {**base, "seed": 1}) != content_text("Experiment", base)


def _one(store: GraphStore, record: ObjectRecord) -> tuple[int, int, int]:
    results = list(store.upsert([record]))
    return (
        sum(r.created for r in results),
        sum(r.updated for r in results),
        sum(r.unchanged for r in results),
    )


def test_a_stored_json_map_with_a_datetime_hashes_the_same_after_reading_back(
    tmp_path: Path,
) -> None:
    """The content hash of a JSON map is taken of its stored text, which reads back alike."""
    at = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    raw = {"run_key": "r", "tracking_system": "mlflow", "run_id": "1"}
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        first = ObjectRecord("Experiment", {**raw, "parameters": {"b": at, "a": 1}})
        assert _one(store, first) == (1, 0, 0)
        # same content, another input text: compared with what reads back, then hashed
        again = ObjectRecord("Experiment", {**raw, "parameters": {"a": 1, "b": at}})
        assert _one(store, again) == (0, 0, 1)


def test_nan_then_none_is_a_change(tmp_path: Path) -> None:
    """JSON prints NaN and None alike; the input hash must not, or the second load is skipped."""
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        metric = {"metric_id": "m1", "name": "loss", "value": 0.5}
        assert _one(store, ObjectRecord("Metric", {**metric, "threshold": math.nan})) == (1, 0, 0)
        assert _one(store, ObjectRecord("Metric", {**metric, "threshold": None})) == (0, 1, 0)
        stored = store.get("metric:m1")
        assert stored is not None and stored.get("threshold") is None
