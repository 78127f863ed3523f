"""System types are written only by their own code: the one rule, stated once.

An object type declared with ``system=True`` (the ActionLog) is written only
by the code that owns it: the action executor writes one log per action, in
the action's own transaction. Nothing else may create, change, link, unlink,
delete or restore such an object: not a loader (JSONL, tracker, work
packages, the MLflow sync), not an admin action, not an import. A link type
with a system type at either end (``action-log-about``) is a system link type
and follows the same rule.

:func:`refusal` is the rule. The store's write path applies it to every batch
(:mod:`opencase.graph.system_guard`), which every writer goes through; loaders
also apply it while reading a file, so that the refused line is named.
"""

from __future__ import annotations

from typing import Any

from opencase.errors import Problem

from . import ONTOLOGY

#: Who writes the system types; named in every refusal.
OWNER = "the action executor, which writes one audit entry per action"


def is_system_object(object_type: str) -> bool:
    """Whether ``object_type`` (name or API name) is declared ``system``."""
    return ONTOLOGY.object_type(object_type).name in ONTOLOGY.system_types


def is_system_link(link_type: str) -> bool:
    """Whether the link type (API name) has a system type at either end."""
    return ONTOLOGY.link_type(link_type).api_name in ONTOLOGY.system_links


def refusal(what: str, name: str, *, field: str | None = None, **where: Any) -> Problem | None:
    """The problem of writing ``name`` (an object type, link type or object id), or ``None``.

    ``what`` says what was attempted ("create or update", "link", "delete", ...).
    ``where`` locates the input (``line``, ``record``, ``source``) for loaders.
    """
    if ONTOLOGY.has_object_type(name):
        kind = ONTOLOGY.object_type(name).name
        if kind not in ONTOLOGY.system_types:
            return None
        subject = f"{kind} is a system type"
    elif ONTOLOGY.has_link_type(name):
        if name not in ONTOLOGY.system_links:
            return None
        subject = f"{name} is a system link type"
    else:
        prefix = name.partition(":")[0]
        if not ONTOLOGY.has_object_type(prefix) or not is_system_object(prefix):
            return None
        subject = f"{name} is of the system type {ONTOLOGY.object_type(prefix).name}"
    return Problem(f"cannot {what}: {subject}, written only by {OWNER}", field=field, **where)
