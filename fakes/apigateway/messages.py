"""An HTTP request as API Gateway receives it and the response it sends back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

HeaderPairs = list[tuple[str, str]]


class Headers:
    """HTTP headers in arrival order: names case-insensitive, a name may repeat (Set-Cookie)."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._pairs: HeaderPairs = [(str(name), str(value)) for name, value in pairs]

    @classmethod
    def of(cls, headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> Headers:
        if headers is None:
            return cls()
        if isinstance(headers, Headers):
            return cls(headers.items())
        if isinstance(headers, Mapping):
            return cls(headers.items())
        return cls(headers)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The last value of ``name`` (what a single-valued view shows)."""
        values = self.get_all(name)
        return values[-1] if values else default

    def get_all(self, name: str) -> list[str]:
        lowered = name.lower()
        return [value for key, value in self._pairs if key.lower() == lowered]

    def add(self, name: str, value: str) -> None:
        self._pairs.append((name, value))

    def set_default(self, name: str, value: str) -> None:
        if name not in self:
            self.add(name, value)

    def remove(self, name: str) -> None:
        lowered = name.lower()
        self._pairs = [(k, v) for k, v in self._pairs if k.lower() != lowered]

    def items(self) -> HeaderPairs:
        return list(self._pairs)

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.get_all(name))

    def __iter__(self) -> Iterator[str]:
        seen: list[str] = []
        for key, _ in self._pairs:
            if key.lower() not in (s.lower() for s in seen):
                seen.append(key)
        return iter(seen)

    def __len__(self) -> int:
        return len(list(iter(self)))

    def __repr__(self) -> str:
        return f"Headers({self._pairs!r})"


@dataclass
class ApiRequest:
    """One request after API Gateway parsed it: the path is the API's (no stage segment)."""

    method: str
    path: str  # URL-decoded, without the stage segment
    raw_path: str  # as the client sent it, stage segment included
    raw_query: str
    headers: Headers
    body: bytes | None
    api_id: str
    stage: str
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"
    domain_name: str = ""


@dataclass
class ApiResponse:
    """What the client gets back: status, headers (``response.headers["content-type"]``), body bytes."""

    status: int
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        preview = self.body[:200]
        return f"<ApiResponse {self.status} {preview!r}>"


def json_response(status: int, payload: Any, request_id: str) -> ApiResponse:
    """API Gateway's own answers (errors, gateway responses): JSON with its request id header."""
    headers = Headers([("Content-Type", "application/json"), ("x-amzn-RequestId", request_id)])
    return ApiResponse(status, headers, json.dumps(payload).encode("utf-8"))
