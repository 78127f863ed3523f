"""/explore is served by the API: one shell for every deep link, own assets, no CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from opencase.api import explore
from opencase.api.explore import charts as chart_module
from opencase.api.explore import page
from opencase.errors import OntologyError
from opencase.ontology import ONTOLOGY

needs_assets = pytest.mark.skipif(
    not explore.assets_present(),
    reason="explorer assets missing: run scripts/setup.d/25-explore-assets.sh",
)
DEEP_LINKS = (
    "/explore",
    "/explore/overview",
    "/explore/object/model-work:A330:72:hpc",
    "/explore/lineage/model-work:A330:72:hpc?depth=4",
    "/explore/path/model-work:A330:72:hpc/deployment:prod-1",
)


def _config(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="opencase-config" type="application/json">(.*?)</script>', html)
    assert found, html[:500]
    return json.loads(found.group(1))


@needs_assets
@pytest.mark.parametrize("url", DEEP_LINKS)
def test_every_deep_link_gets_the_shell(client: Any, url: str) -> None:
    response = client.request("GET", url)
    assert response.status_code == 200
    html = response.text
    assert "/explore/static/explore.js" in html and "/explore/vendor/dagre.min.js" in html
    assert "://" not in html, "no asset may come from another host"
    config = _config(html)
    assert set(config["palette"]) == {ot.api_name for ot in ONTOLOGY.object_types}


@needs_assets
def test_assets_are_served(client: Any) -> None:
    for url in (
        "/explore/static/explore.js",
        "/explore/static/graph.js",
        "/explore/static/explore.css",
        "/explore/vendor/dagre.min.js",
    ):
        response = client.request("GET", url)
        assert response.status_code == 200, url
        assert len(response.content) > 1000


def test_missing_assets_are_explained(
    client: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(page, "VENDOR_DIR", tmp_path / "nothing-here")
    html = client.request("GET", "/explore/overview").text
    assert "assets are not installed" in html
    assert "25-explore-assets.sh" in html
    assert "dagre.min.js" in html


def test_the_page_stays_small_enough_to_read() -> None:
    own = [*page.STATIC_DIR.glob("*.js"), *page.STATIC_DIR.glob("*.css")]
    lines = sum(len(p.read_text().splitlines()) for p in own)
    assert lines < 1500, lines


def test_charts_name_real_properties_and_enum_values(monkeypatch: pytest.MonkeyPatch) -> None:
    charts = chart_module.charts()
    assert [c["key"] for c in charts] == [c.key for c in chart_module.CHARTS]
    for c in charts:
        ot = ONTOLOGY.object_type(c["objectType"])
        fields = {p.camel_name for p in ot.properties}
        assert c["bars"]["field"] in fields
        assert c["stack"] is None or c["stack"]["field"] in fields
    bad = chart_module.Chart("x", "X", "Gate", "no_such_property")
    monkeypatch.setattr(chart_module, "CHARTS", (bad,))
    with pytest.raises(OntologyError, match="no_such_property"):
        chart_module.charts()


def test_each_chart_is_one_aggregate_query_the_api_answers(client: Any) -> None:
    for c in chart_module.charts():
        group_by = [c["bars"]["field"]] + ([c["stack"]["field"]] if c["stack"] else [])
        data = client.data(
            "query($t: String!, $g: [String!]!, $w: JSON) "
            "{ aggregate(objectType: $t, groupBy: $g, where: $w) { group count } }",
            {"t": c["objectType"], "g": group_by, "w": c["where"]},
        )
        for group in data["aggregate"]:
            assert set(group["group"]) == set(group_by)
