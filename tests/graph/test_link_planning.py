"""Link planning groups and de-duplicates a batch's links in bulk: the same answers as by hand.

The reference here is the plain definition: one link per (type, source,
target), the last record's properties win, every record of a link type or
endpoint type the ontology does not allow is named, in input order.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencase.errors import ValidationError
from opencase.graph.link_planning import plan_links
from opencase.graph.store import LinkRecord

#: (link type, source, target) choices: valid ones, ids with extra colons, and bad ones
_ENDS = [
    ("model-work-has-version", "model-work:w1", "model-version:v1"),
    ("model-work-has-version", "model-work:w1", "model-version:v2"),
    ("model-work-has-version", "model-work:w:1", "model-version:x:1"),
    ("model-work-has-version", "model-work:w", "model-version:1:x"),
    ("model-version-has-experiment", "model-version:v1", "experiment:e1"),
    ("experiment-used-dataset", "experiment:e1", "dataset-version:dv1"),
    ("tool-used-in", "tool:t1", "experiment:e1"),  # a link type with two target types
    ("tool-used-in", "tool:t1", "validation-report:r1"),
    ("tool-used-in", "tool:t2", "experiment:e1"),
    # from here on, each is a problem
    ("no-such-link", "model-work:w1", "model-version:v1"),
    ("model-work-has-version", "experiment:e1", "model-version:v1"),  # wrong source type
    ("model-work-has-version", "model-work:w1", "experiment:e1"),  # wrong target type
    ("model-work-has-version", "model-work:w1", "nosuch:v1"),  # no such type
    ("tool-used-in", "tool:t1", "model-work:w1"),  # neither target type
]
_FIRST_BAD = 9
_PROPS = st.sampled_from([{}, {"context": "training"}, {"context": "validation"}])


def _everything_exists(ot: Any, ids: list[str]) -> set[str]:
    return set(ids)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ENDS), _PROPS), max_size=25))
def test_groups_match_the_plain_definition(picks: list[tuple[tuple[str, str, str], dict]]) -> None:
    links = [
        LinkRecord(api, s, t, props if api == "experiment-used-dataset" else {})
        for (api, s, t), props in picks
    ]
    groups, problems = plan_links(links, set(), _everything_exists)
    bad = [
        i
        for i, lk in enumerate(links)
        if (lk.link_type, lk.source_id, lk.target_id) in _ENDS[_FIRST_BAD:]
    ]
    assert sorted(p.record for p in problems) == bad
    expected: dict[tuple[str, str, str], tuple[int, dict]] = {}
    for i, lk in enumerate(links):
        if i not in bad:
            expected[(lk.link_type, lk.source_id, lk.target_id)] = (i, dict(lk.properties))
    got = {}
    for g in groups:
        props = g.properties or [{}] * len(g)
        for s, t, record, p in zip(g.sources, g.targets, g.records, props, strict=True):
            key = (g.link_type.api_name, s, t)
            assert key not in got, "a link twice in one group"
            got[key] = (record, {k: v for k, v in p.items() if v is not None})
    assert got == expected


def test_groups_keep_first_seen_order() -> None:
    links = [
        LinkRecord("model-version-has-experiment", "model-version:v1", "experiment:e1"),
        LinkRecord("model-work-has-version", "model-work:w1", "model-version:v1"),
        LinkRecord("model-version-has-experiment", "model-version:v2", "experiment:e2"),
    ]
    groups, problems = plan_links(links, set(), _everything_exists)
    assert not problems
    assert [g.link_type.api_name for g in groups] == [
        "model-version-has-experiment",
        "model-work-has-version",
    ]
    assert groups[0].sources == ["model-version:v1", "model-version:v2"]
    assert groups[0].records == [0, 2]


def test_ids_of_a_str_subclass_are_planned_as_plain_text() -> None:
    class Tagged(str):
        pass

    links = [LinkRecord("model-work-has-version", Tagged("model-work:w1"), "model-version:v1")]
    groups, problems = plan_links(links, set(), _everything_exists)
    assert not problems
    assert groups[0].sources == ["model-work:w1"]
    assert type(groups[0].sources[0]) is str


@pytest.mark.parametrize("bad", [None, 7])
def test_an_id_that_is_not_text_is_named(bad: object) -> None:
    links = [
        LinkRecord("model-work-has-version", "model-work:w1", "model-version:v1"),
        LinkRecord("model-work-has-version", bad, "model-version:v1"),  # type: ignore[arg-type]
    ]
    with pytest.raises(ValidationError) as caught:
        plan_links(links, set(), _everything_exists)
    assert caught.value.problems[0].record == 1
    assert "source_id must be text" in str(caught.value)
