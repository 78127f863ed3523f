"""Releases and where they run (seed 004 Catapult, seed 000 MPVAL pushes)."""

from __future__ import annotations

from ..dsl import choice, integer, json_map, obj, string, strings, text
from ..dsl import timestamp as ts
from . import enums as E

Release = obj(
    "Release",
    pk="release_id",
    title="tag",
    area="release",
    prov="Entity",
    doc="A packaged image of a model version; unique on (model, version, quantization).",
    props=[
        string("release_id", "Key: '<model key>|<version>|<quantization>'.", required=True),
        string("version", "Semantic version, e.g. 1.0.0.", required=True),
        string("model_key", "Key of the model released."),
        string("tag", "Image tag, e.g. v1.0-fp16."),
        string("digest", "Image digest (sha256:...)."),
        string("quantization", "fp16, int8, int4, fp8, ..."),
        integer("size_bytes", "Image size in bytes."),
        string("platform", "e.g. linux/amd64."),
        choice("status", E.ReleaseStatus, "active or deprecated.", default="active"),
        text("notes", "Release notes."),
        ts("created_at", "When the release was built."),
        json_map("metadata", "Further key/values."),
    ],
)

Deployment = obj(
    "Deployment",
    pk="deployment_id",
    title="name",
    area="release",
    prov="Activity",
    doc="A live deployment of a release or model version, with its endpoint URL.",
    props=[
        string("deployment_id", "Key of the deployment.", required=True),
        text("name", "Deployment name (defaults to its key)."),
        choice("environment", E.Environment, "Target environment.", required=True),
        string("endpoint_url", "The endpoint URL serving the model.", searchable=True),
        string("cluster", "Kubernetes cluster."),
        string("namespace", "Kubernetes namespace."),
        integer("replicas", "Replicas running.", minimum=0),
        choice("status", E.DeploymentStatus, "Deployment status.", default="deploying"),
        ts("deployed_at", "When it was deployed."),
        string("deployed_by", "Who deployed it.", prov_property="wasAssociatedWith"),
        ts("terminated_at", "When it was terminated."),
        text("rollback_plan", "How to roll back."),
        string("serving_framework", "kserve, ray_serve, ..."),
        json_map("metadata", "Further key/values (gpu type, helm release, ...)."),
    ],
)

MpvalPushRequest = obj(
    "MpvalPushRequest",
    pk="push_id",
    title="push_id",
    area="release",
    prov="Activity",
    doc="A request to push a model version to MPVAL (pre-production).",
    props=[
        string("push_id", "Key of the push request.", required=True),
        choice("status", E.PushStatus, "Status.", required=True, default="Requested"),
        ts("requested_at", "When it was requested.", required=True),
        string("requested_by", "Who requested it.", prov_property="wasAssociatedWith"),
        ts("completed_at", "When it finished."),
        string("model_path", "Path of the model package."),
        string("config_path", "Path of the SPM static configuration."),
        strings("library_zips", "Library zips shipped with the model."),
        string("moca_version", "MOCA version targeted."),
        text("notes", "Notes, e.g. failure reason."),
    ],
)

ALL = (Release, Deployment, MpvalPushRequest)
