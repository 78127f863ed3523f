"""The explorer in real Chromium, on the demo graph, on a real uvicorn server.

One walk through the views a newcomer takes (search a model, open it, its
lineage, expand a node, follow a path, the overview), each drawn element
checked against the GraphQL answer for the same question, screenshots saved
under tests/artefacts/explore/, axe-core run on every view. The time to draw a
depth-4 lineage of 500 nodes is measured and reported (printed and saved
beside the screenshots), not asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import uvicorn
from apikit import _free_port

from opencase.api import explore
from opencase.api.app import create_app
from opencase.api.auth import ApiKeyStore
from opencase.graph import open_store
from opencase.graph.store import LinkRecord, ObjectRecord
from opencase.loaders.demo import build_demo
from opencase.ontology import ONTOLOGY

CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "tests" / "artefacts" / "explore"
HPC = "model-work:A330:72:hpc-cf6-80e-cruise"
BIG = "model-version:BIG"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        not explore.assets_present(),
        reason="explorer assets missing: run scripts/setup.d/25-explore-assets.sh",
    ),
    pytest.mark.skipif(
        not (shutil.which("chromium") and os.path.exists(CHROMEDRIVER)),
        reason="chromium/chromium-driver not installed: run scripts/setup.d/30-chromium.sh",
    ),
]


def _port() -> int:
    """A free port, from OPENCASE_TEST_PORTS ("first-last") when set."""
    span = os.environ.get("OPENCASE_TEST_PORTS")
    if not span:
        return _free_port()
    import socket

    first, last = (int(x) for x in span.split("-"))
    for port in range(first, last + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {span}")


def _big_lineage() -> tuple[list[ObjectRecord], list[LinkRecord]]:
    """A model version whose depth-4 lineage passes 500 objects: ten runs made it, each
    from four dataset versions, each derived from three, each of those from three more."""
    objects = [ObjectRecord("ModelVersion", {"model_version_id": "BIG", "version": "big"})]
    links = []

    def dataset(key: str) -> str:
        objects.append(
            ObjectRecord("DatasetVersion", {"dataset_version_id": key, "version_id": key})
        )
        return f"dataset-version:{key}"

    for e in range(10):
        run = f"big-{e}"
        objects.append(
            ObjectRecord("Experiment", {"run_key": run, "tracking_system": "mlflow", "run_id": run})
        )
        links.append(LinkRecord("model-version-has-experiment", BIG, f"experiment:{run}"))
        for d in range(4):
            used = dataset(f"{run}-{d}")
            links.append(LinkRecord("experiment-used-dataset", f"experiment:{run}", used))
            for s in range(3):
                source = dataset(f"{run}-{d}-{s}")
                links.append(LinkRecord("dataset-version-derived-from", used, source))
                for t in range(3):
                    origin = dataset(f"{run}-{d}-{s}-{t}")
                    links.append(LinkRecord("dataset-version-derived-from", source, origin))
    return objects, links


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys") / "keys.json"


@pytest.fixture(scope="module")
def write_key(keys: Path) -> str:
    return ApiKeyStore(keys).create("write", "explorer-test")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory, keys: Path) -> Iterator[str]:
    path = str(tmp_path_factory.mktemp("explore") / "graph")
    with open_store(path) as store:
        store.install_schema()
        build_demo(store)
        for _ in store.upsert(*_big_lineage()):
            pass
    with _serve(create_app(path, keys_path=keys)) as base:
        yield base


@contextmanager
def _serve(app: Any) -> Iterator[str]:
    port = _port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert thread.is_alive(), "the server failed to start"
        assert time.monotonic() < deadline, "the server did not start in 60 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser(demo_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """The driver plus the GraphQL endpoint the page reads, to check it against."""

    def __init__(self, driver: Any, base: str) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.d = driver
        self.base = base
        self.wait = WebDriverWait(driver, 60)

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        body = httpx.post(
            f"{self.base}/graphql", json={"query": query, "variables": variables}, timeout=60
        ).json()
        assert not body.get("errors"), body
        return body["data"]

    def js(self, script: str, *args: Any) -> Any:
        return self.d.execute_script(script, *args)

    def heading(self, text: str) -> None:
        self.wait.until(
            lambda d: text in (self.js("return document.querySelector('h1')?.textContent") or "")
        )

    def css(self, selector: str) -> list[Any]:
        return self.d.find_elements("css selector", selector)

    def drawn(self) -> tuple[set[str], set[tuple[str, str, str]]]:
        return (
            set(
                self.js(
                    "return [...document.querySelectorAll('svg.graph [data-object-id]')]"
                    ".map(n => n.dataset.objectId)"
                )
            ),
            {
                tuple(e)
                for e in self.js(
                    "return [...document.querySelectorAll('svg.graph [data-link-type]')]"
                    ".map(e => [e.dataset.source, e.dataset.linkType, e.dataset.target])"
                )
            },
        )

    def shot(self, name: str) -> Path:
        target = ARTEFACTS / f"{name}.png"
        self.d.save_screenshot(str(target))
        assert target.stat().st_size > 10_000
        return target

    def axe(self, name: str) -> None:
        """No WCAG 2 A/AA violation (contrast, names, keyboard reachability) on the view."""
        if not self.js("return !!window.axe"):
            self.js((explore.VENDOR_DIR / "axe.min.js").read_text())
        result = self.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
            ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
            ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));"
        )
        assert result == [], f"{name}: {json.dumps(result, indent=1)}"


LINEAGE = """query($id: ID!, $d: Int!) {
  lineage(id: $id, direction: BOTH, depth: $d, maxNodes: 500) {
  nodes { id } edges { source target linkType } partial } }"""


def _graph(data: dict[str, Any]) -> tuple[set[str], set[tuple[str, str, str]]]:
    return {n["id"] for n in data["nodes"]}, {
        (e["source"], e["linkType"], e["target"]) for e in data["edges"]
    }


def test_a_newcomer_walks_through_the_explorer(browser: Any, demo_server: str) -> None:
    from selenium.webdriver.common.keys import Keys

    page = Page(browser, demo_server)

    # search a model: results grouped by object type, as the search field answers
    browser.get(f"{demo_server}/explore")
    page.heading("Explore the graph")
    page.axe("home")
    box = page.css("#search-text")[0]
    box.send_keys("HPC", Keys.ENTER)
    page.heading("Search: HPC")
    hits = page.gql('{ search(text: "HPC", first: 100) { id objectType } }')["search"]
    groups = {h["objectType"] for h in hits}
    shown = {s.get_attribute("data-object-type") for s in page.css("section.group")}
    assert shown == groups
    listed = page.js(
        "return [...document.querySelectorAll('section.group a.obj')]"
        ".map(a => a.getAttribute('href'))"
    )
    assert len(listed) == len(hits)
    page.shot("1-search")
    page.axe("search")

    # open the model: properties, links per link type, as GraphQL has them
    page.css(f"section.group a.obj[href$='{HPC}']")[0].click()
    title = page.gql(f'{{ object(id: "{HPC}") {{ title }} }}')["object"]["title"]
    page.heading(title)
    versions = page.gql(
        f'{{ modelWork(id: "{HPC}") {{ versions {{ edges {{ node {{ id }} }} }} }} }}'
    )["modelWork"]["versions"]["edges"]
    drawn_versions = page.js(
        "return [...document.querySelectorAll("
        "'section.links[data-link-type=\"model-work-has-version\"] a.obj')]"
        ".map(a => a.getAttribute('href'))"
    )
    assert sorted(unquote(h.split("/object/")[1]) for h in drawn_versions) == sorted(
        v["node"]["id"] for v in versions
    )
    assert page.css("table.props .desc"), "properties carry their descriptions"
    page.shot("2-object")
    page.axe("object")

    # its lineage: every drawn node and edge is one of the lineage answer's
    page.css("a.button[href*='/lineage/']")[0].click()
    page.heading("Lineage of")
    page.wait.until(lambda d: page.css("svg.graph [data-object-id]"))
    expected = _graph(page.gql(LINEAGE, id=HPC, d=3)["lineage"])
    assert page.drawn() == expected
    page.shot("3-lineage")
    page.axe("lineage")

    # expand a node in place: its neighbours join the drawing
    nodes, _ = page.drawn()
    target = sorted(nodes - {HPC})[0]
    before = len(nodes)
    page.css(f"[data-expand='{target}']")[0].click()
    page.wait.until(
        lambda d: (
            target
            not in page.js(
                "return [...document.querySelectorAll('[data-expand]')].map(e => e.dataset.expand)"
            )
        )
    )
    around = _graph(page.gql(LINEAGE, id=target, d=1)["lineage"])
    nodes, edges = page.drawn()
    assert around[0] <= nodes and around[1] <= edges
    assert len(nodes) >= before
    page.shot("4-expanded")

    # a deep link survives a reload
    browser.refresh()
    page.heading("Lineage of")
    page.wait.until(lambda d: page.css("svg.graph [data-object-id]"))
    assert page.drawn() == expected

    # keyboard: a focused node opens with Enter
    node = page.css(f"svg.graph [data-object-id='{HPC}']")[0]
    browser.execute_script("arguments[0].focus()", node)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    page.heading(title)

    # follow a path to where the model is deployed
    deployments = page.gql(
        f'{{ lineage(id: "{HPC}", direction: BOTH, depth: 4, maxNodes: 500) '
        "{ nodes { id objectType } } }"
    )["lineage"]["nodes"]
    deployment = sorted(n["id"] for n in deployments if n["objectType"] == "deployment")[0]
    browser.get(f"{demo_server}/explore/lineage/{HPC}")
    page.heading("Lineage of")
    field = page.css("#path-to")[0]
    field.send_keys(deployment, Keys.ENTER)
    page.heading("Path:")
    path = page.gql(
        "query($f: ID!, $t: ID!) { path(from: $f, to: $t, maxDepth: 8) "
        "{ nodes { id } edges { source target linkType } } }",
        f=HPC,
        t=deployment,
    )["path"]
    on_path = set(
        page.js(
            "return [...document.querySelectorAll('.node.on-path')].map(n => n.dataset.objectId)"
        )
    )
    assert on_path == {n["id"] for n in path["nodes"]}
    edges_on_path = {
        tuple(e)
        for e in page.js(
            "return [...document.querySelectorAll('.edge.on-path')]"
            ".map(e => [e.dataset.source, e.dataset.linkType, e.dataset.target])"
        )
    }
    assert edges_on_path == {(e["source"], e["linkType"], e["target"]) for e in path["edges"]}
    page.shot("5-path")
    page.axe("path")

    # the overview: counts per type and the seed questions, each bar a filtered-list link
    page.css("nav a[href='/explore/overview']")[0].click()
    page.heading("Overview")
    page.wait.until(lambda d: len(page.css("section.chart")) >= 5)
    labels = page.js(
        "return [...document.querySelectorAll('[data-chart=\"counts\"] a')]"
        ".map(a => a.getAttribute('aria-label'))"
    )
    total = page.gql("{ modelWorks(first: 1) { totalCount } }")["modelWorks"]["totalCount"]
    assert f"ModelWork model-work: {total}" in labels
    deploys = page.gql(
        '{ aggregate(objectType: "Deployment", groupBy: ["environment", "status"]) { count } }'
    )["aggregate"]
    drawn = page.js(
        "return [...document.querySelectorAll('[data-chart=\"deployments\"] a')]"
        ".map(a => +a.getAttribute('aria-label').split(': ').pop())"
    )
    assert sum(drawn) == sum(g["count"] for g in deploys) and len(drawn) == len(deploys)
    page.shot("6-overview")
    page.axe("overview")

    # a bar opens the filtered list it counts
    first = page.css('[data-chart="deployments"] a')[0]
    count = int(first.get_attribute("aria-label").split(": ").pop())
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", first
    )
    page.wait.until(lambda d: "/explore/list/" in d.current_url)
    page.wait.until(lambda d: len(page.css("ul.hits a.obj")) == count)
    page.shot("7-filtered-list")


def test_the_page_sends_the_read_key_when_the_server_requires_one(
    browser: Any, tmp_path: Path, schema_template: Path
) -> None:
    path = tmp_path / "graph"
    shutil.copyfile(schema_template, path)
    keys = tmp_path / "keys.json"
    read_key = ApiKeyStore(keys).create("read", "explorer-reader")
    with _serve(create_app(str(path), keys_path=keys, require_read_key=True)) as base:
        page = Page(browser, base)
        browser.get(f"{base}/explore")
        page.wait.until(lambda d: page.css("#view .error"))
        assert "key" in page.css("#view .error")[0].text
        page.css("details.key summary")[0].click()
        page.css("#api-key")[0].send_keys(read_key)
        page.css("#api-key-save")[0].click()
        page.heading("Explore the graph")
        assert len(page.css("ul.types li")) == len(ONTOLOGY.object_types)
        browser.execute_script("localStorage.clear()")


def test_impact_is_one_click_from_the_lineage(browser: Any, demo_server: str) -> None:
    page = Page(browser, demo_server)
    start = page.gql(
        '{ datasetVersions(first: 1, where: {versionId: {eq: "v2024.10"}}) '
        "{ edges { node { id } } } }"
    )["datasetVersions"]["edges"][0]["node"]["id"]
    browser.get(f"{demo_server}/explore/lineage/{start}")
    page.heading("Lineage of")
    page.css("a.button[href*='/impact/']")[0].click()
    page.heading("Impact of")
    page.wait.until(lambda d: page.css("section.impact"))
    has_impact = page.js("return !!window.OpenCaseExplorer.S.query.impact")
    if has_impact:
        answer = page.gql(
            "query($id: ID!) { impact(id: $id, depth: 8, maxNodes: 500) { nodes { id } } }",
            id=start,
        )["impact"]
    else:
        answer = page.gql(
            "query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, depth: 8, maxNodes: 500)"
            " { nodes { id } } }",
            id=start,
        )["lineage"]
    listed = page.js(
        "return [...document.querySelectorAll('section.impact a.obj')]"
        ".map(a => decodeURIComponent(a.getAttribute('href').split('/object/')[1]))"
    )
    assert set(listed) == {n["id"] for n in answer["nodes"]} - {start}
    if has_impact:  # data-flow semantics: a dataset version's downstream reaches deployments
        assert any(i.startswith("deployment:") for i in listed), listed
    page.shot("9-impact")
    page.axe("impact")


def test_an_action_form_shows_errors_inline_and_runs(
    browser: Any, demo_server: str, write_key: str
) -> None:
    page = Page(browser, demo_server)
    gate = page.gql(
        "{ gates(first: 1, where: {status: {ne: Decided}}) { edges { node { id } } } }"
    )["gates"]["edges"][0]["node"]["id"]
    browser.get(f"{demo_server}/explore/object/{gate}")
    page.heading("Gate")
    page.css("details.key summary")[0].click()
    page.css("#api-key")[0].send_keys(write_key)
    page.css("#api-key-save")[0].click()
    page.wait.until(lambda d: page.css("form[data-action='rejectGate']"))
    page.css("details.action:has(form[data-action='rejectGate']) summary")[0].click()
    form = page.css("form[data-action='rejectGate']")[0]
    form.find_element("css selector", "button[type=submit]").click()
    error = "form[data-action='rejectGate'] [data-param='reason'] .field-error"
    page.wait.until(lambda d: page.css(error)[0].text.strip())
    assert "empty" in page.css(error)[0].text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", form)
    page.shot("10-action-error")
    page.axe("action form")
    form.find_element("css selector", "[name=reason]").send_keys("Evidence incomplete")
    form.find_element("css selector", "button[type=submit]").click()
    page.wait.until(lambda d: "Done" in form.find_element("css selector", ".form-status").text)
    logs = page.gql(
        "query($id: ID!) { gate(id: $id) { decision actionLogs { totalCount } } }", id=gate
    )["gate"]
    assert logs["decision"] == "Failed" and logs["actionLogs"]["totalCount"] == 1


def test_drawing_a_depth_4_lineage_of_500_nodes(browser: Any, demo_server: str) -> None:
    """Measured, not asserted: the time from the answer to the drawn SVG, and in all."""
    page = Page(browser, demo_server)
    answer = page.gql(LINEAGE.replace("$d: Int!", "$d: Int!"), id=BIG, d=4)["lineage"]
    assert len(answer["nodes"]) == 500
    started = time.perf_counter()
    browser.get(f"{demo_server}/explore/lineage/{BIG}?depth=4")
    page.wait.until(lambda d: len(page.css("svg.graph [data-object-id]")) == 500)
    total = time.perf_counter() - started
    draw_ms = page.js("return window.OpenCaseExplorer.lastDrawMs")
    nodes, edges = page.drawn()
    assert (nodes, edges) == _graph(answer)
    page.shot("8-lineage-500")
    report = {
        "nodes": 500,
        "depth": 4,
        "layout_and_draw_ms": round(draw_ms, 1),
        "page_s": round(total, 2),
    }
    (ARTEFACTS / "lineage-500.json").write_text(json.dumps(report, indent=1))
    print(f"\nexplorer: depth-4 lineage of 500 nodes: {report}")
