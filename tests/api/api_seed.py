"""A small, hand-checkable lineage and program graph for the API tests.

Three models (A350/A330/A220) with versions, experiments and metrics, a
dataset chain, and tracker actions in programs with partners: enough to give
every filter operator and root field a result whose size is known.
"""

from __future__ import annotations

import datetime as dt

from opencase.graph.store import GraphStore, LinkRecord, ObjectRecord, WriteBatch

MODELS = {
    # key: (name, family, ata, priority, due date, tags)
    "A350:72:engine-health": ("Engine Health", "A350", "72", "High", dt.date(2025, 3, 1), ["prod"]),
    "A330:28:fuel-imbalance": ("Fuel Imbalance", "A330", "28-22", "Low", dt.date(2025, 6, 1), []),
    "A220:21:pack-temp": ("Pack Temperature", "A220", None, None, None, ["chatbot", "prod"]),
}
#: model key -> [(version, status)]
VERSIONS = {
    "A350:72:engine-health": [("1.0", "Approved"), ("1.1", "Validating")],
    "A330:28:fuel-imbalance": [("0.9", "Draft")],
    "A220:21:pack-temp": [],
}
OPEN = ("Planned", "InProgress")


def mw(key: str) -> str:
    return f"model-work:{key}"


def mv(key: str, version: str) -> str:
    return f"model-version:{key}@{version}"


def seed(store: GraphStore) -> None:
    objects: list[ObjectRecord] = []
    links: list[LinkRecord] = []
    for key, (name, family, ata, prio, due, tags) in MODELS.items():
        props = {"model_key": key, "name": name, "ac_family": family, "ata_chapter": ata}
        props |= {"priority": prio, "due_date": due, "tags": tags}
        objects.append(ObjectRecord("ModelWork", props))
        for n, (version, status) in enumerate(VERSIONS[key]):
            vid = f"{key}@{version}"
            objects.append(
                ObjectRecord(
                    "ModelVersion", {"model_version_id": vid, "version": version, "status": status}
                )
            )
            links.append(LinkRecord("model-work-has-version", mw(key), mv(key, version)))
            for e in range(2):
                run = f"mlflow:{key}:{n}{e}"
                start = dt.datetime(2025, 1, 1 + e, 12, tzinfo=dt.UTC)
                objects.append(
                    ObjectRecord(
                        "Experiment",
                        {
                            "run_key": run,
                            "tracking_system": "mlflow",
                            "run_id": run,
                            "run_name": f"{name} run {n}{e}",
                            "seed": e,
                            "start_time": start,
                        },
                    )
                )
                links.append(
                    LinkRecord(
                        "model-version-has-experiment", mv(key, version), f"experiment:{run}"
                    )
                )
                metric = f"{run}|auc"
                objects.append(
                    ObjectRecord(
                        "Metric",
                        {
                            "metric_id": metric,
                            "name": "auc",
                            "value": 0.8 + e / 10,
                            "compliant": e == 1,
                        },
                    )
                )
                links.append(
                    LinkRecord(
                        "experiment-produced-metric", f"experiment:{run}", f"metric:{metric}"
                    )
                )
    objects.append(ObjectRecord("Dataset", {"dataset_id": "flights", "name": "Flight data"}))
    for d in ("v1", "v2"):
        objects.append(
            ObjectRecord("DatasetVersion", {"dataset_version_id": f"flights@{d}", "version_id": d})
        )
        links.append(
            LinkRecord("dataset-has-version", "dataset:flights", f"dataset-version:flights@{d}")
        )
    links.append(
        LinkRecord(
            "dataset-version-derived-from",
            "dataset-version:flights@v2",
            "dataset-version:flights@v1",
        )
    )
    links.append(
        LinkRecord(
            "experiment-used-dataset",
            "experiment:mlflow:A350:72:engine-health:00",
            "dataset-version:flights@v2",
        )
    )
    for code in ("A350", "A330"):
        objects.append(ObjectRecord("Program", {"code": code}))
    for partner in ("GE", "Liebherr"):
        objects.append(ObjectRecord("Partner", {"name": partner}))
    actions = [
        ("a1", "A350", "GE", "Planned"),
        ("a2", "A350", "GE", "InProgress"),
        ("a3", "A350", "Liebherr", "Planned"),
        ("a4", "A330", "GE", "Completed"),
        ("a5", "A330", "Liebherr", "Planned"),
    ]
    for aid, program, partner, status in actions:
        objects.append(
            ObjectRecord(
                "Action",
                {
                    "action_id": aid,
                    "title": f"Action {aid}",
                    "status": status,
                    "program_code": program,
                    "partner_name": partner,
                    "source_system": "daia",
                    "source_id": aid,
                },
            )
        )
        links.append(LinkRecord("daia-action-in-program", f"action:{aid}", f"program:{program}"))
        links.append(LinkRecord("daia-action-with-partner", f"action:{aid}", f"partner:{partner}"))
    links.append(LinkRecord("daia-action-about-model", "action:a1", mw("A350:72:engine-health")))
    store.write(WriteBatch(objects=objects, links=links))
