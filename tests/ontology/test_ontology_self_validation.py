"""The ontology checks itself when it is built: each bad declaration is named in the error."""

from __future__ import annotations

from typing import Any

import pytest

from opencase.errors import OntologyError
from opencase.ontology import Ontology
from opencase.ontology.dsl import CONTEXT, ONE_TO_MANY, choice, enum, link, obj, string

Colour = enum("Colour", "red green", "A colour.")


def _widget(**overrides: Any) -> Any:
    kwargs: dict[str, Any] = {
        "pk": "widget_id",
        "title": "name",
        "doc": "A widget.",
        "area": "test",
        "props": [
            string("widget_id", "Key.", required=True),
            string("name", "Name."),
            choice("colour", Colour, "Colour.", default="red"),
        ],
    }
    kwargs.update(overrides)
    return obj("Widget", **kwargs)


def _gadget() -> Any:
    return obj(
        "Gadget",
        pk="gadget_id",
        title="gadget_id",
        doc="A gadget.",
        area="test",
        props=[string("gadget_id", "Key.", required=True)],
    )


def _build(objects: list[Any], links: list[Any] = (), enums: list[Any] = (Colour,)) -> Ontology:  # type: ignore[assignment]
    return Ontology.build(
        version="test", enums=enums, object_types=objects, link_types=links, action_types=()
    )


def test_a_consistent_small_ontology_builds() -> None:
    onto = _build(
        [_widget(), _gadget()],
        [
            link(
                "widget-has-gadget",
                "Widget",
                "Gadget",
                ONE_TO_MANY,
                "gadgets",
                "widget",
                "W->G.",
                role=CONTEXT,
            )
        ],
    )
    assert onto.object_type("widget").name == "Widget"
    assert onto.links_from("Widget")[0].rel_type == "WIDGET_HAS_GADGET"


def test_unknown_link_target_is_named() -> None:
    bad = link(
        "widget-has-thing",
        "Widget",
        "Thing",
        ONE_TO_MANY,
        "things",
        "widget",
        "W->T.",
        role=CONTEXT,
    )
    with pytest.raises(
        OntologyError, match=r"link type widget-has-thing: unknown target type 'Thing'"
    ):
        _build([_widget()], [bad])


def test_duplicate_object_api_name_is_named() -> None:
    clone = obj(
        "OtherWidget",
        api_name="widget",
        pk="k",
        title="k",
        doc="Clone.",
        area="test",
        props=[string("k", "Key.", required=True)],
    )
    with pytest.raises(
        OntologyError, match=r"object type OtherWidget: duplicate API name 'widget'"
    ):
        _build([_widget(), clone])


def test_duplicate_link_api_name_is_named() -> None:
    one = link(
        "widget-has-gadget",
        "Widget",
        "Gadget",
        ONE_TO_MANY,
        "gadgets",
        "widget",
        "A.",
        role=CONTEXT,
    )
    two = link(
        "widget-has-gadget", "Widget", "Gadget", ONE_TO_MANY, "parts", "owner", "B.", role=CONTEXT
    )
    with pytest.raises(OntologyError, match=r"link type widget-has-gadget: duplicate API name"):
        _build([_widget(), _gadget()], [one, two])


def test_enum_default_outside_the_enum_is_named() -> None:
    bad = _widget(
        props=[
            string("widget_id", "Key.", required=True),
            choice("colour", Colour, "Colour.", default="blue"),
        ]
    )
    with pytest.raises(
        OntologyError, match=r"object type Widget, property colour: default 'blue' is not a value"
    ):
        _build([bad])


def test_link_field_clashing_with_a_property_is_named() -> None:
    clash = link(
        "widget-has-gadget",
        "Widget",
        "Gadget",
        ONE_TO_MANY,
        "name",
        "widget",
        "W->G.",
        role=CONTEXT,
    )
    with pytest.raises(
        OntologyError,
        match=r"link type widget-has-gadget: forward field Widget\.name clashes with property name",
    ):
        _build([_widget(), _gadget()], [clash])


def test_two_links_claiming_the_same_reverse_field_are_named() -> None:
    one = link(
        "widget-has-gadget", "Widget", "Gadget", ONE_TO_MANY, "gadgets", "owner", "A.", role=CONTEXT
    )
    two = link(
        "widget-likes-gadget", "Widget", "Gadget", ONE_TO_MANY, "liked", "owner", "B.", role=CONTEXT
    )
    with pytest.raises(
        OntologyError,
        match=r"likes-gadget: reverse field Gadget\.owner clashes with link widget-has-gadget",
    ):
        _build([_widget(), _gadget()], [one, two])


def test_primary_key_must_be_a_required_property() -> None:
    with pytest.raises(
        OntologyError, match=r"object type Widget: primary key 'nope' is not a property"
    ):
        _build([_widget(pk="nope")])


def test_reserved_system_names_are_refused() -> None:
    bad = _widget(props=[string("widget_id", "Key.", required=True), string("sys_title", "X.")])
    with pytest.raises(OntologyError, match=r"property sys_title: name is reserved"):
        _build([bad])


def test_every_problem_is_reported_at_once() -> None:
    bad_link = link(
        "widget-has-thing", "Widget", "Thing", ONE_TO_MANY, "things", "widget", "X.", role=CONTEXT
    )
    with pytest.raises(OntologyError) as info:
        _build([_widget(pk="nope")], [bad_link])
    assert "primary key 'nope'" in info.value.message
    assert "unknown target type 'Thing'" in info.value.message
