"""Admin actions: upsertObject, linkObjects, unlinkObjects, deleteObject, restoreObject.

They work on any object or link type the ontology declares, with the same
validation as a load, and they are audited like every other action. System
types (the ActionLog) are out of their reach like every writer's: the store
refuses the write (see :mod:`opencase.ontology.system`).

An edit goes through the same lifecycles as the dedicated actions (the write
planner checks both): an admin may set a gate InReview, but not move a
terminated deployment back.

Deletion is soft by default (hidden from every read, the object kept with who
deleted it and when); ``hard_delete_confirmed_at`` removes it and its links for
good.
"""

from __future__ import annotations

from typing import Any

from opencase.errors import ActionError, OntologyError, Problem, ValidationError
from opencase.graph.store import Direction, StoredObject
from opencase.ontology import ONTOLOGY, LinkType, ObjectType
from opencase.ontology.system import refusal
from opencase.ontology.validation import validate_properties

from .context import ActionContext
from .registry import handles


def _object_type(ctx: ActionContext) -> ObjectType:
    try:
        ot = ONTOLOGY.object_type(ctx.params["object_type"])
    except OntologyError as exc:
        problem = Problem(exc.message, "object_type")
        raise ValidationError(problem, suggestion=exc.suggestion) from None
    return ot


def _link_type(ctx: ActionContext) -> LinkType:
    try:
        lt = ONTOLOGY.link_type(ctx.params["link_type"])
    except OntologyError as exc:
        problem = Problem(exc.message, "link_type")
        raise ValidationError(problem, suggestion=exc.suggestion) from None
    return lt


def _endpoints(ctx: ActionContext, lt: LinkType) -> tuple[StoredObject, StoredObject]:
    return ctx.load("source_id", [lt.source]), ctx.load("target_id", lt.targets)


def _load_any(ctx: ActionContext) -> StoredObject:
    """The object to delete or restore; a system object is refused before its state is read."""
    problem = refusal(ctx.action.name.removesuffix("Object"), ctx.id_param("object_id"))
    if problem is not None:
        raise ValidationError(Problem(f"{ctx.action.name}: {problem.message}", "object_id"))
    return ctx.load("object_id", include_deleted=True)


def _by_property_name(ot: ObjectType, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` keyed by the ontology's snake_case names.

    A property may be named as the GraphQL types show it (``sizeBytes``) or as
    the ontology declares it (``size_bytes``); naming one property both ways in
    one call is refused, as the two values could differ. Names that are neither
    are left for validation, which refuses them by name.
    """
    by_camel = {p.camel_name: p.name for p in ot.properties}
    out: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in given.items():
        name = by_camel.get(key, key)
        if name in out:
            raise ValidationError(
                Problem(
                    f"{ot.name}: property {name} is given twice, as {spelled[name]!r} and {key!r}",
                    "properties",
                ),
                suggestion="name each property once (camelCase or snake_case)",
            )
        out[name], spelled[name] = value, key
    return out


@handles("upsertObject")
def upsert_object(ctx: ActionContext) -> None:
    ot = _object_type(ctx)
    props: dict[str, Any] = _by_property_name(ot, dict(ctx.params["properties"]))
    if props.get(ot.primary_key) in (None, ""):
        raise ValidationError(
            Problem(f"{ot.name} needs its primary key {ot.primary_key!r}", "properties"),
            suggestion=f"add {ot.primary_key} to properties",
        )
    object_id = ONTOLOGY.object_id(ot.name, props[ot.primary_key])
    existing = ctx.exists(object_id)
    if existing is None:
        ctx.create(ot.name, props)
        ctx.note(f"{object_id} created")
        return
    if existing.deleted_at is not None:
        ctx.get(object_id, param="properties")  # raises: restore before editing
    # lifecycles: the write planner refuses a forbidden move, as for every write
    ctx.update(existing, validate_properties(ot, props, partial=True))
    ctx.note(f"{object_id} updated ({', '.join(sorted(props))})")


@handles("linkObjects")
def link_objects(ctx: ActionContext) -> None:
    lt = _link_type(ctx)
    source, target = _endpoints(ctx, lt)
    ctx.link(lt, source.id, target.id, ctx.params.get("properties"))
    ctx.note(f"{source.id} -[{lt.api_name}]-> {target.id}")


@handles("unlinkObjects")
def unlink_objects(ctx: ActionContext) -> None:
    lt = _link_type(ctx)
    source, target = _endpoints(ctx, lt)
    found = ctx.store.neighbours([source.id], link_type=lt.api_name, direction=Direction.OUT)
    if target.id not in {n.object.id for n in found.get(source.id, [])}:
        raise ActionError(
            f"unlinkObjects: there is no {lt.api_name} link {source.id} -> {target.id}"
        )
    ctx.unlink(lt, source.id, target.id)
    ctx.note(f"{source.id} -[{lt.api_name}]-> {target.id} removed")


@handles("deleteObject")
def delete_object(ctx: ActionContext) -> None:
    obj = _load_any(ctx)
    if ctx.params.get("hard_delete_confirmed_at") is not None:
        ctx.hard_delete(obj.id)
        ctx.note(f"{obj.id} deleted for good, with its links")
        return
    if obj.deleted_at is not None:
        raise ActionError(
            f"deleteObject: {obj.id} is already deleted (by {obj.deleted_by})",
            suggestion="set hard_delete_confirmed_at to delete it for good",
        )
    ctx.soft_delete(obj.id)
    ctx.note(f"{obj.id} deleted (soft: restorable with restoreObject)")


@handles("restoreObject")
def restore_object(ctx: ActionContext) -> None:
    obj = _load_any(ctx)
    if obj.deleted_at is None:
        raise ActionError(f"restoreObject: {obj.id} is not deleted")
    ctx.restore(obj.id)
    ctx.note(f"{obj.id} restored")
