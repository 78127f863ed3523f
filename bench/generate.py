"""A synthetic lineage graph with the fan-out the seeds describe, for benchmarks and demos.

Each model has versions, each version runs, each run metrics and artifacts;
runs read shared dataset versions that form derived-from chains; versions go
through validation, gates, releases and deployments (with endpoints, drift
reports and alerts); every model has an integration case with tasks, risks and
an MPVAL push, and tracker actions with status updates; people, partners,
programs, tools, work packages and policies are shared pools. Records are
valid against the ontology and deterministic for a given ``(objects, seed)``.

``generate(objects)`` aims at ``objects`` objects (within about one model's
worth, ~95 objects) and about 1.5 links per object.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from opencase.graph.store import LinkRecord, ObjectRecord
from opencase.ontology import ONTOLOGY

#: Objects generated per model, including its share of the shared pools (measured).
OBJECTS_PER_MODEL = 94.6
VERSIONS, RUNS, METRICS, ARTIFACTS, ACTIONS, UPDATES = 3, 3, 4, 2, 2, 2
DATASET_CHAIN = 4
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


class Graph:
    """Accumulates records; ids come from the ontology so they match what the store computes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.objects: list[ObjectRecord] = []
        self.links: list[LinkRecord] = []
        self._api = {ot.name: ot.api_name for ot in ONTOLOGY.object_types}
        self._pk = {ot.name: ot.primary_key for ot in ONTOLOGY.object_types}

    def add(self, type_name: str, **props: Any) -> str:
        self.objects.append(ObjectRecord(type_name, props))
        return f"{self._api[type_name]}:{props[self._pk[type_name]]}"

    def link(self, api_name: str, source: str, target: str, **props: Any) -> None:
        self.links.append(LinkRecord(api_name, source, target, props))

    def pick(self, type_name: str, prop: str) -> str:
        """A random value of an enum property, from the ontology's vocabulary."""
        enum = ONTOLOGY.enum_of(ONTOLOGY.object_type(type_name).prop(prop))
        assert enum is not None, (type_name, prop)
        return self.rng.choice(enum.values)

    def when(self, days: int = 700) -> dt.datetime:
        return T0 + dt.timedelta(minutes=self.rng.randrange(days * 24 * 60))


def generate(objects: int, seed: int = 7) -> tuple[list[ObjectRecord], list[LinkRecord]]:
    """About ``objects`` objects and their links, valid against the ontology."""
    g = Graph(seed)
    models = max(1, round(objects / OBJECTS_PER_MODEL))
    pools = _pools(g, models)
    from bench.fanout import build_model  # fan-out builders import Graph from here

    for m in range(models):
        build_model(g, m, pools)
    return g.objects, g.links


def _pools(g: Graph, models: int) -> dict[str, list[str]]:
    rng = g.rng
    family = ONTOLOGY.enum("AircraftFamily").values
    pools: dict[str, list[str]] = {
        "program": [g.add("Program", code=f, name=f"Airbus {f} programme") for f in family]
    }
    pools["partner"] = [
        g.add("Partner", name=f"Partner {i:03d}", country=rng.choice(["FR", "DE", "US", "GB"]))
        for i in range(max(3, models // 50))
    ]
    pools["person"] = [
        g.add(
            "Person",
            person_id=f"person{i}@example.com",
            name=f"Person {i}",
            email=f"person{i}@example.com",
            roles=rng.sample(["owner", "approver", "validator"], 2),
        )
        for i in range(max(5, models // 5))
    ]
    pools["tool"] = [
        g.add("Tool", tool_id=f"tool-{i}", name=f"Tool {i}", version=f"{i % 4}.{i % 7}")
        for i in range(max(5, models // 100 + 5))
    ]
    pools["work_package"] = []
    for i in range(max(1, models // 20)):
        wp = g.add("WorkPackage", work_package_id=f"wp-{i}", title=f"Development schedule {i}")
        g.link("work-package-for-partner", wp, rng.choice(pools["partner"]))
        g.link("work-package-in-program", wp, rng.choice(pools["program"]))
        pools["work_package"].append(wp)
    pools["dataset"], pools["dataset_version"] = [], []
    for i in range(max(2, models // 4)):
        ds = g.add(
            "Dataset",
            dataset_id=f"ds-{i}",
            name=f"Flight data set {i}",
            source_system=rng.choice(["skywise", "s3", "hdfs"]),
            pii=rng.random() < 0.1,
        )
        pools["dataset"].append(ds)
        previous = None
        for v in range(DATASET_CHAIN):
            dv = g.add(
                "DatasetVersion",
                dataset_version_id=f"ds-{i}@v{v}",
                version_id=f"v{v}",
                dataset_id=f"ds-{i}",
                size_bytes=rng.randrange(10**6, 10**10),
                file_count=rng.randrange(1, 500),
                created_at=g.when(),
            )
            g.link("dataset-has-version", ds, dv)
            if previous is not None:
                g.link("dataset-version-derived-from", dv, previous)
            previous = dv
            pools["dataset_version"].append(dv)
    pools["policy"] = []
    for i in range(max(2, models // 100)):
        policy = g.add(
            "Policy", policy_id=f"pol-{i}", name=f"Policy {i}", type=g.pick("Policy", "type")
        )
        for ds in rng.sample(pools["dataset"], min(3, len(pools["dataset"]))):
            g.link("policy-governs", policy, ds)
        pools["policy"].append(policy)
    return pools
