"""The texts behind the two object hashes, taken of validated content only.

An input hash that matched for two different inputs would make an upsert skip
a real change; a content hash that differed for equal content would rewrite
objects that did not change. Every text here is of what the type's validator
returned, as in the store, so values JSON cannot carry never get this far.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencase.errors import ValidationError
from opencase.graph import GraphStore, ObjectRecord, open_store
from opencase.graph.canonical import (
    _CHUNK,
    batch_hashes,
    content_hash,
    content_text,
    input_hash,
)
from opencase.ontology.validation import validator

_METRICS = st.fixed_dictionaries(
    {"metric_id": st.text(min_size=1, max_size=6), "name": st.text(min_size=1, max_size=6)},
    optional={
        "value": st.floats(allow_nan=False, allow_infinity=False),
        "step": st.integers(-(2**63), 2**63 - 1),
        "threshold": st.none() | st.floats(allow_nan=False, allow_infinity=False),
        "timestamp": st.datetimes(timezones=st.just(dt.UTC)),
    },
)


def _valid(raw: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return validator("Metric").record(raw)
    except ValidationError:
        return None


@settings(deadline=None)  # the first example builds the validator
@given(_METRICS)
def test_content_text_ignores_key_order(raw: dict[str, Any]) -> None:
    row = _valid(raw)
    if row is not None:
        assert content_text("Metric", row) == content_text("Metric", dict(reversed(row.items())))


@settings(deadline=None)
@given(_METRICS, _METRICS)
def test_different_content_gets_different_texts(a: dict[str, Any], b: dict[str, Any]) -> None:
    ra, rb = _valid(a), _valid(b)
    if ra is None or rb is None:
        return
    if content_text("Metric", ra) == content_text("Metric", rb):
        drop = {k: v for k, v in ra.items() if v is not None}
        assert drop == {k: v for k, v in rb.items() if v is not None}
    if input_hash("Metric", ra) == input_hash("Metric", rb):
        assert ra == rb


def test_batch_hashes_over_several_chunks_match_one_record_at_a_time() -> None:
    """The texts are hashed a chunk at a time: positions past the first chunk stay right."""
    sent: list[dict[str, Any]] = [
        {"metric_id": f"m{i}", "name": "auc", "value": i * 0.5} for i in range(2 * _CHUNK + 7)
    ]
    sent[3] = {"metric_id": "a", "name": "auc", "threshold": None}
    contents = list(sent)
    contents[_CHUNK + 1] = {**sent[_CHUNK + 1], "step": 4}  # as if a default were filled in
    inputs, hashes = batch_hashes("Metric", sent, contents)
    assert inputs.to_pylist() == [input_hash("Metric", r) for r in sent]
    assert hashes.to_pylist() == [content_hash("Metric", c) for c in contents]


def test_json_maps_hash_by_their_stored_text() -> None:
    """A JSON map may hold integers beyond 64 bits: its stored text carries them."""
    base = {"run_key": "r", "tracking_system": "mlflow", "run_id": "1"}
    sent = [validator("Experiment").record({**base, "parameters": {"n": 2**70, "a": [1]}})]
    inputs, hashes = batch_hashes("Experiment", sent, sent)
    assert inputs.to_pylist() == [input_hash("Experiment", sent[0])]
    assert hashes.to_pylist() == [content_hash("Experiment", sent[0])]


def test_content_of_equal_validated_records_is_equal() -> None:
    """Spellings validation makes equal (zones, naive times, blanks) hash alike."""
    at = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    elsewhere = at.astimezone(dt.timezone(dt.timedelta(hours=5)))
    base = {"run_key": "r", "tracking_system": "mlflow", "run_id": "1", "start_time": at}
    same = [
        base,
        {**base, "start_time": elsewhere},  # the same instant, spelled in another zone
        {**base, "start_time": at.replace(tzinfo=None)},  # naive counts as UTC
        {**base, "run_id": "  1 "},  # blanks around text are stripped
        {**base, "seed": None},  # an empty value is no value
        dict(reversed(list(base.items()))),
    ]
    check = validator("Experiment")
    assert len({content_text("Experiment", check.record(p)) for p in same}) == 1
    maps = [{"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}]
    texts = {content_text("Experiment", check.record({**base, "parameters": m})) for m in maps}
    assert len(texts) == 1
    with_seed = check.record({**base, "seed": 1})
    assert content_text("Experiment", with_seed) != content_text("Experiment", check.record(base))


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


def test_values_no_text_can_carry_are_refused_by_the_validator(tmp_path: Path) -> None:
    """NaN, infinities and integers beyond 64 bits never reach a hash: validation names them."""
    metric = {"metric_id": "m1", "name": "loss", "value": 0.5}
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        for bad in ({"threshold": math.nan}, {"value": math.inf}, {"step": 2**70}):
            with pytest.raises(ValidationError) as caught:
                _one(store, ObjectRecord("Metric", {**metric, **bad}))
            assert caught.value.problems[0].field == next(iter(bad))
        assert store.count("Metric") == 0


def test_a_sent_none_is_a_change_from_a_value(tmp_path: Path) -> None:
    """The input text keeps a sent ``None``: sending it clears the value, so it is no re-load."""
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        metric = {"metric_id": "m1", "name": "loss", "value": 0.5}
        assert _one(store, ObjectRecord("Metric", {**metric, "threshold": 0.1})) == (1, 0, 0)
        assert _one(store, ObjectRecord("Metric", {**metric, "threshold": None})) == (0, 1, 0)
        stored = store.get("metric:m1")
        assert stored is not None and stored.get("threshold") is None
