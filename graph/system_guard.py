"""The store's gate for system types: every write batch passes here before it is planned.

Loaders, admin actions, the MLflow sync and imports all reach the graph through
``GraphStore.write`` or ``GraphStore.upsert``, and both call :func:`admit`, so
the rule of :mod:`opencase.ontology.system` holds whatever the path. Only the
batch's ``system_objects``/``system_links`` (filled by the action executor for
its audit entry) may be of system types.
"""

from __future__ import annotations

import dataclasses

from opencase.errors import Problem, ValidationError
from opencase.ontology.system import refusal

from .store import WriteBatch


def admit(batch: WriteBatch) -> WriteBatch:
    """The batch with its system records among the others, after refusing any other system write.

    Raises ``ValidationError`` naming each refused type or id before anything is written.
    """
    found: list[Problem | None] = []
    found += [
        refusal("create or update", t, field="objectType")
        for t in {r.object_type for r in batch.objects}
    ]
    found += [refusal("link", t, field="linkType") for t in {r.link_type for r in batch.links}]
    found += [refusal("unlink", t, field="linkType") for t in {k.link_type for k in batch.unlinks}]
    for ids, what in (
        (batch.soft_deletes, "delete"),
        (batch.hard_deletes, "delete"),
        (batch.restores, "restore"),
    ):
        found += [refusal(what, oid, field="id") for oid in ids]
    problems = [p for p in found if p is not None]
    if problems:
        raise ValidationError(problems, suggestion="nothing was written")
    if not batch.system_objects and not batch.system_links:
        return batch
    return dataclasses.replace(
        batch,
        objects=[*batch.objects, *batch.system_objects],
        links=[*batch.links, *batch.system_links],
        system_objects=[],
        system_links=[],
    )
