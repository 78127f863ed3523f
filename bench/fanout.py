"""Per-model fan-out of the synthetic graph: versions, runs, releases, a case, tracker actions.

Split from :mod:`bench.generate` (which owns the shared pools and the entry
point) so each module stays small; every builder appends to one :class:`Graph`.
"""

from __future__ import annotations

import datetime as dt

from bench.generate import ACTIONS, ARTIFACTS, METRICS, RUNS, UPDATES, VERSIONS, Graph
from opencase.ontology.ids import model_key, slug


def build_model(g: Graph, m: int, pools: dict[str, list[str]]) -> None:
    rng = g.rng
    family = g.pick("ModelWork", "ac_family")
    ata = f"{rng.randrange(21, 80):02d}"
    name = f"model {m} {rng.choice(['egt', 'fuel', 'bleed', 'apu', 'brake'])} health"
    key = model_key(family, ata, name)
    partner, owner = rng.choice(pools["partner"]), rng.choice(pools["person"])
    mw = g.add(
        "ModelWork",
        model_key=key,
        name=name,
        ac_family=family,
        ata_chapter=ata,
        process_gate=g.pick("ModelWork", "process_gate"),
        priority=g.pick("ModelWork", "priority"),
        created_on=g.when().date(),
        tags=rng.sample(["production", "pilot", "chatbot", "anomaly"], 2),
    )
    g.link("daia-model-by-partner", mw, partner)
    g.link("daia-model-owned-by", mw, owner)
    g.link("daia-model-in-work-package", mw, rng.choice(pools["work_package"]))
    for ds in rng.sample(pools["dataset"], 2):
        g.link("model-work-uses-dataset", mw, ds)
    versions = [_version(g, key, mw, v, pools) for v in range(VERSIONS)]
    _case(g, key, mw, versions[-1], partner, pools)
    _actions(g, key, mw, family, partner, pools)
    kpi = g.add("KPI", kpi_id=f"{key}|kpi", name="AUC", value=rng.random(), target=0.9)
    g.link("model-work-has-kpi", mw, kpi)


def _version(g: Graph, key: str, mw: str, v: int, pools: dict[str, list[str]]) -> str:
    rng = g.rng
    version = f"1.{v}.0"
    mv = g.add(
        "ModelVersion",
        model_version_id=f"{key}@{version}",
        version=version,
        model_key=key,
        status=g.pick("ModelVersion", "status"),
        created_on=g.when().date(),
        libraries=["numpy", "torch"],
    )
    g.link("model-work-has-version", mw, mv)
    first_artifact = ""
    for r in range(RUNS):
        run_id = f"{slug(key)}-{v}-{r}"
        start = g.when()
        exp = g.add(
            "Experiment",
            run_key=f"mlflow:{run_id}",
            tracking_system="mlflow",
            run_id=run_id,
            experiment_name=f"{key} training",
            run_name=f"run {v}.{r}",
            parameters={"lr": rng.choice([0.1, 0.01, 0.001]), "epochs": rng.randrange(5, 50)},
            status=g.pick("Experiment", "status"),
            start_time=start,
            end_time=start + dt.timedelta(minutes=rng.randrange(5, 600)),
            seed=rng.randrange(1000),
        )
        g.link("model-version-has-experiment", mv, exp)
        for dv in rng.sample(pools["dataset_version"], rng.randrange(1, 3)):
            g.link(
                "experiment-used-dataset", exp, dv, context=rng.choice(["training", "evaluation"])
            )
        g.link("tool-used-in", rng.choice(pools["tool"]), exp)
        for i, metric in enumerate(("auc", "precision", "recall", "loss")[:METRICS]):
            met = g.add(
                "Metric",
                metric_id=f"mlflow:{run_id}|{metric}",
                name=metric,
                value=rng.random(),
                step=i,
                timestamp=start,
            )
            g.link("experiment-produced-metric", exp, met)
        for a in range(ARTIFACTS):
            art = g.add(
                "Artifact",
                artifact_id=f"mlflow:{run_id}/a{a}",
                name=f"artifact-{a}.bin",
                type=g.pick("Artifact", "type"),
                uri=f"s3://runs/{run_id}/a{a}",
                size_bytes=rng.randrange(10**3, 10**9),
            )
            g.link("experiment-produced-artifact", exp, art)
            first_artifact = first_artifact or art
    _release_path(g, key, mw, mv, version, first_artifact, pools)
    return mv


