"""The playground: served with its own assets (no CDN), and really usable in a browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from apikit import Running

from opencase.api import playground
from opencase.api.playground import page

CHROMEDRIVER = "/usr/bin/chromedriver"
needs_assets = pytest.mark.skipif(
    not playground.assets_present(),
    reason="playground assets missing: run scripts/setup.d/20-playground-assets.sh",
)


@needs_assets
def test_browsers_get_graphiql_from_opencase_itself(client: Any) -> None:
    html = client.request("GET", "/graphql", headers={"Accept": "text/html"}).text
    assert "GraphiQL" in html
    assert "/playground/vendor/graphiql.min.js" in html
    assert "://" not in html.split("<script>")[0], "no asset may come from another host"
    for name in page.ASSETS:
        asset = client.request("GET", f"/playground/vendor/{name}")
        assert asset.status_code == 200 and len(asset.content) > 1000


def test_missing_assets_are_explained(
    client: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(page, "VENDOR_DIR", tmp_path / "nothing-here")
    html = client.request("GET", "/graphql", headers={"Accept": "text/html"}).text
    assert "assets are not installed" in html
    assert "20-playground-assets.sh" in html


QUERY = "{ modelWorks { totalCount } }"


@pytest.mark.slow
@pytest.mark.timeout(300)
@needs_assets
@pytest.mark.skipif(
    not (shutil.which("chromium") and os.path.exists(CHROMEDRIVER)),
    reason="chromium/chromium-driver not installed: run scripts/setup.d/30-chromium.sh",
)
def test_graphiql_runs_a_query_in_headless_chromium(server: Running, tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

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
        "--window-size=1400,900",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    # explicit driver path: Selenium Manager must not try to download anything
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    try:
        assert httpx.get(f"http://{server.url}/healthz").status_code == 200
        driver.get(f"http://{server.url}/graphql")
        wait = WebDriverWait(driver, 60)
        editor = wait.until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, ".graphiql-query-editor .CodeMirror"))
        )
        editor.click()
        area = driver.switch_to.active_element
        area.send_keys(Keys.CONTROL, "a")
        area.send_keys(Keys.DELETE)
        area.send_keys(QUERY)
        typed = driver.execute_script(
            "return document.querySelector('.graphiql-query-editor .CodeMirror')"
            ".CodeMirror.getValue()"
        )
        assert "modelWorks" in typed
        driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
        response = (By.CSS_SELECTOR, ".graphiql-response")
        wait.until(ec.text_to_be_present_in_element(response, '"totalCount": 3'))
        driver.save_screenshot(str(tmp_path / "playground.png"))
        shot = os.environ.get("OPENCASE_PLAYGROUND_SCREENSHOT")
        if shot:
            shutil.copy(tmp_path / "playground.png", shot)
        assert (tmp_path / "playground.png").stat().st_size > 10_000
    finally:
        driver.quit()
