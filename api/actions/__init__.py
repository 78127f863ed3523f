"""Action types executed as Foundry does: typed parameters, preconditions,
state transitions, effects, and one immutable ActionLog, all in one transaction.

``execute(store, action, params, actor)`` is the one entry point the GraphQL
layer and the CLI call; the handler modules register themselves on import.
"""

from __future__ import annotations

from . import (
    admin,
    alerts,
    cases,
    models_releases,
    platform,
    pushes_deployments,
    tasks_gates,
    tracker,
)
from .executor import ActionOutcome, action_type, execute
from .registry import HANDLERS

_HANDLER_MODULES = (
    admin,
    alerts,
    cases,
    models_releases,
    platform,
    pushes_deployments,
    tasks_gates,
    tracker,
)

__all__ = ["HANDLERS", "ActionOutcome", "action_type", "execute"]
