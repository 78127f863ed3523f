"""Impact analysis: "if this object is wrong, what is affected?".

It is the DOWNSTREAM lineage read another way: of the objects the walk reached,
those of the asked types, each with the chain of links that reached it (the
walk records every node's parent, so the chain costs nothing extra). Both
backends share it because both give the same walk.
"""

from __future__ import annotations

from collections.abc import Sequence

from opencase.ontology import ONTOLOGY

from .store import Impact, ImpactNode, LineageColumns


def impact_of(walk: LineageColumns, object_types: Sequence[str] | None, max_nodes: int) -> Impact:
    """The walk's nodes of ``object_types`` (names or API names; None: all but the start)."""
    if not walk.node_ids:
        return Impact(nodes=[], partial=False)
    wanted = None
    if object_types is not None:
        wanted = {ONTOLOGY.object_type(name).name for name in object_types}
    n = len(walk.node_ids)
    parents = walk.node_parents or [None] * n
    vias = walk.node_vias or [None] * n
    index = {oid: i for i, oid in enumerate(walk.node_ids)}
    out: list[ImpactNode] = []
    partial = walk.partial
    for i in range(1, n):
        if wanted is not None and walk.node_types[i] not in wanted:
            continue
        if len(out) >= max_nodes:
            partial = True
            break
        chain = []
        at: int | None = i
        while at is not None:
            chain.append((walk.node_ids[at], walk.node_types[at]))
            parent = parents[at]
            at = index.get(parent) if parent is not None else None
        chain.reverse()
        out.append(
            ImpactNode(
                id=walk.node_ids[i],
                object_type=walk.node_types[i],
                title=walk.node_titles[i],
                depth=walk.node_depths[i],
                via=vias[i],
                path=chain,
            )
        )
    return Impact(nodes=out, partial=partial)
