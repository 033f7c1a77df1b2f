"""The documentation site in headless Chromium, opened from file://.

Pages load without console errors, Mermaid diagrams become SVG, a map node
opens its page, the search finds a field, every internal link of the
payments site resolves in the browser, and hostile values stay inert.
Screenshots of the index, a contract page and the map land in tmp_path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.docs.site_helpers import REFERENCE_PATTERNS

pytestmark = pytest.mark.timeout(300)


def _open(browser: Any, page: Path) -> list[dict[str, Any]]:
    """Load ``page``; wait for its diagrams when it has some; the console errors it logged."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri())
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return document.readyState") == "complete")
    if browser.execute_script("return document.querySelector('pre.mermaid') !== null"):
        WebDriverWait(browser, 30).until(
            lambda b: b.execute_script("return document.body.getAttribute('data-diagrams')"))
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _screenshot(browser: Any, path: Path) -> None:
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(max(height, 600), 2400))
    browser.save_screenshot(str(path))
    browser.set_window_size(1280, 900)


def test_payments_pages_render_and_the_map_opens_a_handler(browser: Any, payments_site: Path,
                                                          tmp_path: Path) -> None:
    assert _open(browser, payments_site / "index.html") == []
    badge = browser.find_element("css selector", ".card.run .badge")
    assert badge.text == "passed"
    _screenshot(browser, tmp_path / "index.png")

    assert _open(browser, payments_site / "contracts/PaymentRequested.html") == []
    assert browser.find_elements("css selector", "table.fields tbody tr")
    assert browser.find_elements("css selector", "pre.code .j-key")  # highlighted schema
    _screenshot(browser, tmp_path / "contract.png")

    assert _open(browser, payments_site / "map.html") == []
    assert browser.execute_script("return document.body.getAttribute('data-diagrams')") == "drawn"
    assert browser.find_elements("css selector", "#system-map svg g.node")
    _screenshot(browser, tmp_path / "map.png")
    target = next(n for n in browser.find_elements("css selector", "#system-map svg g.node.linked")
                  if "PaymentsFunction" in n.text)
    target.click()
    assert browser.current_url.endswith("handlers/PaymentsFunction.html")
    for name in ("index.png", "contract.png", "map.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name


def test_the_search_finds_a_field(browser: Any, payments_site: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    assert _open(browser, payments_site / "index.html") == []
    box = browser.find_element("css selector", "header .search-box input")
    box.send_keys("amount\n")  # the header's box leads to the search page
    WebDriverWait(browser, 20).until(lambda b: b.find_elements("css selector", "#search-results li"))
    results = [li.text for li in browser.find_elements("css selector", "#search-results li")]
    assert any(r.startswith("PaymentRequested.amount") for r in results), results
    link = browser.find_element("css selector", "#search-results li a")
    link.click()
    assert "#field-" in browser.current_url
    assert browser.execute_script("return document.querySelector(':target') !== null")


def test_every_link_of_the_payments_site_resolves_in_the_browser(browser: Any, payments_site: Path) -> None:
    pending, seen = [(payments_site / "index.html").as_uri()], set()
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        browser.get(url)
        assert "ERR_FILE_NOT_FOUND" not in browser.page_source, url
        assert browser.find_elements("css selector", "main h1"), url
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], (url, errors)
        for href in browser.execute_script(
                "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"):
            assert href.startswith("file://"), (url, href)
            page = href.split("#")[0]
            if page.endswith(".html"):
                pending.append(page)
            else:
                assert Path(page.removeprefix("file://")).is_file(), (url, href)
    assert len(seen) == len(list(payments_site.rglob("*.html"))) - 1  # all but search.html (a form)


def test_the_reference_site_draws_its_flows(browser: Any, reference_site: Path, tmp_path: Path) -> None:
    assert _open(browser, reference_site / "features/outbox.html") == []
    assert len(browser.find_elements("css selector", "figure.diagram svg")) == 2
    assert _open(browser, reference_site / "map.html") == []
    assert len(browser.find_elements("css selector", "#system-map svg g.node.linked")) > 20
    # One cluster per pattern's template, each holding its own functions.
    clusters = browser.execute_script(
        "return Array.from(document.querySelectorAll('#system-map svg g.cluster'))"
        ".map(c => c.textContent.trim())")
    assert sorted(clusters) == sorted(REFERENCE_PATTERNS), clusters
    _screenshot(browser, tmp_path / "reference-map.png")
    assert (tmp_path / "reference-map.png").stat().st_size > 10_000
    target = next(n for n in browser.find_elements("css selector", "#system-map svg g.node.linked")
                  if n.text == "PaymentProcessorFunction")
    target.click()
    assert browser.current_url.endswith("handlers/PaymentProcessorFunction.html")
    assert "CommandQueue (queue, command_bus)" in browser.find_element("css selector", "main").text


def test_hostile_values_stay_inert(browser: Any, hostile_site: Path) -> None:
    for page in ("index.html", "contracts/Evil.html", "features/evil.html", "handlers/EvilHandler.html",
                 "map.html"):
        _open(browser, hostile_site / page)
        assert browser.execute_script("return window.__xss === undefined"), page
        assert browser.execute_script("return document.querySelectorAll('img[onerror]').length") == 0, page
        assert browser.execute_script("return document.querySelectorAll('main script').length") <= 1, page
    _open(browser, hostile_site / "contracts/Evil.html")
    assert "<script>window.__xss = 1</script>" in browser.find_element("css selector", "main").text
    browser.get((hostile_site / "search.html").as_uri() + "?q=evil")
    assert browser.execute_script("return window.__xss === undefined")
    assert browser.find_elements("css selector", "#search-results li")
