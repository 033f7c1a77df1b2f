"""``eventproof serve outbox`` answers the article's curl calls and shows the events it emitted."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventproof.catalog import Catalog
from eventproof.cli import run
from eventproof.cli.commands.serve import start

REPOSITORY = Path(__file__).resolve().parents[2]
CONTRACTS = REPOSITORY / "contracts"
BOOK = {"name": "Team Topologies", "author": "Matthew Skelton, Manuel Pais", "isbn": "9781942788812"}


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with start("outbox", config=REPOSITORY / "pyproject.toml", port=0) as served:
        thread = threading.Thread(target=served.server.serve_forever, daemon=True)
        thread.start()
        host, port = served.server.server_address[:2]
        yield f"http://{host}:{port}"
        served.server.shutdown()


def call(url: str, method: str, body: Any = None, raw: bytes | None = None) -> tuple[int, Any]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text else None


def test_adding_then_removing_a_book_answers_201_then_204_and_emits_both_events(server_url: str) -> None:
    assert call(f"{server_url}/book", "POST", BOOK)[0] == 201
    assert call(f"{server_url}/book", "DELETE", {"name": BOOK["name"]}) == (204, None)
    status, listing = call(f"{server_url}/_events", "GET")
    assert status == 200
    events = [e for e in listing["events"] if e["detail"]["name"] == BOOK["name"]]
    assert [e["type"] for e in events] == ["BookAdded", "BookRemoved"]
    catalog = Catalog.load(CONTRACTS)
    for event in events:
        assert catalog[event["type"]].violations(event["detail"]) == []


def test_a_book_that_breaks_the_add_book_contract_answers_400_with_the_violations(server_url: str) -> None:
    status, body = call(f"{server_url}/book", "POST", {**BOOK, "isbn": "1942788819"})
    assert status == 400
    assert body["contract"] == "AddBook"
    assert any(line.startswith("/isbn") for line in body["violations"])


def test_a_body_over_one_megabyte_answers_413(server_url: str) -> None:
    too_big = json.dumps({**BOOK, "author": "x" * 1_048_576}).encode()
    assert call(f"{server_url}/book", "POST", raw=too_big)[0] == 413


def test_unknown_paths_answer_404_and_wrong_methods_405(server_url: str) -> None:
    assert call(f"{server_url}/books", "POST", BOOK)[0] == 404
    assert call(f"{server_url}/book", "PUT", BOOK)[0] == 405


def test_an_unknown_application_is_a_usage_error_without_traceback() -> None:
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    config = str(REPOSITORY / "pyproject.toml")
    assert run(["serve", "nosuchapp", "--config", config], stdout, stderr) == 2
    assert "unknown application 'nosuchapp'" in stderr.getvalue()
    assert "declared: outbox" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
