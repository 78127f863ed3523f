"""GraphQL names derived from ontology names, in one place.

Every generated field and type name comes from here, so the schema's naming
rules (lower-camel root fields, safe enum value names, keyword-safe Python
attribute names) cannot drift between the modules that build the schema.
"""

from __future__ import annotations

import keyword
import re

from opencase.ontology import SYSTEM_FIELDS, ObjectType

#: Fields every ontology object type has through the ``OntologyObject`` interface.
INTERFACE_FIELDS = SYSTEM_FIELDS


def lower_camel(pascal: str) -> str:
    """``ModelWork`` -> ``modelWork``, ``KPIs`` -> ``kpis``, ``HTTPServer`` -> ``httpServer``."""
    match = re.match(r"^[A-Z]+", pascal)
    if not match:
        return pascal
    run = match.group(0)
    rest = pascal[len(run) :]
    if len(run) > 1 and rest[:1].islower() and rest != "s":  # "KPIs" is one word
        # "HTTPServer": keep the capital that starts the next word
        return run[:-1].lower() + run[-1] + rest
    return run.lower() + rest


def single_field(ot: ObjectType) -> str:
    """Root field that fetches one object by id."""
    return lower_camel(ot.name)


def plural_field(ot: ObjectType) -> str:
    """Root field that lists objects of a type."""
    return lower_camel(ot.plural_name)


def py_name(graphql_name: str) -> str:
    """A Python attribute name for a GraphQL name (``in`` -> ``in_``)."""
    return graphql_name + "_" if keyword.iskeyword(graphql_name) else graphql_name


def enum_member(value: str) -> str:
    """A GraphQL-legal enum value name for an ontology enum value."""
    name = re.sub(r"[^_0-9A-Za-z]", "_", value)
    if not name or name[0].isdigit():
        name = "_" + name
    if name in ("true", "false", "null"):
        name = name.upper()
    return name


def property_field(ot: ObjectType, camel: str) -> str | None:
    """The GraphQL field of a property, or None when the interface already exposes it.

    The ontology refuses a property whose name is a system field (see
    ``SYSTEM_FIELDS``), so the only overlap is the title property called ``title``.
    """
    return None if camel in INTERFACE_FIELDS else camel
