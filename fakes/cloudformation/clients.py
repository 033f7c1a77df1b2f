"""The boto3 clients the CloudFormation fake provisions through: shared, and with a short call path.

Creating a botocore client costs milliseconds (its service model, endpoint
rules and event hooks are assembled per client); a suite that deploys a
template per test would pay that for every service of every ``FakeAWS``.
So the fake's provisioner uses one real botocore client per service and
region for the whole process, bound (``eventproof_fakes.binding``) to one binding that
answers for the environment whose stack operation is running
(``serving(env)``: one operation at a time across threads, nested ones
restore the outer environment).

These clients are the fake's own, never handed to user code, so a call can
take a shorter path than botocore's event pipeline: the parameter hooks
botocore registers (``provide-client-params``, ``before-parameter-build``:
idempotency tokens, defaults) run, then botocore's own parameter
validation, then the binding's answer (fault hooks, dispatch); an error is
raised as the client's modelled exception class, chosen as botocore chooses
it (its ``after-call`` hooks run for an error). What is skipped produces
nothing a fake reads: endpoint resolution, the user agent, request
checksums, the ``before-call`` event and ``after-call`` on success.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

from eventproof_fakes.binding import _PARAMS_KEY, ClientBinding

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["provisioning_client", "serving"]

_lock = threading.RLock()
_binding = ClientBinding(None)  # type: ignore[arg-type]  # an environment is set by ``serving``
_clients: dict[tuple[str, str], Any] = {}
_validator = ParamValidator()


@contextlib.contextmanager
def serving(env: FakeAWS) -> Iterator[None]:
    """The shared clients answer for ``env`` inside the block."""
    with _lock:
        previous = _binding._env
        _binding._env = env
        try:
            yield
        finally:
            _binding._env = previous


def provisioning_client(env: FakeAWS, service: str) -> Any:
    """The shared client of ``service`` in ``env``'s region (use it inside ``serving(env)``)."""
    key = (service, env.region)
    client = _clients.get(key)
    if client is None:
        from eventproof_fakes.environment import shared_session

        with _lock:
            client = _clients.get(key)
            if client is None:
                client = shared_session().client(service, region_name=env.region)
                _binding.attach(client)
                client._make_api_call = _short_call(client)
                _clients[key] = client
    return client


def _short_call(client: Any) -> Any:
    service_model, events = client.meta.service_model, client.meta.events
    service_id = service_model.service_id.hyphenize()

    def make_api_call(operation_name: str, api_params: dict[str, Any]) -> dict[str, Any]:
        model = service_model.operation_model(operation_name)
        context: dict[str, Any] = {}
        # botocore's parameter hooks: defaults and idempotency tokens the service would see.
        events.emit(f"provide-client-params.{service_id}.{operation_name}",
                    params=api_params, model=model, context=context)
        events.emit(f"before-parameter-build.{service_id}.{operation_name}",
                    params=api_params, model=model, context=context)
        if model.input_shape is not None:
            report = _validator.validate(api_params, model.input_shape)
            if report.has_errors():
                raise ParamValidationError(report=report.generate_report())
        # The binding's own answer (fault hooks, dispatch, request id), as at before-call.
        response, parsed = _binding._answer(model=model, context={_PARAMS_KEY: api_params})
        status = response.status_code
        if status >= 300:
            # botocore's after-call hooks pick the error class (query-compatible services
            # such as SQS name it by the error's QueryErrorCode).
            events.emit(f"after-call.{service_id}.{operation_name}",
                        http_response=response, parsed=parsed, model=model, context=context)
            code = context.get("error_code_override") or parsed.get("Error", {}).get("Code")
            raise client.exceptions.from_code(code)(parsed, operation_name)
        return parsed

    return make_api_call
