"""Records and the seed graph the contract tests share."""

from __future__ import annotations

import datetime as dt

from opencase.graph import LinkRecord, ObjectRecord, WriteBatch


def work(key: str, name: str, **extra: object) -> ObjectRecord:
    return ObjectRecord("ModelWork", {"model_key": key, "name": name, **extra})


def version(key: str, number: str = "1", **extra: object) -> ObjectRecord:
    return ObjectRecord("ModelVersion", {"model_version_id": key, "version": number, **extra})


def run(key: str, **extra: object) -> ObjectRecord:
    return ObjectRecord(
        "Experiment", {"run_key": key, "run_id": key, "tracking_system": "mlflow", **extra}
    )


def link(api: str, source: str, target: str, **props: object) -> LinkRecord:
    return LinkRecord(api, source, target, props)


#: The seed graph most read tests share:
#:   w1 -has-version-> v1, v2 ; w2 -has-version-> v3 ; w3 alone
#:   v1 -has-experiment-> e1 -has-child-run-> e3 ; v2 -has-experiment-> e2
#:   e1 -used-dataset(context=training)-> dv1 <-has-version- d1
SEED = WriteBatch(
    objects=[
        work(
            "w1",
            "Engine health",
            priority="High",
            tags=["engine", "hpc"],
            created_on=dt.date(2024, 1, 10),
            description="Predicts wear of the high-pressure compressor",
            metadata={"owner": "team-a", "n": 1},
        ),
        work("w2", "Cabin noise", priority="Low", tags=["cabin"], created_on=dt.date(2024, 3, 1)),
        work("w3", "Brake wear", created_on=dt.date(2023, 12, 24)),
        version("v1", "1", status=None),
        version("v2", "2"),
        version("v3", "1"),
        run("e1", seed=1, start_time=dt.datetime(2024, 1, 11, 8, 30, tzinfo=dt.UTC)),
        run("e2", seed=2),
        run("e3", seed=3),
        ObjectRecord("Dataset", {"dataset_id": "d1", "name": "Flight logs"}),
        ObjectRecord("DatasetVersion", {"dataset_version_id": "dv1", "version_id": "2024-01"}),
    ],
    links=[
        link("model-work-has-version", "model-work:w1", "model-version:v1"),
        link("model-work-has-version", "model-work:w1", "model-version:v2"),
        link("model-work-has-version", "model-work:w2", "model-version:v3"),
        link("model-version-has-experiment", "model-version:v1", "experiment:e1"),
        link("model-version-has-experiment", "model-version:v2", "experiment:e2"),
        link("experiment-has-child-run", "experiment:e1", "experiment:e3"),
        link("experiment-used-dataset", "experiment:e1", "dataset-version:dv1", context="training"),
        link("dataset-has-version", "dataset:d1", "dataset-version:dv1"),
    ],
)


def minimal(type_name: str, key: str) -> ObjectRecord:
    """An object of any type with only its required properties, from the ontology."""
    from opencase.ontology import ONTOLOGY, PropertyType

    ot = ONTOLOGY.object_type(type_name)
    values: dict[str, object] = {}
    for p in ot.properties:
        if not p.required:
            continue
        if p.name == ot.primary_key:
            values[p.name] = key
        elif p.type == PropertyType.ENUM:
            values[p.name] = ONTOLOGY.enum(p.enum or "").values[0]
        elif p.type == PropertyType.DATETIME:
            values[p.name] = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        elif p.type == PropertyType.DATE:
            values[p.name] = dt.date(2024, 1, 1)
        elif p.type in (PropertyType.FLOAT, PropertyType.INT, PropertyType.LONG):
            values[p.name] = 1
        elif p.type == PropertyType.BOOL:
            values[p.name] = True
        else:
            values[p.name] = _text_for(p.pattern, f"{p.name} {key}", key)
    return ObjectRecord(ot.name, values)


def _text_for(pattern: str | None, *candidates: str) -> str:
    """The first candidate the property's pattern accepts (a slug-like key usually does)."""
    import re

    for text in (*candidates, "a", "00", "x-1"):
        if pattern is None or re.search(pattern, text):
            return text
    raise AssertionError(f"no sample text fits {pattern!r}")
