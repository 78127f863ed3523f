"""Which link joins two object types: actions link by types, never by spelled names."""

from __future__ import annotations

from opencase.errors import ActionError
from opencase.ontology import ONTOLOGY, LinkType

from .log import ABOUT_LINK


def link_between(a: str, b: str) -> tuple[LinkType, bool]:
    """The one link type joining two object types, and whether ``a`` is its source.

    Actions link by the types involved rather than by spelled-out link names, so
    a renamed link needs no code change; two candidate links is a declaration
    problem the action cannot guess its way around.
    """
    a_name, b_name = ONTOLOGY.object_type(a).name, ONTOLOGY.object_type(b).name
    found = {
        (lt.api_name, lt.source == a_name): lt
        for lt in ONTOLOGY.link_types
        for source, target in ((a_name, b_name), (b_name, a_name))
        if lt.api_name != ABOUT_LINK and lt.source == source and target in lt.targets
    }
    if len(found) != 1:
        names = ", ".join(sorted(api for api, _ in found)) or "none"
        raise ActionError(f"no single link type joins {a_name} and {b_name} (found: {names})")
    ((_, forward), lt) = next(iter(found.items()))
    return lt, forward
