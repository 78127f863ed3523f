"""The column layout of new objects changes speed, never results.

A bulk load lays validated rows out as one Arrow table per type
(:func:`new_objects_table`); that table must hold exactly what the record path
(validation, defaults, title, content hash, one row at a time) would write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from opencase.errors import ValidationError
from opencase.graph import GraphStore, ObjectRecord, open_store
from opencase.graph.canonical import batch_hashes, content_hash, input_hash
from opencase.graph.columnar import new_objects_table
from opencase.graph.columns import node_columns
from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.ontology.validation import title_of, validate_properties, validator

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _ids(ot: ObjectType, raws: list[dict[str, Any]]) -> list[str]:
    return [f"{ot.api_name}:{r[ot.primary_key]}" for r in raws]


def _columnar(ot: ObjectType, raws: list[dict[str, Any]]) -> pa.Table:
    """The batch through the validator in one call, then laid out as the bulk path does."""
    checked = validator(ot.name).records(raws)
    if checked.problems:
        raise ValidationError([p for ps in checked.problems.values() for p in ps])
    sent = [row for row in checked.rows if row is not None]
    defaults = [p for p in ot.properties if p.default is not None]
    contents = [
        {**{p.name: p.default for p in defaults if p.name not in row}, **row} for row in sent
    ]
    inputs, hashes = batch_hashes(ot.name, sent, contents)
    return new_objects_table(ot, _ids(ot, raws), contents, inputs, hashes, NOW)


def _record_path(ot: ObjectType, raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the record path makes of each record: validated, defaults, system columns."""
    rows = []
    for oid, raw in zip(_ids(ot, raws), raws, strict=True):
        row = validate_properties(ot, raw)
        for prop in ot.properties:
            if prop.default is not None and row.get(prop.name) is None and prop.name not in raw:
                row[prop.name] = prop.default
        row["sys_hash"] = content_hash(ot.name, row)
        row.update(
            id=oid,
            sys_title=title_of(ot, row),
            sys_input_hash=input_hash(ot.name, validate_properties(ot, raw)),
            sys_created_at=NOW,
            sys_updated_at=NOW,
        )
        rows.append(row)
    return rows


def _as_table(ot: ObjectType, rows: list[dict[str, Any]]) -> pa.Table:
    from opencase.graph.columns import arrow_column

    props = node_columns(ot)
    arrays = [arrow_column(p, [r.get(p.name) for r in rows]) for p in props]
    return pa.Table.from_arrays(arrays, names=[p.name for p in props])


def test_generated_graph_gets_the_record_paths_results() -> None:
    objects, _ = generate(300, seed=3)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in objects:
        by_type[rec.object_type].append(dict(rec.properties))
    assert len(by_type) > 20
    for type_name, raws in by_type.items():
        ot = ONTOLOGY.object_type(type_name)
        table = _columnar(ot, raws)
        expected = _as_table(ot, _record_path(ot, raws))
        assert table.to_pylist() == expected.to_pylist(), type_name


UNCLEAN = [
    {"name": "  padded  "},  # stripped by validation
    {"name": ""},  # empty means None
    {"seed": "7"},  # text for an integer: pydantic coerces it
    {"seed": True},  # and a bool
    {"start_time": "2024-01-01"},  # text for a datetime
    {"start_time": dt.datetime(2024, 1, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))},
    {"parameters": '{"a": 1}'},  # JSON given as text
    {"libraries": ["a", "b "]},  # list items are stripped
]
REFUSED = [
    {"status": "done"},  # not an enum value (a synonym is the loaders' business)
    {"seed": 2**64},  # beyond 64 bits
    {"no_such_property": 1},
]


def _experiment(extra: dict[str, Any]) -> dict[str, Any]:
    base = {"run_key": "mlflow:r1", "tracking_system": "mlflow", "run_id": "r1"}
    return {**base, **{("run_name" if k == "name" else k): v for k, v in extra.items()}}


@pytest.mark.parametrize("extra", UNCLEAN, ids=lambda e: next(iter(e)))
def test_what_validation_coerces_is_laid_out_coerced(extra: dict[str, Any]) -> None:
    ot = ONTOLOGY.object_type("Experiment")
    raw = _experiment(extra)
    if "libraries" in raw:
        ot = ONTOLOGY.object_type("ModelVersion")
        raw = {"model_version_id": "k0", "version": "0", "libraries": raw["libraries"]}
    table = _columnar(ot, [raw])
    assert table.to_pylist() == _as_table(ot, _record_path(ot, [raw])).to_pylist()


@pytest.mark.parametrize("extra", REFUSED, ids=lambda e: next(iter(e)))
def test_what_validation_refuses_is_refused_by_name(extra: dict[str, Any]) -> None:
    ot = ONTOLOGY.object_type("Experiment")
    with pytest.raises(ValidationError) as caught:
        _columnar(ot, [_experiment({}), _experiment(extra)])
    assert [p.field for p in caught.value.problems] == list(extra)