def _release_path(
    g: Graph, key: str, mw: str, mv: str, version: str, artifact: str, pools: dict[str, list[str]]
) -> None:
    rng = g.rng
    report = g.add(
        "ValidationReport",
        report_id=f"{key}@{version}|val",
        name=f"validation of {version}",
        outcome=g.pick("ValidationReport", "outcome"),
        date=g.when(),
    )
    g.link("model-version-validated-by", mv, report)
    gate = g.add(
        "Gate",
        gate_id=f"{key}@{version}|gate",
        name=f"QG for {version}",
        type=g.pick("Gate", "type"),
        status=g.pick("Gate", "status"),
    )
    g.link("gate-advances-version", gate, mv)
    g.link("gate-references-report", gate, report)
    g.link("person-approves-gate", rng.choice(pools["person"]), gate)
    quant = rng.choice(["fp16", "int8", "int4"])
    release = g.add(
        "Release",
        release_id=f"{key}|{version}|{quant}",
        version=version,
        model_key=key,
        tag=f"v{version}-{quant}",
        quantization=quant,
        created_at=g.when(),
    )
    g.link("model-work-has-release", mw, release)
    g.link("release-packages-version", release, mv)
    g.link("release-includes-artifact", release, artifact)
    dep_id = f"{slug(key)}-{version}-{quant}"
    dep = g.add(
        "Deployment",
        deployment_id=dep_id,
        name=dep_id,
        environment=g.pick("Deployment", "environment"),
        endpoint_url=f"https://serve.example/{dep_id}/v1",
        replicas=rng.randrange(1, 4),
        status=g.pick("Deployment", "status"),
        deployed_at=g.when(),
    )
    g.link("deployment-of-release", dep, release)
    g.link("deployment-deploys-version", dep, mv)
    if rng.random() < 0.5:
        drift = g.add(
            "DriftReport", report_id=f"{dep_id}|drift", drift_score=rng.random(), method="psi"
        )
        g.link("deployment-has-drift-report", dep, drift)
    if rng.random() < 0.2:
        alert = g.add(
            "Alert",
            alert_id=f"{dep_id}|alert",
            title="latency above SLO",
            severity=g.pick("Alert", "severity"),
        )
        g.link("deployment-raised-alert", dep, alert)


def _case(g: Graph, key: str, mw: str, mv: str, partner: str, pools: dict[str, list[str]]) -> None:
    rng = g.rng
    case = g.add(
        "IntegrationCase",
        case_id=f"case-{slug(key)}",
        name=f"Integration of {key}",
        status=g.pick("IntegrationCase", "status"),
        env_target=g.pick("IntegrationCase", "env_target"),
        sla_days=rng.randrange(10, 90),
    )
    g.link("daia-model-integrated-by-case", mw, case)
    g.link("case-binds-model-version", case, mv)
    g.link("case-for-partner", case, partner)
    g.link("case-in-work-package", case, rng.choice(pools["work_package"]))
    for t in range(2):
        task = g.add(
            "IntegrationTask",
            task_id=f"case-{slug(key)}-t{t}",
            title=f"Task {t} of {key}",
            status=g.pick("IntegrationTask", "status"),
            percent_complete=rng.randrange(0, 101),
        )
        g.link("case-has-task", case, task)
        g.link("task-assigned-to", task, rng.choice(pools["person"]))
    risk = g.add(
        "RiskIssue",
        risk_id=f"case-{slug(key)}-risk",
        title="Data drift on new fleet",
        severity=g.pick("RiskIssue", "severity"),
        status=g.pick("RiskIssue", "status"),
    )
    g.link("case-has-risk", case, risk)
    g.link("risk-applies-to", risk, mw)
    push = g.add(
        "MpvalPushRequest",
        push_id=f"push-{slug(key)}",
        status=g.pick("MpvalPushRequest", "status"),
        requested_at=g.when(),
    )
    g.link("case-has-push-request", case, push)
    g.link("push-request-for-version", push, mv)


def _actions(
    g: Graph, key: str, mw: str, family: str, partner: str, pools: dict[str, list[str]]
) -> None:
    rng = g.rng
    program = next(p for p in pools["program"] if p.endswith(f":{family}"))
    for a in range(ACTIONS):
        action = g.add(
            "Action",
            action_id=f"{slug(key)}-a{a}",
            title=f"Follow up {a} on {key}",
            status=g.pick("Action", "status"),
            priority=g.pick("Action", "priority"),
            source_system="DAIA",
            source_id=f"{slug(key)}-{a}",
            due_on=g.when().date(),
        )
        g.link("daia-action-about-model", action, mw)
        g.link("daia-action-assigned-to", action, rng.choice(pools["person"]))
        g.link("daia-action-in-program", action, program)
        g.link("daia-action-with-partner", action, partner)
        for u in range(UPDATES):
            update = g.add(
                "StatusUpdate",
                update_id=f"{slug(key)}-a{a}-u{u}",
                body=f"Update {u}: waiting for partner data",
                created_at=g.when(),
                position=u,
            )
            g.link("daia-action-has-update", action, update)
