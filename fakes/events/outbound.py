"""HTTP requests EventBridge makes itself: API destination invocations and OAuth token fetches.

A request to 127.0.0.1 or localhost is really sent (``send_local``); any
other host is answered by a responder the test may replace, since the fakes
never reach the internet.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

__all__ = ["LOCAL_HOSTS", "HttpRequest", "send_local"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
_TIMEOUT_SECONDS = 5.0


@dataclass
class HttpRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: str | None
    status: int | None = None


def send_local(request: HttpRequest) -> tuple[int | None, bytes]:
    """A real request to 127.0.0.1: its status (None if unreachable) and body."""
    data = request.body.encode("utf-8") if request.body is not None else None
    outgoing = urllib.request.Request(request.url, data=data, headers=request.headers, method=request.method)
    try:
        with urllib.request.urlopen(outgoing, timeout=_TIMEOUT_SECONDS) as answer:
            return int(answer.status), answer.read(1_048_576)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read(1_048_576)
    except (urllib.error.URLError, OSError):
        return None, b""
