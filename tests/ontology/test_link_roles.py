"""Every link type declares its lineage role; outputs show it; the OWL export agrees with it."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS

from opencase.errors import OntologyError
from opencase.ontology import ONTOLOGY, Ontology
from opencase.ontology.dsl import CONTEXT, FLOW, ONE_TO_MANY, SOURCE, TARGET, link, obj, string
from opencase.ontology.generators import vocab
from opencase.ontology.generators.owl import owl_schema
from opencase.ontology.model import LinkEnd, LinkRole

#: The examples the roles are defined by: (role, upstream end).
EXAMPLES = {
    "experiment-used-dataset": (LinkRole.FLOW, LinkEnd.TARGET),
    "deployment-deploys-version": (LinkRole.FLOW, LinkEnd.TARGET),
    "dataset-version-derived-from": (LinkRole.FLOW, LinkEnd.TARGET),
    "model-version-has-experiment": (LinkRole.FLOW, LinkEnd.TARGET),
    "release-packages-version": (LinkRole.FLOW, LinkEnd.TARGET),
    "dataset-has-version": (LinkRole.FLOW, LinkEnd.SOURCE),
    "model-work-has-version": (LinkRole.FLOW, LinkEnd.SOURCE),
    "deployment-has-drift-report": (LinkRole.FLOW, LinkEnd.SOURCE),
    "push-request-created-deployment": (LinkRole.FLOW, LinkEnd.SOURCE),
    "model-work-uses-dataset": (LinkRole.CONTEXT, None),
    "person-approves-gate": (LinkRole.CONTEXT, None),
    "daia-model-owned-by": (LinkRole.CONTEXT, None),
    "daia-model-by-partner": (LinkRole.CONTEXT, None),
    "work-package-in-program": (LinkRole.CONTEXT, None),
    "tool-used-in": (LinkRole.CONTEXT, None),
    "action-log-about": (LinkRole.CONTEXT, None),
}


def test_every_link_type_declares_a_role() -> None:
    for lt in ONTOLOGY.link_types:
        assert lt.role in (LinkRole.FLOW, LinkRole.CONTEXT), lt.api_name
        assert (lt.upstream is not None) == lt.is_flow, lt.api_name


@pytest.mark.parametrize(("api_name", "expected"), sorted(EXAMPLES.items()))
def test_role_of(api_name: str, expected: tuple[LinkRole, LinkEnd | None]) -> None:
    lt = ONTOLOGY.link_type(api_name)
    assert (lt.role, lt.upstream) == expected


def test_context_covers_people_partners_programmes_and_cases() -> None:
    context_ends = {"Person", "Partner", "Program", "WorkPackage", "IntegrationCase", "Action"}
    for lt in ONTOLOGY.link_types:
        if lt.source in context_ends or set(lt.targets) & context_ends:
            assert not lt.is_flow, lt.api_name


def _widgets(**kw: Any) -> Ontology:
    widget = obj(
        "Widget",
        pk="widget_id",
        title="widget_id",
        doc="A widget.",
        area="test",
        props=[string("widget_id", "Key.", required=True)],
    )
    made = link("widget-made-from", "Widget", "Widget", ONE_TO_MANY, "parts", "whole", "W.", **kw)
    return Ontology.build(
        version="t", enums=(), object_types=[widget], link_types=[made], action_types=()
    )


def test_a_link_without_a_role_is_refused_by_name() -> None:
    with pytest.raises(OntologyError) as caught:
        _widgets()
    text = str(caught.value)
    assert "link type widget-made-from: declares no lineage role" in text
    assert "role=FLOW with upstream=SOURCE or upstream=TARGET" in text
    assert "role=CONTEXT" in text


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"role": FLOW}, "a flow link must say which end is upstream"),
        ({"role": CONTEXT, "upstream": SOURCE}, "a context link has no upstream end"),
        ({"role": "flows", "upstream": TARGET}, "role 'flows' is not one of flow, context"),
        ({"role": FLOW, "upstream": "left"}, "a flow link must say .*, got 'left'"),
    ],
)
def test_a_wrong_role_is_refused_by_name(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(OntologyError, match="link type widget-made-from: " + message):
        _widgets(**kw)


def test_ontology_json_shows_role_and_upstream() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "opencase.cli", "ontology", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    links = {lt["apiName"]: lt for lt in json.loads(done.stdout)["linkTypes"]}
    assert links["experiment-used-dataset"]["role"] == "flow"
    assert links["experiment-used-dataset"]["upstream"] == "target"
    assert links["dataset-has-version"]["upstream"] == "source"
    assert links["daia-model-owned-by"]["role"] == "context"
    assert "upstream" not in links["daia-model-owned-by"]


def test_owl_prov_alignment_points_the_way_lineage_walks() -> None:
    """A data-flow PROV relation (used, wasDerivedFrom...: downstream -> upstream;
    generated, hadMember: upstream -> downstream) sits on the link or on its inverse
    so that its subject is the end the traversal calls downstream (resp. upstream)."""
    tbox = owl_schema()
    checked = 0
    for lt in ONTOLOGY.link_types:
        term = vocab.PROV_TERMS.get(lt.prov_property or "")
        if not lt.is_flow or term is None or term.points_upstream is None:
            continue
        forward = URIRef(vocab.OC[vocab.link_term(lt)])
        inverse = URIRef(vocab.OC[vocab.inverse_term(lt)])
        aligned = {p for p in (forward, inverse) if (p, RDFS.subPropertyOf, term.iri) in tbox}
        assert len(aligned) == 1, lt.api_name
        # the forward property's subject is the link's source
        source_is_downstream = lt.upstream == LinkEnd.TARGET
        subject_is_downstream = (
            source_is_downstream if forward in aligned else not source_is_downstream
        )
        assert subject_is_downstream == term.points_upstream, lt.api_name
        checked += 1
    assert checked >= 15


def test_owner_links_are_prov_attributions() -> None:
    tbox = owl_schema()
    owned = URIRef(vocab.OC[vocab.link_term(ONTOLOGY.link_type("daia-model-owned-by"))])
    assert (owned, RDFS.subPropertyOf, vocab.PROV_TERMS["wasAttributedTo"].iri) in tbox
    owner = ONTOLOGY.object_type("ModelWork").prop("owner_email")
    assert owner.prov_property == "wasAttributedTo"  # the export adds an agent for its value
