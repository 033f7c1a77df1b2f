"""The log events of one invocation, as Lambda writes them to ``/aws/lambda/<name>``.

https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html shows the
shape: ``INIT_START`` on a cold start (then what the init printed),
``START RequestId: <id> Version: $LATEST``, what the handler printed or
logged, the runtime's ``[ERROR]`` line for an unhandled exception (its
traceback joined by carriage returns, one event), ``END RequestId: <id>``
and the ``REPORT`` line. Durations are virtual (zero unless the handler
advanced the clock), so the lines are the same on every run.

Simplified: the REPORT line has no ``Max Memory Used`` (the fakes do not
measure memory per function); ``INIT_START`` names the function's runtime
without a runtime version ARN.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventproof_fakes.lambda_.runtime import Invocation

__all__ = ["invocation_events", "tail"]

Event = tuple[int, str]  # (timestamp in ms, message)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def invocation_events(invocation: Invocation) -> list[Event]:
    """Every log event of ``invocation``, oldest first."""
    started = _ms(invocation.started_at)
    finished = _ms(invocation.finished_at or invocation.started_at)
    request_id = invocation.request_id
    events: list[Event] = []
    if invocation.cold_start:
        version = invocation.runtime.replace("python", "python:", 1)
        events.append((started, f"INIT_START Runtime Version: {version}"))
        if invocation.init_log is not None:
            events.extend((_ms(at), text) for at, text in invocation.init_log.events())
    events.append((started, f"START RequestId: {request_id} Version: $LATEST"))
    if invocation.log is not None:
        events.extend((_ms(at), text) for at, text in invocation.log.events())
    events.extend((finished, line) for line in _error_lines(invocation))
    events.append((finished, f"END RequestId: {request_id}"))
    duration = (invocation.finished_at - invocation.started_at) * 1000 if invocation.finished_at else 0.0
    report = (
        f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\t"
        f"Billed Duration: {max(1, math.ceil(duration))} ms\t"
        f"Memory Size: {invocation.memory_mb} MB"
    )
    if invocation.cold_start:
        report += "\tInit Duration: 0.00 ms"
    if invocation.error == "Sandbox.Timedout":
        report += "\tStatus: timeout"
    elif invocation.error == "Runtime.ExitError":
        report += "\tStatus: error\tError Type: Runtime.ExitError"
    events.append((finished, report))
    return events


def _error_lines(invocation: Invocation) -> list[str]:
    payload = invocation.error_payload
    if invocation.error is None or payload is None:
        return []
    message = str(payload.get("errorMessage", ""))
    if invocation.error == "Sandbox.Timedout":
        stamp = datetime.fromtimestamp(invocation.finished_at, tz=UTC).strftime(
            "%Y-%m-%dT%H:%M:%S.%f"
        )[:-3]
        return [f"{stamp}Z {invocation.request_id} Task timed out after "
                f"{message.rsplit('after ', 1)[-1]}"]
    if invocation.error == "Runtime.ExitError":
        return [f"{message}\nRuntime.ExitError"]
    lines = [f"[ERROR] {invocation.error}: {message}" if message else f"[ERROR] {invocation.error}"]
    stack = payload.get("stackTrace")
    if stack:
        lines.append("Traceback (most recent call last):")
        for element in stack:
            lines.extend(str(element).splitlines())
    return ["\r".join(lines)]


def tail(invocation: Invocation, limit: int = 4096) -> str:
    """The last 4 KB of the invocation's log, as ``Invoke`` with ``LogType=Tail`` returns it."""
    text = "".join(message + "\n" for _, message in invocation_events(invocation))
    data = text.encode("utf-8")[-limit:]
    return data.decode("utf-8", errors="ignore")
