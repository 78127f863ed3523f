"""Every seed system of /work/shared/ONTOLOGY.md stays representable."""

from __future__ import annotations

import pytest

from opencase.ontology import ONTOLOGY, PropertyType

OBJECT_TYPES = [
    "ModelWork",
    "ModelVersion",
    "Experiment",
    "Metric",
    "Artifact",
    "Dataset",
    "DatasetVersion",
    "ValidationReport",
    "Gate",
    "Deployment",
    "Release",
    "MpvalPushRequest",
    "WorkflowPipeline",
    "DriftReport",
    "Alert",
    "RiskIssue",
    "Tool",
    "Policy",
    "IntegrationCase",
    "IntegrationTask",
    "WorkPackage",
    "Action",
    "StatusUpdate",
    "KPI",
    "Partner",
    "Program",
    "Person",
    "ActionLog",
]

#: (link API name, source, one of its targets) as the inventory lists them.
LINKS = (
    ("model-work-has-version", "ModelWork", "ModelVersion"),
    ("model-version-has-experiment", "ModelVersion", "Experiment"),
    ("experiment-produced-metric", "Experiment", "Metric"),
    ("experiment-produced-artifact", "Experiment", "Artifact"),
    ("experiment-used-dataset", "Experiment", "DatasetVersion"),
    ("dataset-version-derived-from", "DatasetVersion", "DatasetVersion"),
    ("model-version-validated-by", "ModelVersion", "ValidationReport"),
    ("gate-references-report", "Gate", "ValidationReport"),
    ("gate-advances-version", "Gate", "ModelVersion"),
    ("person-approves-gate", "Person", "Gate"),
    ("release-packages-version", "Release", "ModelVersion"),
    ("release-includes-artifact", "Release", "Artifact"),
    ("deployment-deploys-version", "Deployment", "ModelVersion"),
    ("deployment-of-release", "Deployment", "Release"),
    ("risk-applies-to", "RiskIssue", "ModelWork"),
    ("risk-applies-to", "RiskIssue", "ModelVersion"),
    ("tool-used-in", "Tool", "Experiment"),
    ("tool-used-in", "Tool", "ValidationReport"),
    ("policy-governs", "Policy", "Dataset"),
    ("policy-governs", "Policy", "ModelWork"),
    ("policy-governs", "Policy", "Deployment"),
    ("daia-action-about-model", "Action", "ModelWork"),
    ("daia-action-assigned-to", "Action", "Person"),
    ("daia-action-in-program", "Action", "Program"),
    ("daia-action-with-partner", "Action", "Partner"),
    ("daia-action-has-update", "Action", "StatusUpdate"),
    ("daia-model-by-partner", "ModelWork", "Partner"),
    ("daia-model-owned-by", "ModelWork", "Person"),
    ("daia-model-integrated-by-case", "ModelWork", "IntegrationCase"),
    ("case-has-task", "IntegrationCase", "IntegrationTask"),
    ("case-has-gate", "IntegrationCase", "Gate"),
    ("case-has-risk", "IntegrationCase", "RiskIssue"),
    ("case-has-artifact", "IntegrationCase", "Artifact"),
    ("case-has-push-request", "IntegrationCase", "MpvalPushRequest"),
    ("case-for-partner", "IntegrationCase", "Partner"),
    ("case-in-work-package", "IntegrationCase", "WorkPackage"),
    ("case-binds-model-version", "IntegrationCase", "ModelVersion"),
    ("push-request-for-version", "MpvalPushRequest", "ModelVersion"),
    ("action-log-about", "ActionLog", "ModelWork"),
    ("action-log-about", "ActionLog", "Deployment"),
)


@pytest.mark.parametrize("name", OBJECT_TYPES)
def test_object_type_is_declared_with_a_key_and_title(name: str) -> None:
    ot = ONTOLOGY.object_type(name)
    assert ot.prop(ot.primary_key).required
    assert ot.has_property(ot.title_property)
    assert ONTOLOGY.object_type(ot.api_name) is ot


@pytest.mark.parametrize(("api_name", "source", "target"), LINKS)
def test_link_type_connects_the_inventory_types(api_name: str, source: str, target: str) -> None:
    lt = ONTOLOGY.link_type(api_name)
    assert lt.source == source
    assert target in lt.targets


def test_action_log_can_point_at_every_other_object_type() -> None:
    targets = set(ONTOLOGY.link_type("action-log-about").targets)
    assert targets == {ot.name for ot in ONTOLOGY.object_types} - {"ActionLog"}


@pytest.mark.parametrize(
    ("type_name", "prop", "values"),
    [
        ("ModelWork", "ac_family", {"A220", "A300", "A320", "A330", "A350"}),
        ("ModelWork", "process_gate", {"QG0", "QG1", "QG2", "QG3", "QG4"}),
        ("Deployment", "environment", {"DEV", "TEST", "STAGE", "MPVAL", "PROD"}),
        ("Deployment", "status", {"deploying", "success", "failed", "terminated"}),
        ("ValidationReport", "outcome", {"Running", "Passed", "Failed", "Blocked"}),
        (
            "MpvalPushRequest",
            "status",
            {"Requested", "Running", "Succeeded", "Failed", "Cancelled"},
        ),
        ("RiskIssue", "status", {"Open", "Mitigating", "Closed", "Deferred"}),
        (
            "Action",
            "status",
            {"Proposed", "Planned", "InProgress", "WaitingResponse", "Blocked", "Completed"},
        ),
    ],
)
def test_seed_vocabularies_are_enums(type_name: str, prop: str, values: set[str]) -> None:
    p = ONTOLOGY.object_type(type_name).prop(prop)
    assert p.type is PropertyType.ENUM
    enum = ONTOLOGY.enum_of(p)
    assert enum is not None
    assert values <= set(enum.values)


def test_ata_chapter_pattern_is_declared_where_seeds_use_it() -> None:
    for type_name in ("ModelWork", "IntegrationCase", "Action"):
        assert (
            ONTOLOGY.object_type(type_name).prop("ata_chapter").pattern == r"^[0-9]{2}(-[0-9]{2})?$"
        )
