"""Models, versions, releases and artifacts.

Keys are decided by ``opencase.ontology.ids`` (the same helpers the loaders use)
so that a model registered here and the same model loaded from the tracker
are one node: ``UPPER(family):ATA:slug(name)`` when family and ATA are known.
"""

from __future__ import annotations

import re
from typing import Any

from opencase.errors import ActionError
from opencase.ontology import ONTOLOGY, ids

from .context import ActionContext
from .registry import handles
from .status import set_status

MODEL, VERSION, RELEASE, ARTIFACT, PARTNER = (
    "ModelWork",
    "ModelVersion",
    "Release",
    "Artifact",
    "Partner",
)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMBT])\s*$", re.IGNORECASE)
_SCALE = {"K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}


def parameter_total(count: str | None) -> int | None:
    """``7B`` -> 7000000000, as Catapult writes model sizes; None when it is not that form."""
    match = _SIZE.match(count or "")
    if match is None:
        return None
    return round(float(match.group(1)) * _SCALE[match.group(2).upper()])


def _model_key(p: dict[str, Any]) -> str:
    """The key given, or the DAIA key (family, ATA, name), or the name as given."""
    if p.get("model_key"):
        return str(p["model_key"]).strip()
    family, ata = p.get("ac_family"), p.get("ata_chapter")
    return ids.model_key(family, ata, p["name"]) if family and ata else ids.name_key(p["name"])


def _near_duplicates(ctx: ActionContext, key: str, name: str) -> list[str]:
    """Models whose key or name equals this key or name but for letter case."""
    wanted = {key.casefold(), ids.name_key(name).casefold()}
    found = ctx.store.search(name, object_types=[MODEL], first=50)
    found += ctx.store.search(key, object_types=[MODEL], first=50)
    return sorted(
        {
            m.id
            for m in found
            if {ctx.key(m).casefold(), ids.name_key(str(m.properties.get("name"))).casefold()}
            & wanted
        }
    )


@handles("registerModel")
def register_model(ctx: ActionContext) -> None:
    """Register a model once: again with the same key returns it; a case-only twin is refused."""
    p = ctx.params
    key = _model_key(p)
    existing = ctx.exists(ONTOLOGY.object_id(MODEL, key))
    if existing is not None and existing.deleted_at is None:
        given = {k: v for k, v in ctx.carried(MODEL).items() if k != "model_key"}
        differ = sorted(k for k, v in given.items() if existing.properties.get(k) != v)
        if differ:
            raise ActionError(
                f"registerModel: {existing.id} is already registered, with other "
                f"{', '.join(differ)}",
                suggestion="change an existing model with upsertObject",
            )
        ctx.touch(existing.id)
        ctx.note(f"model {existing.id} is already registered; nothing changed")
        return
    twins = [] if existing is not None else _near_duplicates(ctx, key, p["name"])
    if twins:
        raise ActionError(
            f"registerModel: {key!r} differs only in letter case from {', '.join(twins)}",
            suggestion="use the existing model's key as it is spelled",
        )
    total = p.get("parameters") or parameter_total(p.get("parameter_count"))
    model_id = ctx.create(
        MODEL,
        {
            **ctx.carried(MODEL),
            "model_key": key,
            "parameters": total,
            "partner_name": p.get("partner"),
            "created_on": ctx.today,
        },
    )
    ctx.note(f"model {p['name']!r} registered as {model_id}")
    if p.get("partner"):
        partner_pk = ONTOLOGY.object_type(PARTNER).primary_key
        partner_id = ctx.ensure(PARTNER, {partner_pk: p["partner"]})
        ctx.connect(model_id, partner_id)


@handles("registerModelVersion")
def register_model_version(ctx: ActionContext) -> None:
    model = ctx.load("model_id", [MODEL])
    model_key = ctx.key(model)
    version_id = ctx.create(
        VERSION,
        {
            **ctx.carried(VERSION),
            "model_version_id": ids.model_version_id(model_key, ctx.params["version"]),
            "model_key": model_key,
            "created_on": ctx.today,
        },
    )
    ctx.connect(model.id, version_id)
    ctx.note(f"version {ctx.params['version']} of {model.title!r} registered as {version_id}")


@handles("setModelVersionStatus")
def set_model_version_status(ctx: ActionContext) -> None:
    set_status(ctx, "model_version_id")


@handles("createRelease")
def create_release(ctx: ActionContext) -> None:
    p = ctx.params
    model = ctx.load("model_id", [MODEL])
    version = ctx.load_optional("model_version_id", [VERSION])
    if version is not None:
        owners = [o.id for o in ctx.linked(version.id, MODEL)]
        if owners and model.id not in owners:
            raise ActionError(
                f"createRelease: {version.id} is a version of {owners[0]}, not of {model.id}"
            )
    model_key = ctx.key(model)
    release_key = ids.release_id(model_key, p["version"], p["quantization"])
    if ctx.exists(ONTOLOGY.object_id(RELEASE, release_key)) is not None:
        raise ActionError(
            f"createRelease: {model.id} already has a release {p['version']} "
            f"({p['quantization']}); releases are unique on model, version and quantization",
            suggestion="bump the version or record artifacts on the existing release",
        )
    release_id = ctx.create(
        RELEASE,
        {
            **ctx.carried(RELEASE),
            "release_id": release_key,
            "model_key": model_key,
            "tag": p.get("tag") or f"v{p['version']}-{p['quantization']}",
            "created_at": ctx.now,
        },
    )
    ctx.connect(model.id, release_id)
    if version is not None:
        ctx.connect(release_id, version.id)
    ctx.note(f"release {release_id} of {model.title!r} created")


@handles("recordArtifact")
def record_artifact(ctx: ActionContext) -> None:
    owner = ctx.load_target("owner_id", creates=ARTIFACT)
    p = ctx.params
    artifact_id = ctx.ensure(
        ARTIFACT,
        {**ctx.carried(ARTIFACT), "artifact_id": ids.md5_key(owner.id, p["name"], p.get("uri"))},
        on_create={"created_on": ctx.now, "uploaded_by": ctx.actor},
    )
    ctx.connect(owner.id, artifact_id)
    ctx.note(f"artifact {p['name']!r} ({p['type']}) recorded on {owner.id}")
