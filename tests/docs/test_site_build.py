"""eventproof docs build: the pages, what they say, escaping, errors (no browser needed)."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from eventproof.catalog import Catalog
from eventproof.cli.app import run
from eventproof.docs.fields import field_rows
from tests.docs.site_helpers import (
    REFERENCE_PATTERNS,
    REPOSITORY,
    XSS_ATTRIBUTE,
    XSS_SCRIPT,
    build,
    crawl,
    search_index,
    write_hostile_project,
)

pytestmark = pytest.mark.timeout(300)


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def test_the_payments_site_has_every_page_and_the_last_run(
        payments_site: Path, payments_report: Path) -> None:
    index = _text(payments_site / "index.html")
    passed = json.loads(payments_report.read_text(encoding="utf-8"))["counts"]["passed"]
    assert passed >= 10
    assert "Last run" in index and f"{passed} passed" in index and "Commit" in index
    for page in ("map.html", "search.html", "contracts/PaymentRequested.html",
                 "contracts/PaymentSettled.html", "handlers/PaymentsFunction.html",
                 "handlers/ReceiptsFunction.html", "schemas/PaymentSettled.avsc"):
        assert (payments_site / page).is_file(), page
    handler = _text(payments_site / "handlers/PaymentsFunction.html")
    for check in ("accepts-valid", "idempotent", "rejects-invalid", "emits"):
        assert re.search(rf"<td>{check}</td><td><span class=\"badge s-passed\">passed", handler), check
    assert "PaymentRequests (queue)" in handler  # its trigger, from the template's wiring


def test_the_map_is_drawn_from_the_template_wiring(payments_site: Path) -> None:
    page = _text(payments_site / "map.html")
    source = page.split('<pre class="mermaid">', 1)[1].split("</pre>", 1)[0]
    assert "PaymentRequests" in source and "PaymentsBus" in source and "dead letters" in source
    links = json.loads(page.split('id="map-links">', 1)[1].split("</script>", 1)[0])
    assert "handlers/PaymentsFunction.html" in links.values()


def test_every_internal_link_resolves(payments_site: Path, reference_site: Path) -> None:
    for site in (payments_site, reference_site):
        pages, broken = crawl(site)
        assert not broken, broken
        assert len(pages) == len(list(site.rglob("*.html")))  # every page is reachable
        for entry in search_index(site):
            assert (site / entry["url"].split("#")[0]).is_file(), entry


def test_the_reference_site_is_built_from_its_patterns_configurations(reference_site: Path) -> None:
    index = _text(reference_site / "index.html")
    assert "not run" in index
    page = _text(reference_site / "map.html")
    source = page.split('<pre class="mermaid">', 1)[1].split("</pre>", 1)[0]
    for pattern in REFERENCE_PATTERNS:  # each pattern's template is one subgraph
        assert f"subgraph g{REFERENCE_PATTERNS.index(pattern)}[&#34;{pattern}&#34;]" in source
    # Wiring from the templates, labelled by the contracts the configurations name.
    assert "CommandQueue" in source and "PaymentProcessorFunction" in source
    connections = page.split("<h2>Connections</h2>", 1)[1]
    assert re.search(r'>CommandQueue</a> <span class="muted">queue, command_bus</span></td><td>ProcessPayment'
                     r'</td><td><a href="handlers/PaymentProcessorFunction.html">', connections)
    assert re.search(r">Bus</a> <span class=\"muted\">bus, outbox</span></td><td>BookAdded</td>", connections)
    handler = _text(reference_site / "handlers/EmailHelperFunction.html")
    assert "AddLeedFunction (function, async_controller)" in handler  # it invokes the helper
    outbox = _text(reference_site / "features/outbox.html")
    assert outbox.count('<pre class="mermaid">') == 2
    assert "Adding a book answers 201 and the stream emits BookAdded" in outbox
    history = _text(reference_site / "contracts/VerificationReport.html")
    assert "Version history" in history and ("first version" in history or "working tree" in history)


def test_fields_expand_nested_records_arrays_and_refs() -> None:
    catalog = Catalog.load(REPOSITORY / "contracts")
    rows = {row.path: row for row in field_rows(catalog["VerificationReport"])}
    assert rows["results[].status"].depth == 2 and rows["results[].status"].required
    assert rows["counts.passed"].constraints == "minimum: 0"
    order = {row.path: row for row in field_rows(catalog["OrderPlaced"])}
    assert order["items[]"].via.endswith("common/OrderLine.schema.json")  # $ref into common/
    assert order["items[].unitPrice.currency"].depth == 3  # a $ref inside the $ref, expanded
    assert order["items[].unitPrice.currency"].constraints == "enum: EUR, USD, GBP"
    avro = {row.path: row for row in field_rows(catalog["PaymentFailed"])}
    assert avro["amount.amount"].depth == 1  # a nested Avro record, expanded
    assert "exclusiveMinimum: 0 (refinement)" in avro["amount.amount"].constraints
    settled = Catalog.load(REPOSITORY / "examples/payments/contracts")["PaymentSettled"]
    currency = {row.path: row for row in field_rows(settled)}["currency"]
    assert currency.type == "enum Currency" and currency.constraints == "symbols: EUR, USD, GBP"


def test_the_search_index_holds_fields_handlers_and_scenarios(reference_site: Path) -> None:
    entries = search_index(reference_site)
    kinds = {e["kind"] for e in entries}
    assert {"field", "scenario", "feature", "component"} <= kinds
    assert any(e["name"] == "VerificationReport.results[].story" for e in entries)


def test_markup_in_every_source_is_escaped(hostile_site: Path) -> None:
    for page in hostile_site.rglob("*.html"):
        html = _text(page)
        assert "<script>window.__xss" not in html, page
        assert "onerror=\"window.__xss" not in html, page
        assert "<img src=x" not in html, page
    contract = _text(hostile_site / "contracts/Evil.html")
    assert str(escape(XSS_SCRIPT)) in contract and str(escape(f"summary {XSS_ATTRIBUTE}")) in contract
    assert "\\u003cscript" in _text(hostile_site / "search-index.js")


def test_markdown_pages_escape_markup_too(tmp_path: Path) -> None:
    root = write_hostile_project(tmp_path / "project")
    out = tmp_path / "md"
    build("--contracts", str(root / "contracts"), "--features", str(root / "features"),
          "--report", str(root / "report.json"), "--out", str(out), "--format", "markdown",
          "--history", "0")
    pages = list(out.rglob("*.md"))
    assert {p.name for p in pages} >= {"index.md", "map.md", "Evil.md", "EvilHandler.md", "evil.md"}
    for page in pages:
        # Inside a fenced block markup is shown as code; everywhere else it must be escaped.
        prose = re.sub(r"(`{3,})[a-z]*\n.*?\n\1", "", _text(page), flags=re.S)
        assert "<script>" not in prose and "<img" not in prose, page
    assert "```mermaid" in _text(out / "features/evil.md")


def test_without_a_report_every_result_reads_not_run(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build("--config", str(REPOSITORY / "examples/payments"), "--out", str(out), "--history", "0")
    assert "No verification report was given" in _text(out / "index.html")
    assert "passed" not in _text(out / "handlers/PaymentsFunction.html").split("<main>")[1]


def _fails(argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run(["docs", "build", *argv], stdout=out, stderr=err) == 2
    assert "Traceback" not in err.getvalue()
    return err.getvalue()


def test_a_report_that_breaks_its_contract_is_refused(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"schema": "eventproof.verification-report/1.0.0", "results": []}))
    error = _fails(["--contracts", str(REPOSITORY / "examples/payments/contracts"),
                    "--report", str(report), "--out", str(tmp_path / "site")])
    assert "does not hold its contract VerificationReport" in error and str(report) in error
    report.write_text("{not json")
    assert "not a JSON report" in _fails(["--contracts", str(REPOSITORY / "examples/payments/contracts"),
                                          "--report", str(report), "--out", str(tmp_path / "s")])


def test_missing_inputs_are_usage_errors(tmp_path: Path) -> None:
    assert "no such folder" in _fails(["--contracts", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert "no such file" in _fails(["--contracts", str(REPOSITORY / "examples/payments/contracts"),
                                     "--report", str(tmp_path / "none.json"), "--out", str(tmp_path)])
    assert "--history" in _fails(["--contracts", "contracts", "--history", "-1"])


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                   check=True, capture_output=True, timeout=60)


def test_history_judges_each_change_with_the_compatibility_rules(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    schema = {"x-eventproof": {"name": "Paid", "kind": "event", "version": "1.0.0", "summary": "paid"},
              "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    path = contracts / "Paid.schema.json"
    _git(tmp_path, "init", "-q")
    path.write_text(json.dumps(schema))
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "Paid 1.0.0")
    schema["x-eventproof"]["version"] = "2.0.0"
    schema["properties"]["id"] = {"type": "integer"}  # a consumer of 1.0.0 cannot read 2.0.0
    path.write_text(json.dumps(schema))
    _git(tmp_path, "commit", "-qam", "Paid 2.0.0: id becomes a number")
    out = tmp_path / "site"
    build("--contracts", str(contracts), "--out", str(out), "--history", "5")
    page = _text(out / "contracts/Paid.html")
    assert "first version" in page and "INCOMPATIBLE" in page and "id becomes a number" in page


def test_scenario_results_come_from_pytest_junit_xml(tmp_path: Path) -> None:
    junit = tmp_path / "features.xml"
    case = '<testcase classname="features.test_outbox_feature" name="{}" time="0.1">{}</testcase>'
    junit.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">'
        + case.format("test_adding_a_book_answers_201_and_the_stream_emits_bookadded", "")
        + case.format("test_removing_a_book_answers_204_and_the_stream_emits_bookremoved",
                      '<failure message="AssertionError: expected 204, got 500">trace</failure>')
        + case.format("test_within_the_ttl_a_redelivered_event_is_skipped",
                      '<skipped type="pytest.skip" message="moto does not model pipes">x</skipped>')
        + "</testsuite></testsuites>")
    out = tmp_path / "site"
    build("--contracts", str(REPOSITORY / "examples/payments/contracts"),  # small: quick to load
          "--features", str(REPOSITORY / "features"), "--junit", str(junit), "--out", str(out),
          "--history", "0")
    page = _text(out / "features/outbox.html")
    statuses = re.findall(r'<h3>([^<]+) <span class="badge s-[a-z-]+">([a-z ]+)</span>', page)
    found = dict(statuses)
    assert found["Adding a book answers 201 and the stream emits BookAdded"] == "passed"
    assert found["Removing a book answers 204 and the stream emits BookRemoved"] == "failed"
    assert found["Within the TTL a redelivered event is skipped"] == "skipped"
    assert "expected 204, got 500" in page and "moto does not model pipes" in page
    assert list(found.values()).count("not run") == len(found) - 3
    assert "not a JUnit XML file" in _fails(["--contracts", str(REPOSITORY / "examples/payments/contracts"),
                                             "--junit", str(REPOSITORY / "README.md"),
                                             "--out", str(tmp_path / "s")])


def test_a_failed_check_shows_its_counterexample_story(hostile_site: Path) -> None:
    page = _text(hostile_site / "handlers/EvilHandler.html")
    assert '<td>idempotent</td><td><span class="badge s-failed">failed</span>' in page
    assert "delivered twice:" in page and 'class="story story-failed"' in page
    assert '<span class="badge s-failed">failed</span>' in _text(hostile_site / "index.html")


def test_the_run_shows_its_own_date_and_commit(payments_site: Path, payments_report: Path) -> None:
    report = json.loads(payments_report.read_text(encoding="utf-8"))
    index = _text(payments_site / "index.html")
    ended = report["date"].replace("T", " ").replace("Z", " UTC")  # 2026-12-03T13:40:07Z, as shown
    assert f"<dt>Date</dt><dd>{ended}</dd>" in index
    assert f"<dt>Commit</dt><dd><code>{report['commit'][:12]}</code></dd>" in index
    assert "report file" not in index and "checkout at build time" not in index


def test_an_older_report_falls_back_to_the_file_time_and_a_report_outside_git_says_so(
        tmp_path: Path, hostile_site: Path) -> None:
    # The hostile project's report is a 1.0 one: neither date nor commit.
    assert "(the report file&#39;s time)" in _text(hostile_site / "index.html")
    contracts = REPOSITORY / "examples/payments/contracts"
    report = tmp_path / "report.json"
    report.write_text(json.dumps({
        "schema": "eventproof.verification-report/1.1.0", "eventproof": "0.1.0",
        "project": str(tmp_path / "eventproof.toml"), "seed": 0, "examples": 5, "ok": True,
        "date": "2026-12-03T13:40:07Z", "counts": {"passed": 0, "failed": 0, "vacuous": 0, "error": 0},
        "results": []}))
    build("--contracts", str(contracts), "--report", str(report), "--out", str(tmp_path / "s"), "--history", "0")
    index = _text(tmp_path / "s/index.html")
    assert "<dd>2026-12-03 13:40:07 UTC</dd>" in index and "none (not a git repository)" in index


def _scenario_badges(page: str) -> dict[str, str]:
    return dict(re.findall(r'<h3>([^<]+) <span class="badge s-[a-z-]+">([a-z ]+)</span>', page))


def test_scenario_results_come_from_the_verify_report(payments_site: Path) -> None:
    page = _text(payments_site / "features/payments.html")
    assert _scenario_badges(page) == {
        "A payment request is settled, announced and receipted": "passed",
        "A request delivered three times is charged once": "passed",
        "A request the contract refuses is dead-lettered, not charged": "passed"}
    assert page.count("Result from the verify report") == 3
    index = _text(payments_site / "index.html").split('id="features"', 1)[1]
    assert '<span class="badge s-passed">passed</span>' in index
    # A scenario row is a feature file, not a handler: it gets no handler page.
    assert not list((payments_site / "handlers").glob("features*"))


def test_a_failed_scenario_shows_its_step_and_the_report_comes_before_junit(tmp_path: Path) -> None:
    feature = REPOSITORY / "examples/payments/features/payments.feature"
    name = "A request delivered three times is charged once"
    report = tmp_path / "report.json"
    report.write_text(json.dumps({
        "schema": "eventproof.verification-report/1.1.0", "eventproof": "0.1.0",
        "project": "/ci/checkout/examples/payments/pyproject.toml",  # another machine: matched on the tail
        "seed": 0, "examples": 5, "ok": False, "date": "2026-12-03T13:40:07Z", "commit": "52c763e",
        "counts": {"passed": 1, "failed": 1, "vacuous": 0, "error": 0},
        "results": [
            {"handler": "features/payments.feature", "check": name, "status": "failed", "seconds": 0.2,
             "kind": "scenario", "step": 7, "summary": 'failed at step 7: Then the "LedgerTable" table holds one item',
             "story": "expected one item in LedgerTable, found 3", "notes": []},
            {"handler": "features/payments.feature", "check": "A payment request is settled, announced and receipted",
             "status": "passed", "seconds": 0.3, "kind": "scenario", "summary": "8 steps", "story": "", "notes": []}]}))
    junit = tmp_path / "features.xml"  # says the failed one passed, and knows the third
    case = '<testcase classname="features.test_payments" name="{}" time="0.1">{}</testcase>'
    junit.write_text('<?xml version="1.0"?><testsuites><testsuite name="pytest">'
                     + case.format("test_a_request_delivered_three_times_is_charged_once", "")
                     + case.format("test_a_request_the_contract_refuses_is_deadlettered_not_charged",
                                   '<skipped message="not today">x</skipped>')
                     + "</testsuite></testsuites>")
    out = tmp_path / "site"
    build("--contracts", str(REPOSITORY / "examples/payments/contracts"), "--features", str(feature.parent),
          "--report", str(report), "--junit", str(junit), "--out", str(out), "--history", "0")
    page = _text(out / "features/payments.html")
    assert _scenario_badges(page) == {
        "A payment request is settled, announced and receipted": "passed",
        name: "failed",
        "A request the contract refuses is dead-lettered, not charged": "skipped"}
    assert "found 3" in page and "failed at step 7" in page
    failed = page.split(f"<h3>{name}", 1)[1].split("</section>", 1)[0]
    steps = re.findall(r"<li( class=\"failed-step\"[^>]*)?><span class=\"kw\">", failed)
    background = len(re.findall(r"<li><span class=\"kw\">",
                                page.split('class="scenario background"', 1)[1].split("</section>", 1)[0]))
    assert [bool(s) for s in steps].index(True) + 1 + background == 7  # step 7 counts the Background
    assert "Result from the JUnit XML" in page and "Result from the verify report" in page
    assert '<span class="badge s-failed">failed</span>' in _text(out / "index.html").split('id="features"')[1]


def test_several_configurations_must_share_their_contracts(tmp_path: Path) -> None:
    outbox = str(REPOSITORY / "reference_impl/outbox/eventproof.toml")
    error = _fails(["--config", outbox, "--config", str(REPOSITORY / "examples/payments"),
                    "--out", str(tmp_path / "s"), "--history", "0"])
    assert "one site shows one catalog" in error and "examples/payments" in error
    assert "give one or the other" in _fails(["--config", outbox, "--contracts", "contracts",
                                              "--out", str(tmp_path / "s")])
