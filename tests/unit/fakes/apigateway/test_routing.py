"""Route matching: most specific template first, exact method before ANY."""

from __future__ import annotations

from eventproof_fakes.apigateway.routing import best_match, match_template

ROUTES = [
    ("/book", "POST", "create"),
    ("/book/{id}", "GET", "read"),
    ("/book/latest", "GET", "latest"),
    ("/book/{id}", "ANY", "any-book"),
    ("/{proxy+}", "ANY", "catch-all"),
    ("/", "GET", "root"),
]


def route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    return best_match(ROUTES, method, path)


def test_exact_literal_variable_and_greedy_in_that_order() -> None:
    assert route("GET", "/book/latest") == ("latest", {})
    assert route("GET", "/book/9") == ("read", {"id": "9"})
    assert route("PUT", "/book/9") == ("any-book", {"id": "9"})
    assert route("GET", "/a/b/c") == ("catch-all", {"proxy": "a/b/c"})
    assert route("GET", "/") == ("root", {})
    assert route("POST", "/") is None  # greedy needs at least one segment


def test_path_parameters_are_url_decoded_and_trailing_slashes_ignored() -> None:
    assert route("GET", "/book/a%20b") == ("read", {"id": "a b"})
    assert route("POST", "/book/") == ("create", {})


def test_a_template_needs_every_segment() -> None:
    assert match_template("/book/{id}", "/book") is None
    assert match_template("/book/{id}", "/book/1/2") is None
    assert match_template("/files/{path+}", "/files") is None