def test_the_store_writes_what_validation_makes_of_unclean_input(tmp_path: Any) -> None:
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        records = [
            ObjectRecord("Person", {"person_id": f"p{i}", "name": "  Ada  "}) for i in range(3)
        ]
        list(store.upsert(records))
        assert store.get_one("person:p1").properties["name"] == "Ada"


# ---- fuzzing: any mix of clean and unclean values -------------------------------------------

_VALUES = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))])),
    st.datetimes(),
    st.dates(),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_FUZZ_TYPES = ["Experiment", "Metric", "ModelVersion", "Person", "Deployment"]


def _clean(prop: Property) -> st.SearchStrategy[Any]:
    """Values of the property's own kind, mostly valid (so the table gets exercised)."""
    kind = prop.type
    if kind is PropertyType.ENUM:
        enum = ONTOLOGY.enum_of(prop)
        assert enum is not None
        return st.sampled_from([*enum.values, f" {enum.values[0]}"])
    return {
        PropertyType.STRING: st.text(min_size=1, max_size=6),
        PropertyType.INT: st.integers(-5, 5),
        PropertyType.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
        PropertyType.BOOL: st.booleans(),
        PropertyType.DATE: st.dates(),
        PropertyType.DATETIME: st.datetimes(timezones=st.just(dt.UTC)),
        PropertyType.STRING_LIST: st.lists(st.text(max_size=3), max_size=2),
        PropertyType.JSON: st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    }[kind]


@st.composite
def _records(draw: st.DrawFn) -> tuple[ObjectType, list[dict[str, Any]]]:
    ot = ONTOLOGY.object_type(draw(st.sampled_from(_FUZZ_TYPES)))
    props = [p for p in ot.properties if p.name != ot.primary_key]
    raws = []
    for i in range(draw(st.integers(1, 4))):
        raw: dict[str, Any] = {ot.primary_key: f"k{i}"}
        raw.update({p.name: draw(_clean(p)) for p in props if p.required})
        for prop in draw(st.lists(st.sampled_from(props), max_size=4, unique=True)):
            raw[prop.name] = draw(st.one_of(_clean(prop), _clean(prop), _clean(prop), _VALUES))
        raws.append(raw)
    return ot, raws


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_records())
def test_fuzz_the_table_agrees_with_the_record_path(
    case: tuple[ObjectType, list[dict[str, Any]]],
) -> None:
    ot, raws = case
    try:
        expected = _record_path(ot, raws)
    except ValidationError:
        with pytest.raises(ValidationError):
            _columnar(ot, raws)
        event("refused")
        return
    assert _columnar(ot, raws).to_pylist() == _as_table(ot, expected).to_pylist()
    event("laid out")


def test_bulk_and_single_writes_store_the_same_thing(tmp_path: Any) -> None:
    """A bulk load into empty tables (one table per type) and the record path agree in the store."""
    objects, links = generate(200, seed=5)
    stores: list[GraphStore] = []
    try:
        bulk = open_store(str(tmp_path / "bulk"))
        single = open_store(str(tmp_path / "single"))
        stores += [bulk, single]
        for store in stores:
            store.install_schema()
        list(bulk.upsert(objects, links))
        # one type at a time after a first object of it exists: the record path
        firsts = {}
        for rec in objects:
            firsts.setdefault(rec.object_type, rec)
        list(single.upsert(list(firsts.values())))
        list(single.upsert(objects, links))
        assert bulk.stats() == single.stats()
        for rec in objects[::7]:
            ot = ONTOLOGY.object_type(rec.object_type)
            oid = f"{ot.api_name}:{rec.properties[ot.primary_key]}"
            a, b = bulk.get_one(oid), single.get_one(oid)
            assert a.properties == b.properties, oid
            assert a.title == b.title
    finally:
        for store in stores:
            store.close()


def test_neo4j_gets_the_same_rows_from_either_path() -> None:
    """The Neo4j writer turns column-path tables back into rows: JSON once, datetimes zoned."""
    from opencase.graph.neo4j_write import _row, object_rows
    from opencase.graph.planning import ObjectPlan

    objects, _ = generate(150, seed=9)
    for type_name in ("Experiment", "Deployment", "Metric"):
        ot = ONTOLOGY.object_type(type_name)
        raws = [dict(r.properties) for r in objects if r.object_type == type_name]
        table = _columnar(ot, raws)
        plan = ObjectPlan()
        plan.new_tables[type_name].append(table)
        [(name, rows)] = object_rows(plan)
        expected = [_row(type_name, row) for row in _record_path(ot, raws)]
        assert name == type_name
        assert [{k: v for k, v in r.items() if v is not None} for r in rows] == expected
