"""The map page in real headless Chromium (Debian's chromium and chromedriver, Selenium).

The page is written by a real ``caregraph map`` run and opened from a ``file:`` URL.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from support import chromium_driver

import caregraph
from caregraph.namespaces import CGV, DD
from caregraph.netmap import load_network, map_html
from caregraph.netmap.model import RELATIONS, Filters, Network


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = chromium_driver(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The map of the Dresden graph, written by the real command."""
    out = tmp_path_factory.mktemp("map") / "map.html"
    done = subprocess.run(
        [sys.executable, "-m", "caregraph", "--lang", "en", "map", "-o", str(out),
         "--resource-url", "https://example.org/resource?iri={iri}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def open_page(browser: webdriver.Chrome, url: str) -> None:
    browser.get("about:blank")
    browser.get_log("performance")  # drop what came before
    browser.get(url)
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.body.getAttribute('data-ready')") == "true"
    )


def requests_made(browser: webdriver.Chrome) -> list[str]:
    """URLs of the requests the browser made since the last call (Chrome's performance log)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def visible_actors(browser: webdriver.Chrome) -> set[str]:
    return set(browser.execute_script("return caregraphMap.visibleActors()"))


def graph_actors() -> set[str]:
    return {n.id for n in load_network(caregraph.open_store(), "en").actors}


def actors_in(district: str) -> set[str]:
    """The actors the stored query lists for ``district`` (city-wide actors included)."""
    rows = caregraph.run_query("actors_in_district", district=district).to_dicts()
    return {r["actor"] for r in rows}


def visible_edges(browser: webdriver.Chrome) -> list[tuple[str, str, str]]:
    """Source, relation and target of every edge the page shows, sorted."""
    edges = browser.execute_script(
        "return caregraphMap.cy.edges().filter(function (e) { return e.visible(); })"
        ".map(function (e) { return [e.data('source'), e.data('relation'), e.data('target')]; })"
    )
    return sorted(tuple(e) for e in edges)


def model_edges(network: Network) -> list[tuple[str, str, str]]:
    """The same for the part of the network the model's filters keep."""
    return sorted((e.source, e.relation, e.target) for e in network.edges)


def test_every_actor_is_drawn(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    actors = graph_actors()
    assert visible_actors(browser) == actors
    # drawn means: rendered inside the graph's box, with its label
    drawn = browser.execute_script(
        """
        var cy = caregraphMap.cy, w = cy.width(), h = cy.height();
        return cy.nodes('.actor').filter(function (n) {
          var p = n.renderedPosition();
          return n.visible() && p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h
                 && n.renderedWidth() > 4 && n.style('label').length > 0;
        }).map(function (n) { return n.id(); });
        """
    )
    assert set(drawn) == actors
    items = browser.find_elements(By.CSS_SELECTOR, "#actor-list button")
    assert len(items) == len(actors)
    assert (
        browser.find_element(By.ID, "count").text == f"{len(actors)} / {len(actors)} visible actors"
    )


def test_district_filter_shows_what_the_graph_says(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    before = visible_actors(browser)
    Select(browser.find_element(By.ID, "filter-district")).select_by_visible_text("Prohlis")
    # the query lists the actors active there or in a part of it, those active city-wide
    # (in dd:dresden, which encloses it) and those responsible for or taking part in its steps
    expected = actors_in("Prohlis")
    assert {str(DD.sozialamt), str(DD["landeshauptstadt-dresden"])} <= expected
    after = visible_actors(browser)
    assert after == expected
    assert after < before
    # a locality no actor names: only the city-wide actors are present there
    Select(browser.find_element(By.ID, "filter-district")).select_by_visible_text("Weixdorf")
    rows = caregraph.run_query("actors_in_district", district="Weixdorf").to_dicts()
    assert rows and {r["relation"] for r in rows} == {"stadtweit aktiv"}
    assert visible_actors(browser) == {r["actor"] for r in rows}
    assert visible_actors(browser) < after
    browser.find_element(By.ID, "reset").click()
    assert visible_actors(browser) == before


def test_sector_and_relation_filters(browser: webdriver.Chrome, tmp_path: Path) -> None:
    # The page and the model are made from the same Network object, so the test compares
    # the page's filters with the model's filters on identical data.
    sector = str(CGV["sector-civil-society"])
    network = load_network(caregraph.open_store(), "en")
    page = tmp_path / "map.html"
    page.write_text(map_html(network), encoding="utf-8")
    open_page(browser, page.as_uri())
    for box in browser.find_elements(By.CSS_SELECTOR, "#filter-sector input"):
        if box.get_attribute("value") != sector:
            box.click()
    # exactly the actors of that sector, the Seniorenbeirat among them (civil society by the
    # sector scheme's rule for advisory councils)
    expected = {n.id for n in network.actors if n.sector == sector}
    assert str(DD.seniorenbeirat) in expected and str(DD.sozialamt) not in expected
    assert visible_actors(browser) == expected
    every = network.filtered(Filters(sector=sector))
    assert visible_edges(browser) == model_edges(every)
    assert "participation" in {relation for _, relation, _ in visible_edges(browser)}
    # without participation: the Seniorenbeirat's task and NWiD's remain, with their measures
    browser.find_element(By.CSS_SELECTOR, "#filter-relation input[value=participation]").click()
    others = [r for r in RELATIONS if r != "participation"]
    shown = network.filtered(Filters(sector=sector), relations=others)
    edges = visible_edges(browser)
    assert edges == model_edges(shown)
    told = (str(DD.seniorenbeirat), "responsibility", str(DD["task-information-seniorenbeirat"]))
    assert told in edges
    assert "participation" not in {relation for _, relation, _ in edges}
    assert visible_actors(browser) == expected


def test_clicking_a_node_shows_its_details(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    iri = str(DD.sozialamt)
    x, y = browser.execute_script(
        "var p = caregraphMap.cy.getElementById(arguments[0]).renderedPosition();"
        "return [p.x, p.y];",
        iri,
    )
    canvas = browser.find_element(By.ID, "cy")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()
    panel = browser.find_element(By.ID, "panel")
    WebDriverWait(browser, 5).until(lambda d: panel.find_elements(By.TAG_NAME, "h2"))
    assert panel.find_element(By.TAG_NAME, "h2").text == "Social Welfare Office"
    text = panel.text
    assert "administrative unit" in text and "state" in text
    assert "slide 6" in text and "Aufgabe Sozialamt" in text
    # the steps are the list's own items (a step's marks are a list inside its item)
    steps = panel.find_elements(By.CSS_SELECTOR, "ul.steps > li")
    assert len(steps) == 2
    assert all("Status: planned" in s.text and "Role: lead" in s.text for s in steps)
    assert "Certainty: confirmed" in steps[0].text
    assert "Prohlis" in text  # districts
    link = panel.find_element(By.CSS_SELECTOR, "a.resource")
    assert link.get_attribute("href").endswith(
        "iri=https%3A%2F%2Fw3id.org%2Fcaregraph%2Fdresden%2Fsozialamt"
    )
    # a step in the list opens that step
    steps[1].find_element(By.TAG_NAME, "button").click()
    assert panel.find_element(By.TAG_NAME, "h2").text.startswith("Sectoral Plan")


def test_unconfirmed_responsibility_is_marked(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    browser.execute_script("caregraphMap.select(arguments[0])", str(DD["gb-5"]))
    item = browser.find_element(By.CSS_SELECTOR, "#panel ul.steps li")
    assert "Certainty: unconfirmed" in item.text
    assert "unconfirmed" in item.get_attribute("class")


def test_search_by_name(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    search = browser.find_element(By.ID, "search")
    search.send_keys("welfare")
    matches = browser.execute_script(
        "return caregraphMap.cy.nodes('.match').map(function (n) { return n.id(); })"
    )
    assert str(DD.sozialamt) in matches and str(DD["stakeholders-freie-traeger"]) in matches
    listed = [
        li.text
        for li in browser.find_elements(By.CSS_SELECTOR, "#actor-list li")
        if li.is_displayed()
    ]
    assert "Social Welfare Office" in listed and "NWiD" not in listed
    search.send_keys(Keys.ENTER)
    assert browser.find_element(By.CSS_SELECTOR, "#panel h2").text in {
        "Social Welfare Office",
        "Representatives of independent (non-statutory) welfare providers",
    }


def test_gap_matrix_tab(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    browser.find_element(By.ID, "tab-gaps").click()
    table = browser.find_element(By.CSS_SELECTOR, "#view-gaps table.gaps")
    assert table.is_displayed()
    assert not browser.find_element(By.ID, "view-map").is_displayed()
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr[data-area]")
    assert len(rows) == 21
    # a cell leads to the map, filtered to its area and sector
    cell = table.find_element(
        By.CSS_SELECTOR, f'td[data-area="{DD.prohlis}"][data-column$="sector-state"]'
    )
    # the state actors present in Prohlis as actors_in_district lists them: those responsible
    # there and the city-wide ones (the city administration and the city council)
    network = load_network(caregraph.open_store(), "en")
    state = {n.id for n in network.actors if n.sector == str(CGV["sector-state"])}
    expected = actors_in("Prohlis") & state
    assert expected == {
        str(DD.sozialamt),
        str(DD["beauftragte-menschen-mit-behinderungen-senioren"]),
        str(DD["landeshauptstadt-dresden"]),
        str(DD.stadtrat),
    }
    assert cell.text == str(len(expected)) == "4"
    cell.click()
    assert browser.find_element(By.ID, "view-map").is_displayed()
    assert visible_actors(browser) == expected


def test_the_page_makes_no_network_request(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    browser.execute_script("caregraphMap.select(arguments[0])", str(DD.sozialamt))
    browser.find_element(By.ID, "tab-gaps").click()
    browser.find_element(By.ID, "tab-map").click()
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert requests_made(browser) == [page.as_uri()]


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.seen.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_request_check_catches_a_request(browser: webdriver.Chrome, tmp_path: Path) -> None:
    """The check above can fail: a page that loads an image from a local listener is caught."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/pixel.png"
        leaky = tmp_path / "leaky.html"
        leaky.write_text(
            f'<!DOCTYPE html><body data-ready="true"><img src="{url}"></body>', encoding="utf-8"
        )
        open_page(browser, leaky.as_uri())
        WebDriverWait(browser, 10).until(lambda d: _Recorder.seen)
        assert url in requests_made(browser)
    finally:
        server.shutdown()


def test_gap_matrix_tab_with_fields_of_action(browser: webdriver.Chrome, page: Path) -> None:
    open_page(browser, page.as_uri())
    browser.find_element(By.ID, "tab-gaps").click()
    field_cell = f'td[data-area="{DD.prohlis}"][data-column$="field-intergenerational-encounter"]'
    cell = browser.find_element(By.CSS_SELECTOR, field_cell)
    assert not cell.is_displayed()
    browser.find_element(By.ID, "show-fields").click()
    assert cell.is_displayed() and cell.text == "1"
    cell.click()
    assert visible_actors(browser) == {str(DD.sozialamt)}
