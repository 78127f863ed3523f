"""MLflow sync benchmark: 5,000 runs x 10 metrics in a local SQLite MLflow store.

Targets (issue 5): the first sync takes at most 1.5x the time the MLflow client
alone needs to read the same runs, metrics and versions; a re-sync with no
change takes under 10% of the first sync. The store is generated through
MLflow's own SQLAlchemy models in one transaction (creating 5,000 runs through
the client takes minutes) and then read only through the client, like a user's.
"""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

from mlflow import MlflowClient
from mlflow.entities import ViewType
from mlflow.store.tracking.dbmodels import models as orm
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from bench.harness import BenchArgs, Row
from opencase.graph import open_store
from opencase.loaders.mlflow import MlflowSyncConfig, sync_mlflow

RUNS = 5_000
METRICS = 10
MODELS = 50
VERSIONS_PER_MODEL = 2
PAGE = 1_000


def run(args: BenchArgs) -> list[Row]:
    runs = min(RUNS, *args.scales)  # `--scales 500` gives a quick run; the target is at 5,000
    work = Path(args.workdir) / f"mlflow-{runs}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    uri, experiment_id = _generate(work, runs)
    baseline = min(_client_read(uri, experiment_id) for _ in range(2))
    config = MlflowSyncConfig(tracking_uri=uri, state_path=str(work / "state.json"))
    with open_store(str(work / "graph")) as store:
        store.install_schema()
        first, report = _timed(lambda: sync_mlflow(store, config))
        objects = report.created
        resync, again = _timed(lambda: sync_mlflow(store, config))
        full, _ = _timed(lambda: sync_mlflow(store, config.model_copy(update={"full": True})))
    assert again.nothing_changed, "a re-sync without changes must write nothing"
    ratio, share = first / baseline, resync / first
    return [
        Row("mlflow", runs, "client read (runs, metrics, versions)", baseline, "s",
            note=f"{runs} runs x {METRICS} metrics, {MODELS * VERSIONS_PER_MODEL} versions"),
        Row("mlflow", runs, "first sync", first, "s", note=f"{objects:,} objects created"),
        Row("mlflow", runs, "first sync / client read", ratio, "x", target="<= 1.5"),
        Row("mlflow", runs, "re-sync, nothing changed", resync, "s"),
        Row("mlflow", runs, "re-sync / first sync", share * 100, "%", target="< 10"),
        Row("mlflow", runs, "--full re-sync (no duplicates)", full, "s"),
    ]  # fmt: skip


def _timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def _client_read(uri: str, experiment_id: str) -> float:
    """What the MLflow client alone needs: every page of runs (metrics, params, tags), registry."""
    client = MlflowClient(tracking_uri=uri)
    start = time.perf_counter()
    token: str | None = None
    while True:
        page = client.search_runs(
            [experiment_id], run_view_type=ViewType.ACTIVE_ONLY, max_results=PAGE, page_token=token
        )
        token = page.token
        if not token:
            break
    client.search_registered_models(max_results=1000)
    client.search_model_versions(max_results=10_000)
    return time.perf_counter() - start


def _generate(work: Path, runs: int) -> tuple[str, str]:
    uri = f"sqlite:///{work / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri)
    experiment_id = client.create_experiment("bench", artifact_location=str(work / "artifacts"))
    now = int(time.time() * 1000) - runs * 1000
    ids = [uuid.uuid4().hex for _ in range(runs)]
    engine = create_engine(uri)
    with Session(engine) as session, session.begin():
        for i, rid in enumerate(ids):
            start = now + i * 1000
            session.add(
                orm.SqlRun(
                    run_uuid=rid, name=f"run-{i}", source_type="LOCAL", source_name="train.py",
                    entry_point_name="", user_id="bench", status="FINISHED", start_time=start,
                    end_time=start + 500, source_version="", lifecycle_stage="active",
                    artifact_uri=str(work / "artifacts" / rid), experiment_id=int(experiment_id),
                )
            )  # fmt: skip
            for j in range(METRICS):
                for table in (orm.SqlMetric, orm.SqlLatestMetric):
                    session.add(
                        table(key=f"m{j}", value=i + j / 10, timestamp=start, step=j,
                              is_nan=False, run_uuid=rid)
                    )  # fmt: skip
            session.add(orm.SqlParam(key="lr", value="0.01", run_uuid=rid))
            session.add(orm.SqlTag(key="mlflow.runName", value=f"run-{i}", run_uuid=rid))
            session.add(orm.SqlTag(key="mlflow.source.git.commit", value="abc123", run_uuid=rid))
    engine.dispose()
    for m in range(MODELS):
        client.create_registered_model(f"model-{m}")
        for v in range(VERSIONS_PER_MODEL):
            rid = ids[(m * VERSIONS_PER_MODEL + v) % runs]
            client.create_model_version(f"model-{m}", source=f"runs:/{rid}/model", run_id=rid)
        client.set_registered_model_alias(f"model-{m}", "champion", "1")
    return uri, experiment_id
