"""caregraph serve in a real headless Chromium (Debian's chromium and chromedriver, Selenium).

The flow of the issue: open the home page, search for a district, run a stored query with a
parameter typed into its form, follow a result to its resource page, download the CSV and
switch the language, with a screenshot of each step. Screenshots go to the test's temporary
folder, and also to ``$CAREGRAPH_SCREENSHOTS`` when set (the README's come from there).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait
from support import require_program
from webserver import running_server

from caregraph import resources

pytestmark = pytest.mark.server

HOSTILE = Path(__file__).parent / "data" / "web" / "hostile.ttl"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running_server("--data", str(resources.data_dir()), "--data", str(HOSTILE)) as url:
        yield url


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[tuple[webdriver.Chrome, Path]]:
    chromium = require_program("chromium")
    driver_path = require_program("chromedriver")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,1000",
    ):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            # A German browser: the first page comes in German from Accept-Language.
            "intl.accept_languages": "de-DE,de",
        },
    )
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver, downloads
    finally:
        driver.quit()


def shot(driver: webdriver.Chrome, tmp_path: Path, name: str) -> Path:
    """Save a screenshot of the whole page (and copy it to $CAREGRAPH_SCREENSHOTS)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(int(height), 600), 2400))
    path = tmp_path / f"{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000  # a rendered page, not a blank one
    target = os.environ.get("CAREGRAPH_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
    driver.set_window_size(1280, 1000)
    return path


def test_the_issue_flow(base: str, browser: tuple[webdriver.Chrome, Path], tmp_path: Path) -> None:
    driver, downloads = browser
    # Home: German from the browser's Accept-Language; English through the switch.
    driver.get(base + "/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    assert "Sorgende Gemeinschaften" in driver.find_element(By.TAG_NAME, "h1").text
    driver.find_element(By.ID, "lang-en").click()
    WebDriverWait(driver, 20).until(expected.url_contains("lang=en"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "caregraph: caring communities in Dresden"
    shot(driver, tmp_path, "home")

    # Search for a district.
    box = driver.find_element(By.ID, "home-q")
    box.send_keys("Prohl")
    box.submit()
    WebDriverWait(driver, 20).until(expected.url_contains("/search?"))
    hit = driver.find_element(By.CSS_SELECTOR, "ul.hits a[href^='/dresden/prohlis']")
    assert hit.text == "Prohlis"
    shot(driver, tmp_path, "search")

    # Run a stored query with a parameter typed into its form.
    driver.get(base + "/queries/actors_in_district?lang=en")
    field = driver.find_element(By.ID, "param-district")
    options = [o.get_attribute("value") for o in driver.find_elements(
        By.CSS_SELECTOR, "#choices-district option")]  # fmt: skip
    assert "Prohlis" in options and "Loschwitz" in options
    field.clear()
    field.send_keys("Loschwitz")
    driver.find_element(By.ID, "run").click()
    WebDriverWait(driver, 20).until(expected.url_contains("district=Loschwitz"))
    count = int(driver.find_element(By.ID, "row-count").text)
    assert count > 0
    rows = driver.find_elements(By.CSS_SELECTOR, "section.result tbody tr")
    assert len(rows) == count
    shot(driver, tmp_path, "query")

    # Follow a result to its resource page.
    link = driver.find_element(By.CSS_SELECTOR, "section.result tbody tr td a")
    name = link.text
    link.click()
    WebDriverWait(driver, 20).until(expected.url_contains("/dresden/"))
    assert driver.find_element(By.TAG_NAME, "h1").text == name
    assert driver.find_element(By.CSS_SELECTOR, "p.iri code").text.startswith(
        "https://w3id.org/caregraph/"
    )
    shot(driver, tmp_path, "resource")

    # Download the CSV of the query.
    driver.back()
    driver.find_element(By.ID, "download-csv").click()
    target = downloads / "actors_in_district.csv"
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), list(downloads.iterdir())
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("actor,") and len(lines) == count + 1

    # Switch the language on the query page: the parameters stay, the texts change.
    driver.find_element(By.ID, "lang-de").click()
    WebDriverWait(driver, 20).until(expected.url_contains("lang=de"))
    assert "district=Loschwitz" in driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text == "Akteure in einem Stadtbezirk"
    assert driver.find_element(By.ID, "run").text == "Abfragen"
    shot(driver, tmp_path, "query-de")


def test_hostile_label_shows_as_text_in_the_browser(
    base: str, browser: tuple[webdriver.Chrome, Path], tmp_path: Path
) -> None:
    driver, _ = browser
    driver.get(base + "/dresden/hostile-initiative?lang=de")
    heading = driver.find_element(By.TAG_NAME, "h1").text
    assert heading == "<script>alert('de')</script> Initiative & Co"
    assert (
        driver.find_elements(By.CSS_SELECTOR, "main script, main img, main form[action^='https']")
        == []
    )
    shot(driver, tmp_path, "hostile")


def test_pages_work_without_javascript_and_resource_page_screenshot(
    base: str, browser: tuple[webdriver.Chrome, Path], tmp_path: Path
) -> None:
    driver, _ = browser
    for path in ("/", "/queries", "/api", "/sparql", "/validation", "/ontology"):
        driver.get(base + path + "?lang=en")
        assert driver.find_elements(By.TAG_NAME, "script") == [], path
    driver.get(base + "/dresden/sozialamt?lang=en")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Social Welfare Office"
    quote = driver.find_element(By.CSS_SELECTOR, ".source blockquote").text
    assert quote == "Aufgabe Sozialamt"
    shot(driver, tmp_path, "resource-sozialamt")
    driver.get(base + "/validation?lang=en")
    assert driver.find_elements(By.CSS_SELECTOR, "table.findings tbody tr")
    shot(driver, tmp_path, "validation")
