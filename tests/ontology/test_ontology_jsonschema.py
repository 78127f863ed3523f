"""The generated JSON Schemas accept good records, reject bad ones, and agree with validation."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.ontology.generators.jsonschemagen import json_schemas
from opencase.ontology.validation import validate_properties

SCHEMAS = json_schemas()
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def _validator(type_name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(SCHEMAS[type_name], format_checker=FORMATS)


def _schema_ok(type_name: str, record: dict[str, Any]) -> bool:
    return _validator(type_name).is_valid(record)


def _ontology_ok(type_name: str, record: dict[str, Any]) -> bool:
    try:
        validate_properties(type_name, record)
    except ValidationError:
        return False
    return True


GOOD_DEPLOYMENT = {
    "deployment_id": "dep-1",
    "name": "fraud-prod",
    "environment": "PROD",
    "endpoint_url": "https://fraud.example/v1",
    "replicas": 3,
    "status": "success",
    "deployed_at": "2025-03-01T10:00:00+00:00",
    "metadata": {"gpu": "a100"},
    "cluster": None,
}


@pytest.mark.parametrize("schema", SCHEMAS.values(), ids=list(SCHEMAS))
def test_every_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)


def test_a_good_record_passes_both() -> None:
    assert _schema_ok("Deployment", GOOD_DEPLOYMENT)
    assert _ontology_ok("Deployment", GOOD_DEPLOYMENT)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"environment": "PRODUCTION"}, "not an enum value"),
        ({"replicas": -1}, "below the minimum"),
        ({"replicas": "three"}, "not an integer"),
        ({"deployed_by": 7}, "not a string"),
        ({"metadata": ["gpu"]}, "not a map"),
        ({"colour": "red"}, "undeclared property"),
        ({"environment": None}, "required property set to null"),
    ],
)
def test_a_bad_record_fails_both(change: dict[str, Any], why: str) -> None:
    record = {**GOOD_DEPLOYMENT, **change}
    assert not _schema_ok("Deployment", record), why
    assert not _ontology_ok("Deployment", record), why


def test_pattern_and_date_format_are_enforced() -> None:
    good = {"case_id": "c1", "name": "Case", "status": "Active", "ata_chapter": "72-10"}
    good["status"] = ONTOLOGY.enum("CaseStatus").values[0]
    assert _schema_ok("IntegrationCase", good)
    for change in ({"ata_chapter": "7"}, {"planned_start": "2025-02-30"}):
        assert not _schema_ok("IntegrationCase", {**good, **change}), change
        assert not _ontology_ok("IntegrationCase", {**good, **change}), change


def test_missing_required_property_fails_both() -> None:
    record = {k: v for k, v in GOOD_DEPLOYMENT.items() if k != "deployment_id"}
    assert not _schema_ok("Deployment", record)
    assert not _ontology_ok("Deployment", record)


# ---- agreement on generated records ------------------------------------------------------

_TEXT = st.text(string.ascii_letters + string.digits + " -_.:/", min_size=1, max_size=12).filter(
    lambda s: s == s.strip() and bool(s)
)


def _value(prop: Property) -> st.SearchStrategy[Any]:
    """A canonical JSON value of one property (what the schemas describe)."""
    kind = prop.type
    if kind is PropertyType.ENUM:
        enum = ONTOLOGY.enum_of(prop)
        assert enum is not None
        return st.sampled_from(enum.values)
    if kind is PropertyType.STRING:
        if prop.pattern:
            return st.from_regex(prop.pattern, fullmatch=True).filter(lambda s: s == s.strip())
        return _TEXT
    if kind in (PropertyType.INT, PropertyType.LONG):
        bits = 31 if kind is PropertyType.INT else 63
        lo = int(prop.minimum) if prop.minimum is not None else -(2**bits)
        hi = int(prop.maximum) if prop.maximum is not None else 2**bits - 1
        return st.integers(lo, hi)
    if kind is PropertyType.FLOAT:
        return st.floats(prop.minimum, prop.maximum, allow_nan=False, allow_infinity=False)
    if kind is PropertyType.BOOL:
        return st.booleans()
    if kind is PropertyType.DATE:
        return st.dates(dt.date(1970, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat)
    if kind is PropertyType.DATETIME:
        return st.datetimes(
            dt.datetime(1970, 1, 2), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
        ).map(dt.datetime.isoformat)
    if kind is PropertyType.STRING_LIST:
        return st.lists(_TEXT, max_size=3)
    return st.dictionaries(_TEXT, st.integers() | _TEXT, max_size=3)


#: Per type, a value both validators must refuse (datetimes: jsonschema checks
#: the date-time format only with an optional package, so use a wrong JSON type).
_BAD: dict[PropertyType, Any] = {
    PropertyType.STRING: 12345,
    PropertyType.INT: "many",
    PropertyType.LONG: "lots",
    PropertyType.FLOAT: "much",
    PropertyType.BOOL: "maybe",
    PropertyType.DATE: "2024-13-45",
    PropertyType.DATETIME: ["2024-01-01"],
    PropertyType.ENUM: "NotAValue",
    PropertyType.STRING_LIST: 5,
    PropertyType.JSON: 5,
}


@st.composite
def _record(draw: st.DrawFn, object_type: ObjectType) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for prop in object_type.properties:
        if prop.required or draw(st.booleans()):
            record[prop.name] = (
                draw(_value(prop) | st.none()) if not prop.required else draw(_value(prop))
            )
    return record


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, dict[str, Any], str]:
    """(type, record, how it was spoiled or 'good')."""
    ot = draw(st.sampled_from(ONTOLOGY.object_types))
    record = draw(_record(ot))
    how = draw(st.sampled_from(["good", "good", "bad value", "missing", "extra"]))
    if how == "bad value":
        prop = draw(st.sampled_from(ot.properties))
        record[prop.name] = _BAD[prop.type]
    elif how == "missing":
        prop = draw(st.sampled_from([p for p in ot.properties if p.required]))
        record.pop(prop.name, None)
    elif how == "extra":
        record["not_declared_anywhere"] = "x"
    return ot.name, record, how


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case())
def test_schema_and_validation_agree(case: tuple[str, dict[str, Any], str]) -> None:
    type_name, record, how = case
    schema_ok = _schema_ok(type_name, record)
    assert schema_ok == _ontology_ok(type_name, record), (type_name, record)
    assert schema_ok == (how == "good")
