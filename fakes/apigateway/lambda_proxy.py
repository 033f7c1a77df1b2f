"""A Lambda proxy integration's call: synchronous, through the Lambda fake, within a time limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventproof_fakes.apigateway.uris import lambda_function_of, with_stage_variables
from eventproof_fakes.errors import AWSError

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

OK, FUNCTION_ERROR, INVOKE_FAILED, TIMED_OUT = "ok", "function-error", "invoke-failed", "timed-out"


@dataclass
class LambdaOutcome:
    status: str  # one of OK, FUNCTION_ERROR, INVOKE_FAILED, TIMED_OUT
    result: Any = None
    problem: str | None = None


def call_function(
    env: FakeAWS,
    uri: str,
    event: dict[str, Any],
    timeout_ms: int,
    stage_variables: dict[str, str],
) -> LambdaOutcome:
    """Invoke the function of a proxy integration with ``event``; what came back, or why nothing did.

    The handler runs in zero virtual time unless it advances the clock; a
    call that took longer than the integration's timeout is reported as
    timed out (the client gets the gateway's timeout answer, as on AWS, while
    the function itself may still have finished). ``${stageVariables.name}``
    in the URI picks the function by stage.
    """
    try:
        function = lambda_function_of(with_stage_variables(uri, stage_variables))
        outcome = env.lambda_.invoke_sync(function, event, trigger="apigateway")
    except AWSError as error:
        return LambdaOutcome(
            INVOKE_FAILED, problem=f"Lambda invoke failed: {error.code}: {error.message}"
        )
    invocation = outcome.invocation
    if invocation.finished_at - invocation.started_at > timeout_ms / 1000:
        return LambdaOutcome(
            TIMED_OUT, problem=f"Execution failed due to a timeout error after {timeout_ms} ms"
        )
    if outcome.error is not None:
        payload = outcome.payload or {}
        return LambdaOutcome(
            FUNCTION_ERROR,
            problem=f"Lambda execution failed: {outcome.error}: {payload.get('errorMessage', '')}",
        )
    return LambdaOutcome(OK, result=outcome.payload)
