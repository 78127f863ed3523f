"""Which function carries out which declared action type.

Handlers register with :func:`handles` under the ActionType's name; a typo
fails at import because the name is looked up in the ontology, and a test
checks that every declared action type has a handler.
"""

from __future__ import annotations

from collections.abc import Callable

from opencase.ontology import ONTOLOGY

from .context import ActionContext

Handler = Callable[[ActionContext], None]

HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the effect of action type ``name``."""
    action = ONTOLOGY.action_type(name)  # raises on an undeclared name

    def register(handler: Handler) -> Handler:
        if action.name in HANDLERS:
            raise RuntimeError(f"two handlers for action type {action.name}")
        HANDLERS[action.name] = handler
        return handler

    return register
