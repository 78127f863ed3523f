"""The palette generated from the ontology: one readable, distinct colour per object type."""

from __future__ import annotations

from opencase.ontology import ONTOLOGY
from opencase.ontology.generators.palette import palette, palette_json


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_object_type_has_one_swatch_in_declaration_order() -> None:
    swatches = palette()
    assert [s.name for s in swatches] == [ot.name for ot in ONTOLOGY.object_types]
    assert set(palette_json()) == {ot.api_name for ot in ONTOLOGY.object_types}
    for s in swatches:
        assert s.caption == ONTOLOGY.object_type(s.name).title_property


def test_colours_are_distinct_and_captions_readable() -> None:
    swatches = palette()
    assert len({s.fill for s in swatches}) == len(swatches)
    for s in swatches:
        assert _contrast(s.text, s.fill) >= 4.5, s  # WCAG AA for normal text
        assert _contrast(s.stroke, s.fill) >= 3.0, s  # the outline stands out from the fill


def test_the_palette_is_stable() -> None:
    assert palette() == palette()
