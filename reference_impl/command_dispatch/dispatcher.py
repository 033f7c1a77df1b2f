"""The single Lambda entry point: ``{commandType, payload}`` in, ``{statusCode, body}`` out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from reference_impl.command_dispatch.commands import CommandContext, CommandRefused, CommandRegistry

logger = logging.getLogger(__name__)

Handler = Callable[[Any, Any], dict[str, Any]]
INTERNAL_ERROR_MESSAGE = "the command failed unexpectedly; see the logs"


def make_dispatcher(registry: CommandRegistry) -> Handler:
    """The handler that routes each event to its command in ``registry``."""

    def dispatch(event: Any, context: Any) -> dict[str, Any]:
        if not _is_envelope(event):
            return _rejected(
                "InvalidEnvelope", "expected an object with a string 'commandType' and an object 'payload'"
            )
        command_type, payload = event["commandType"], event["payload"]
        command = registry.get(command_type)
        if command is None:
            return _rejected(
                "UnknownCommandType",
                f"unknown command type {command_type!r}",
                knownCommandTypes=registry.known_types,
            )
        violations = command.validate(payload)
        if violations:
            return _rejected(
                "InvalidPayload",
                f"the {command_type} payload breaks its contract",
                violations=violations,
            )
        try:
            body = command.execute(CommandContext(payload=payload, lambda_context=context))
        except CommandRefused as refusal:
            return _rejected("CommandRefused", str(refusal))
        except Exception:
            request_id = getattr(context, "aws_request_id", None) or "local"
            # The details go to the logs only: a 500 must not leak internals to the caller.
            logger.exception("command %s failed (request %s)", command_type, request_id)
            return {
                "statusCode": 500,
                "body": {"error": "InternalError", "message": INTERNAL_ERROR_MESSAGE, "requestId": request_id},
            }
        return {"statusCode": 200, "body": {"commandType": command_type, **body}}

    return dispatch


def _is_envelope(event: Any) -> bool:
    return (
        isinstance(event, dict)
        and isinstance(event.get("commandType"), str)
        and isinstance(event.get("payload"), dict)
    )


def _rejected(error: str, message: str, **details: Any) -> dict[str, Any]:
    return {"statusCode": 400, "body": {"error": error, "message": message, **details}}
