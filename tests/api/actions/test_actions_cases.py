"""flagRisk, uploadEvidence, requestValidation: what they create and how they link it."""

from __future__ import annotations

import pytest
from actionkit import ACTOR, assert_logged, obj, out, put, run

from opencase.errors import ActionError
from opencase.graph import GraphStore
from opencase.ontology import ids


def test_flag_risk_on_a_case_hangs_it_on_the_case(store: GraphStore, model: dict[str, str]) -> None:
    outcome = run(store, "flagRisk", target_id=model["case"], title="late data", severity="High")
    (risk,) = outcome.created_ids
    props = obj(store, risk).properties
    assert (props["title"], props["severity"], props["status"]) == ("late data", "High", "Open")
    assert props["opened_on"] is not None
    assert out(store, model["case"], "case-has-risk") == {risk}
    assert_logged(store, outcome)


@pytest.mark.parametrize("target", ["model", "version"])
def test_flag_risk_on_a_model_or_version_applies_to_it(
    store: GraphStore, model: dict[str, str], target: str
) -> None:
    person = put(store, "Person", person_id="eve@x.com", name="Eve")
    outcome = run(
        store,
        "flagRisk",
        target_id=model[target],
        title="bias",
        severity="Critical",
        owner_id=person,
        mitigation_plan="re-sample",
    )
    (risk,) = outcome.created_ids
    assert out(store, risk, "risk-applies-to") == {model[target]}
    assert out(store, risk, "risk-owned-by") == {person}
    assert obj(store, risk).properties["mitigation_plan"] == "re-sample"
    assert set(outcome.touched_ids) == {risk, model[target], person}


def test_flag_risk_refuses_a_target_it_cannot_apply_to(
    store: GraphStore, model: dict[str, str]
) -> None:
    before = store.stats()
    with pytest.raises(ActionError, match="target_id must be the id of a"):
        run(store, "flagRisk", target_id=model["gate"], title="x", severity="Low")
    assert store.stats() == before


@pytest.mark.parametrize(
    ("make", "link"),
    [
        ("case", "case-has-artifact"),
        ("gate", "gate-has-evidence"),
        ("task", "task-has-evidence"),
    ],
)
def test_upload_evidence_links_by_target_type(
    store: GraphStore, model: dict[str, str], make: str, link: str
) -> None:
    model["task"] = put(store, "IntegrationTask", task_id="T-1", title="t", status="NotStarted")
    outcome = run(
        store, "uploadEvidence", target_id=model[make], name="qg2.pdf", uri="s3://ev/qg2.pdf"
    )
    (artifact,) = outcome.created_ids
    assert artifact == f"artifact:{ids.md5_key(model[make], 'qg2.pdf', 's3://ev/qg2.pdf')}"
    props = obj(store, artifact).properties
    assert (props["type"], props["uploaded_by"]) == ("evidence", ACTOR)
    assert out(store, model[make], link) == {artifact}
    assert_logged(store, outcome)


def test_uploading_the_same_evidence_again_updates_it(
    store: GraphStore, model: dict[str, str]
) -> None:
    first = run(store, "uploadEvidence", target_id=model["gate"], name="a.pdf", uri="s3://a")
    again = run(
        store, "uploadEvidence", target_id=model["gate"], name="a.pdf", uri="s3://a", note="v2"
    )
    assert again.created_ids == []
    assert again.touched_ids[0] == first.created_ids[0]
    assert obj(store, first.created_ids[0]).properties["note"] == "v2"
    assert store.stats()["Artifact"] == 1


def test_request_validation_opens_a_running_report(
    store: GraphStore, model: dict[str, str]
) -> None:
    run(
        store,
        "setModelVersionStatus",
        model_version_id=model["version"],
        status="ReadyForValidation",
    )
    outcome = run(
        store,
        "requestValidation",
        model_version_id=model["version"],
        case_id=model["case"],
        validator="val-team",
        type="robustness",
    )
    (report,) = outcome.created_ids
    props = obj(store, report).properties
    assert (props["outcome"], props["validator"], props["type"]) == (
        "Running",
        "val-team",
        "robustness",
    )
    assert out(store, model["version"], "model-version-validated-by") == {report}
    assert out(store, model["case"], "case-has-validation") == {report}
    assert obj(store, model["version"]).properties["status"] == "Validating"
    assert_logged(store, outcome)


def test_request_validation_leaves_a_draft_version_alone(
    store: GraphStore, model: dict[str, str]
) -> None:
    run(store, "requestValidation", model_version_id=model["version"])
    assert obj(store, model["version"]).properties["status"] == "Draft"
