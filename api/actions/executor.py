"""Run one action: validate, check, stage effects, log, write: all or nothing.

The ActionLog is written in the same ``WriteBatch`` as the effect, so there is
never an effect without its audit entry nor an entry for an effect that failed.
A refused action raises before anything is written and leaves no log: the
graph is unchanged (the caller still sees the error). With an idempotency key
a retried action returns its first outcome (see :mod:`.idempotency`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from opencase.errors import ActionError, OntologyError, Problem, ValidationError
from opencase.graph.store import GraphStore, LinkRecord, StoredObject
from opencase.ontology import ONTOLOGY, ActionType

from . import idempotency
from .context import ActionContext
from .gates import enforce_gate_policies
from .linking import link_between
from .log import LOG_TYPE, log_entry, new_id
from .params import parameters_as_json, validate_parameters
from .registry import HANDLERS
from .trail import hubs_of


@dataclass
class ActionOutcome:
    """What the caller (GraphQL mutation, CLI) reports back after a successful action."""

    log_id: str  # global id of the ActionLog entry
    action_type: str  # the action type's API name, as in the log
    touched_ids: list[str] = field(default_factory=list)
    created_ids: list[str] = field(default_factory=list)
    summary: str = ""
    #: the stored outcome of an earlier request with the same idempotency key: nothing was written
    replayed: bool = False


def action_type(name: str) -> ActionType:
    """The declared action by name (``completeTask``) or API name (``complete-task``)."""
    try:
        return ONTOLOGY.action_type(name)
    except OntologyError:
        known = ", ".join(a.name for a in ONTOLOGY.action_types)
        raise ActionError(
            f"unknown action type {name!r}", suggestion=f"declared actions: {known}"
        ) from None


def execute(
    store: GraphStore,
    action: str,
    params: Mapping[str, Any],
    actor: str,
    *,
    idempotency_key: str | None = None,
    request: Mapping[str, str | None] | None = None,
) -> ActionOutcome:
    """Execute ``action`` with ``params`` on behalf of ``actor``, in one transaction.

    ``request`` carries what the log records of an HTTP caller (``client_ip``,
    ``user_agent``). The log links to every touched object and to their cases
    and models (see :mod:`.trail`), resolved before the one write.

    Raises ``ValidationError`` (a parameter is missing or malformed; the problem
    names it), ``NotFoundError`` (an id is not in the graph) or ``ActionError``
    (wrong object type, deleted target, forbidden transition, refused operation,
    an idempotency key already used for another request).
    """
    declared = action_type(action)
    if not actor or not actor.strip():
        raise ValidationError(Problem("an action needs an actor (who executes it)", field="actor"))
    handler = HANDLERS.get(declared.name)
    if handler is None:
        raise ActionError(f"action type {declared.name} is declared but has no executor")
    checked = validate_parameters(declared, params)
    key = idempotency.checked_key(idempotency_key)
    logged_params = parameters_as_json(declared, checked)
    log_key = new_id() if key is None else idempotency.log_key(actor.strip(), key)
    if key is not None:
        earlier = store.get_one(ONTOLOGY.object_id(LOG_TYPE, log_key), include_deleted=True)
        if earlier is not None:
            return _replayed(idempotency.replay(earlier, key, declared.api_name, logged_params))
    now = dt.datetime.now(dt.UTC)
    ctx = ActionContext(store, declared, checked, actor.strip(), now)
    enforce_gate_policies(ctx)
    handler(ctx)
    summary = "; ".join(ctx.notes) or declared.description
    linkable = [i for i in ctx.touched if i not in ctx.gone]
    record, links = log_entry(
        log_key=log_key,
        action_type=declared.api_name,
        actor=ctx.actor,
        timestamp=now,
        parameters=logged_params,
        summary=summary,
        target_ids=ctx.touched,
        linkable_ids=linkable,
        created_ids=ctx.created,
        idempotency_key=key,
        hubs=hubs_of(store, linkable, ctx.batch.links, ctx.created),
        request=request,
    )
    log_id = ONTOLOGY.object_id(LOG_TYPE, log_key)
    for note_id in ctx.notifications:
        lt, forward = link_between(ONTOLOGY.type_of_id(note_id).name, LOG_TYPE)
        links.append(
            LinkRecord(lt.api_name, *((note_id, log_id) if forward else (log_id, note_id)))
        )
    batch = ctx.batch
    batch.objects = ctx.staged_objects()
    batch.system_objects, batch.system_links = [record], links  # the store admits only these
    store.write(batch)
    return ActionOutcome(
        log_id=log_id,
        action_type=declared.api_name,
        touched_ids=list(ctx.touched),
        created_ids=list(ctx.created),
        summary=summary,
    )


def _replayed(log: StoredObject) -> ActionOutcome:
    """The outcome an earlier execution recorded in its ActionLog entry."""
    props = log.properties
    return ActionOutcome(
        log_id=log.id,
        action_type=str(props.get("action_type")),
        touched_ids=list(props.get("target_ids") or []),
        created_ids=list(props.get("created_ids") or []),
        summary=str(props.get("summary") or ""),
        replayed=True,
    )
