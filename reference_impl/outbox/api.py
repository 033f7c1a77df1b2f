"""AddBook and RemoveBook behind API Gateway: proxy events in, ``{statusCode, body}`` out."""

from __future__ import annotations

import json
from typing import Any

from reference_impl.outbox.writers import BookExists, BookWriter
from reference_impl.shared import Clock, load_validator


class BooksApi:
    def __init__(self, writer: BookWriter, clock: Clock) -> None:
        self.writer = writer
        self.clock = clock
        self.add_contract = load_validator("outbox/AddBook.schema.json")
        self.remove_contract = load_validator("outbox/RemoveBook.schema.json")

    def add_book(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        book, problem = _json_body(event)
        if problem:
            return problem
        violations = self.add_contract.violations(book)
        if violations:
            return _response(400, {"error": "ContractViolation", "contract": "AddBook", "violations": violations})
        try:
            self.writer.add(book, self.clock())
        except BookExists:
            return _response(409, {"error": "BookExists", "message": f"{book['name']!r} is in the catalogue already"})
        return _response(201, {"name": book["name"]})

    def remove_book(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        request, problem = _json_body(event)
        if problem:
            return problem
        violations = self.remove_contract.violations(request)
        if violations:
            return _response(400, {"error": "ContractViolation", "contract": "RemoveBook", "violations": violations})
        self.writer.remove(request["name"], self.clock())
        return {"statusCode": 204, "body": ""}


def _json_body(event: dict[str, Any]) -> tuple[Any, dict[str, Any] | None]:
    try:
        return json.loads(event.get("body") or ""), None
    except json.JSONDecodeError as error:
        return None, _response(400, {"error": "InvalidJson", "message": f"the body is not JSON: {error}"})


def _response(status_code: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": status_code, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
