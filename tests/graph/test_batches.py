"""How bulk upserts cut their input: objects first, then links, full batches but the last."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from opencase.graph.store import batches


@given(st.integers(0, 40), st.integers(0, 40), st.integers(1, 12), st.booleans())
def test_batches_keep_order_and_size(objects: int, links: int, size: int, lists: bool) -> None:
    objs, lks = list(range(objects)), list(range(1000, 1000 + links))
    cut = list(batches(objs if lists else iter(objs), lks if lists else iter(lks), size))
    assert [o for b in cut for o in b.objects] == objs
    assert [lk for b in cut for lk in b.links] == lks
    assert all(len(b.objects) + len(b.links) == size for b in cut[:-1])
    assert all(0 < len(b.objects) + len(b.links) <= size for b in cut)
    seen_links = False
    for b in cut:  # no batch holds objects after a batch that held links
        assert not (seen_links and b.objects)
        seen_links = seen_links or bool(b.links)
