"""What a handler prints and logs, captured as Lambda's log agent captures it.

While a function runs, ``sys.stdout`` and ``sys.stderr`` are ``STDOUT`` and
``STDERR`` and the root logger carries ``LOG_HANDLER``, as AWS's Python
runtime installs its own. Every
write lands in the running invocation's ``CapturedLog`` with the virtual
time it happened at; the CloudWatch Logs fake turns those into log events
when something reads them (nothing is formatted per invocation).

Printed text is also copied to the stream it replaced (the test's
console, or pytest's capture), so a failing test shows it. As in Lambda:
printed text becomes one log event per line; a record of the
``logging`` module is one event however many lines it has, formatted
``[LEVEL]\\t<time>Z\\t<request id>\\t<message>``. Streams kept by code
created during init (a ``StreamHandler`` made at import, Powertools'
``Logger``) keep writing into the function's log at every invocation;
outside any invocation they write to the stream they replaced.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

__all__ = ["LOG_HANDLER", "STDERR", "STDOUT", "Capture", "CapturedLog", "InitOutput", "current_log"]


class CapturedLog:
    """One invocation's (or one init's) output: ``(virtual time, text, whole_event)`` entries.

    ``whole_event`` entries (log records) are one event each; the others are
    raw printed text, split into lines when read.
    """

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: list[tuple[float, str, bool]] = []

    def events(self) -> list[tuple[float, str]]:
        """The log events: printed text split at newlines, records whole."""
        events: list[tuple[float, str]] = []
        pending = ""
        pending_at = 0.0
        for at, text, whole in self.entries:
            if whole:
                if pending:
                    events.append((pending_at, pending))
                    pending = ""
                events.append((at, text.rstrip("\n")))
                continue
            if not pending:
                pending_at = at
            pending += text
            while "\n" in pending:
                line, pending = pending.split("\n", 1)
                events.append((pending_at, line))
                pending_at = at
        if pending:
            events.append((pending_at, pending))
        return events


class Capture:
    """Where output goes now: the running invocation's log (None: no handler is running).

    One for the process: a stream or logger kept by one function's code
    (Powertools' ``Logger("orders")`` is one ``logging`` logger for the
    whole process) writes into whichever invocation runs, as each Lambda
    function's own process would.
    """

    # Has a ``log`` attribute (the Invocation): its CapturedLog is made on the first write,
    # so a silent handler allocates nothing.
    target: Any = None
    request_id: str = ""
    now: Callable[[], float] = staticmethod(lambda: 0.0)
    # The caller's sys.stdout / sys.stderr: printed text is copied there too, so a failing
    # test still shows what its handlers printed (pytest's "Captured stdout").
    echo_out: Any = None
    echo_err: Any = None


def current_log() -> CapturedLog | None:
    """The running invocation's log (made now if it had none); None outside invocations."""
    target = Capture.target
    if target is None:
        return None
    log: CapturedLog | None = target.log
    if log is None:
        log = target.log = CapturedLog()
    return log


class InitOutput:
    """The capture target of an init phase."""

    def __init__(self) -> None:
        self.log: CapturedLog | None = None


class OutputStream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` while a function runs."""

    def __init__(self, fallback: Callable[[], TextIO], echo: str) -> None:
        self._fallback = fallback
        self._echo = echo

    def write(self, text: str) -> int:
        log = current_log()
        if log is None:  # kept by code past its invocation: write where it would have gone
            return self._fallback().write(text)
        if text:
            log.entries.append((Capture.now(), text, False))
            echo = getattr(Capture, self._echo)
            if echo is not None:
                try:
                    echo.write(text)
                except (OSError, ValueError):  # the console copy is a courtesy; the log has it
                    setattr(Capture, self._echo, None)
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        return None

    @property
    def buffer(self) -> _BinaryOutput:
        """The binary side (``sys.stdout.buffer.write(b"...")``), decoded as UTF-8."""
        return _BinaryOutput(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def isatty(self) -> bool:
        return False


class _BinaryOutput(io.RawIOBase):
    def __init__(self, text: OutputStream) -> None:
        self._text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._text.write(bytes(data).decode("utf-8", errors="replace"))
        return len(data)


class LambdaLogHandler(logging.Handler):
    """The root logger's handler in AWS's Python runtime (text log format)."""

    def emit(self, record: logging.LogRecord) -> None:
        log = current_log()
        if log is None:
            return
        try:
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + logging.Formatter().formatException(record.exc_info)
            stamp = datetime.fromtimestamp(record.created, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
            line = (
                f"[{record.levelname}]\t{stamp}.{int(record.msecs):03d}Z\t"
                f"{Capture.request_id}\t{message}"
            )
        except Exception:
            self.handleError(record)
            return
        log.entries.append((Capture.now(), line, True))


STDOUT = OutputStream(lambda: sys.__stdout__, "echo_out")  # type: ignore[arg-type, return-value]
STDERR = OutputStream(lambda: sys.__stderr__, "echo_err")  # type: ignore[arg-type, return-value]
LOG_HANDLER = LambdaLogHandler()
