"""The ontology's self-checks on lifecycles and gate policies, run when it is built.

Kept beside the registry's own checks (names, keys, links) so that a typo in
a state or a gate type fails at import, naming the declaration.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .model import GatePolicy, PropertyType

if TYPE_CHECKING:
    from .registry import Ontology


def lifecycle_problems(onto: Ontology) -> list[str]:
    """Each lifecycle names real states; every enum ``status`` of an object type has one."""
    out: list[str] = []
    by_type = {ot.name: ot for ot in onto.object_types}
    seen: set[tuple[str, str]] = set()
    for lc in onto.lifecycles:
        where = f"lifecycle {lc.object_type}.{lc.property}"
        ot = by_type.get(lc.object_type)
        if ot is None or not ot.has_property(lc.property):
            out.append(f"{where}: no such object type or property")
            continue
        if (lc.object_type, lc.property) in seen:
            out.append(f"{where}: declared twice")
        seen.add((lc.object_type, lc.property))
        enum = onto.enum_by_name.get(ot.prop(lc.property).enum or "")
        if enum is None:
            out.append(f"{where}: only enum properties have a lifecycle")
            continue
        states = {s for src, to in lc.moves.items() for s in (src, *to)}
        for kind, named in (
            ("moves", states),
            ("groups", {s for g in lc.groups.values() for s in g}),
            ("flags", {s for g in lc.flags.values() for s in g}),
            ("stamps", {s for g in lc.stamps.values() for s in g}),
        ):
            for state in sorted(named - set(enum.values)):
                out.append(f"{where}: {kind} name {state!r}, not a value of {enum.name}")
        for group in lc.groups:
            if not re.match(r"^[A-Z][A-Z0-9_]*$", group):
                out.append(f"{where}: group {group!r} must be UPPER_CASE")
        if ot.has_property(lc.property + "_group"):
            out.append(f"{where}: {lc.property}_group is the group filter's name")
        for name, kinds in (
            *((f, (PropertyType.BOOL,)) for f in lc.flags),
            *((s, (PropertyType.DATE, PropertyType.DATETIME)) for s in lc.stamps),
        ):
            if not ot.has_property(name) or ot.prop(name).type not in kinds:
                out.append(f"{where}: {name} must be a {'/'.join(kinds)} property")
    for ot in onto.object_types:
        status = ot.prop("status") if ot.has_property("status") else None
        governed = (ot.name, "status") in seen
        if status is not None and status.type is PropertyType.ENUM and not governed:
            out.append(f"object type {ot.name}: its status needs a lifecycle")
    return out


def policy_problems(onto: Ontology) -> list[str]:
    """A gate policy names a declared action, its parameters and gate types."""
    out: list[str] = []
    actions = {at.name: at for at in onto.action_types}
    gate_types = (
        set(onto.enum_by_name["GateType"].values) if "GateType" in onto.enum_by_name else set()
    )
    for policy in onto.gate_policies:
        where = f"gate policy on {policy.action}"
        at = actions.get(policy.action)
        if at is None:
            out.append(f"{where}: unknown action type")
            continue
        params = {p.name for p in at.parameters}
        for name in (policy.version_param, GatePolicy.OVERRIDE, *policy.when):
            if name not in params:
                out.append(f"{where}: the action has no parameter {name!r}")
        for gate in policy.gates:
            if gate not in gate_types:
                out.append(f"{where}: {gate!r} is not a GateType value")
    return out
