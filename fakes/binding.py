"""Binding real botocore clients to a ``FakeAWS`` through botocore's event system.

The technique is botocore's own ``Stubber``: capture the caller's parameters
at ``before-parameter-build`` and answer at ``before-call`` with
``(http_response, parsed_response)``. Everything else a caller sees,
parameter validation, method signatures, paginators, waiters, ``ClientError``
and the modelled exception classes, the resource layer's type
(de)serialisation, is botocore's and boto3's own code.

The capture handler is registered *last*, so it sees the parameters after
boto3's DynamoDB resource layer has turned Python values into AttributeValues
and condition objects into expression strings.

A bound client never sends a request, so the bytes of the request, its
user-agent header and the endpoint it would go to do not matter; botocore
still builds all three on every call (two thirds of a call's cost). A bound
client keeps botocore's parameter validation but skips serialisation, uses
its user agent as first computed, and remembers the first endpoint per
operation. Presigning (``generate_presigned_url``/``generate_presigned_post``)
needs the real request and the endpoint of its own parameters, so those two
run with botocore's serializer and resolver.

REST protocols (S3): a backend answers a non-200 success with
``"_http_status"`` in its response (206, 204); a streaming output member
(``Body``) is a ``botocore.response.StreamingBody``. botocore computes a
request checksum (botocore >= 1.36: CRC32 by default) after parameter
capture; the binding hands the fake the algorithm botocore chose, as the
``x-amz-sdk-checksum-algorithm`` header tells AWS.
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidationDecorator

from eventproof_fakes.errors import AWSError

if TYPE_CHECKING:
    from botocore.client import BaseClient

    from eventproof_fakes.environment import FakeAWS

_PARAMS_KEY = "eventproof.fake_params"
_NOT_CHECKSUM_VALUES = frozenset({"ChecksumAlgorithm", "ChecksumMode", "ChecksumType"})
_unique = itertools.count()
_BOUND = "eventproof_bound"  # on a client's meta: the handlers of its current binding


class ClientBinding:
    """Routes every call of one client to the backend methods of one environment."""

    def __init__(self, env: FakeAWS) -> None:
        self._env = env

    def attach(self, client: BaseClient) -> None:
        """Route ``client`` to this environment; a client bound before answers to the last binding.

        A client made inside nested ``patch_boto3`` blocks is attached by each
        (outermost first), and ``FakeAWS.client`` attaches again: the innermost
        environment, the one the code asked for, must answer.
        """
        events = client.meta.events
        for event, unique_id in getattr(client.meta, _BOUND, ()):
            events.unregister(event, unique_id=unique_id)
        suffix = f"eventproof-{id(self._env)}-{next(_unique)}"
        events.register_last(
            "before-parameter-build.*.*", self._capture, unique_id=f"capture-{suffix}"
        )
        events.register_first("before-call.*.*", self._answer, unique_id=f"answer-{suffix}")
        setattr(client.meta, _BOUND, (("before-parameter-build.*.*", f"capture-{suffix}"),
                                      ("before-call.*.*", f"answer-{suffix}")))
        _skip_request_building(client)

    @staticmethod
    def _capture(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_PARAMS_KEY] = params

    def _answer(
        self, model: Any, context: dict[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]]:
        params = context.pop(_PARAMS_KEY, {})
        checksum = context.get("checksum")
        if checksum:
            params = _with_checksum_algorithm(params, model, checksum)
        service = model.service_model.service_name
        env = self._env
        plan = _BLOB_PLANS.get((service, model.name))
        if plan is None:
            plan = _BLOB_PLANS[(service, model.name)] = _blob_paths(model.input_shape)
        if plan:
            params = _encode_blobs(params, plan)
        # One lock per environment: the request id, the fault hooks and the operation are
        # one atomic step, whichever thread calls (see eventproof_fakes.locking).
        with env.lock:
            request_id = env.ids.uuid()
            try:
                env.faults.hook.before_call(service, model.name, params)
                parsed = env.dispatch_locked(service, model.name, params)
                env.faults.hook.after_call(service, model.name, params)
            except AWSError as error:
                parsed = error.response()
                status = error.status_code
            else:
                status = parsed.pop("_http_status", 200)
        metadata = {
            "RequestId": request_id,
            "HTTPStatusCode": status,
            "HTTPHeaders": {"x-amzn-requestid": request_id},
            "RetryAttempts": 0,
        }
        parsed["ResponseMetadata"] = metadata
        return AWSResponse(None, status, {}, None), parsed


# A blob member given as ``str`` is sent by botocore's serializer as its UTF-8
# bytes; a bound client skips serialisation, so the binding does that one
# conversion itself, along the (non-recursive) paths where the input has blobs.
# Recursive shapes (DynamoDB's AttributeValue) are left to their fake.
_BlobPath = tuple[str, ...]
_BLOB_PLANS: dict[tuple[str, str], tuple[_BlobPath, ...]] = {}
_EACH = "\x00each"


def _blob_paths(shape: Any, seen: frozenset[str] = frozenset()) -> tuple[_BlobPath, ...]:
    if shape is None or shape.name in seen or _reaches_itself(shape):
        return ()
    seen = seen | {shape.name}
    if shape.type_name == "blob":
        return ((),)
    if shape.type_name == "structure":
        return tuple(
            (name, *path)
            for name, member in shape.members.items()
            for path in _blob_paths(member, seen)
        )
    if shape.type_name == "list":
        return tuple((_EACH, *path) for path in _blob_paths(shape.member, seen))
    if shape.type_name == "map":
        return tuple((_EACH, *path) for path in _blob_paths(shape.value, seen))
    return ()


def _children(shape: Any) -> list[Any]:
    if shape.type_name == "structure":
        return list(shape.members.values())
    if shape.type_name == "list":
        return [shape.member]
    if shape.type_name == "map":
        return [shape.value]
    return []


def _reaches_itself(shape: Any) -> bool:
    """Whether a shape contains itself (DynamoDB's AttributeValue): its fake decodes those."""
    if shape.type_name not in ("structure", "list", "map"):
        return False
    pending, visited = _children(shape), set()
    while pending:
        child = pending.pop()
        if child.name == shape.name:
            return True
        if child.name not in visited:
            visited.add(child.name)
            pending.extend(_children(child))
    return False


def _encode_blobs(params: Any, plan: tuple[_BlobPath, ...]) -> Any:
    """``params`` with every ``str`` on a blob path replaced by its UTF-8 bytes (copied, not mutated)."""
    if not plan:
        return params
    if plan[0] == ():
        return params.encode("utf-8") if isinstance(params, str) else params
    by_step: dict[str, list[_BlobPath]] = {}
    for path in plan:
        by_step.setdefault(path[0], []).append(path[1:])
    if _EACH in by_step:
        rest = tuple(by_step[_EACH])
        if isinstance(params, list):
            return [_encode_blobs(value, rest) for value in params]
        if isinstance(params, dict):
            return {key: _encode_blobs(value, rest) for key, value in params.items()}
        return params
    if not isinstance(params, dict) or not any(name in params for name in by_step):
        return params
    copy = dict(params)
    for name, paths in by_step.items():
        if name in copy:
            copy[name] = _encode_blobs(copy[name], tuple(paths))
    return copy
def _with_checksum_algorithm(
    params: dict[str, Any], model: Any, checksum: dict[str, Any]
) -> dict[str, Any]:
    member = model.http_checksum.get("requestAlgorithmMember")
    algorithm = (checksum.get("request_algorithm") or {}).get("algorithm")
    if not member or not algorithm or member in params:
        return params
    # A checksum value the caller supplied travels as its own header, and
    # botocore then computes none (httpchecksum.has_checksum_header).
    if any(
        name.startswith("Checksum") and name not in _NOT_CHECKSUM_VALUES for name in params
    ):
        return params
    return {**params, member: str(algorithm).upper()}


class _EndpointMemo:
    """Wraps botocore's endpoint resolver: one resolution per operation is enough."""

    def __init__(self, resolver: Any) -> None:
        self._resolver = resolver
        self._endpoints: dict[str, Any] = {}
        self._auth: tuple[Any, Any] | None = None

    def construct_endpoint(
        self, operation_model: Any, call_args: Any, request_context: Any
    ) -> Any:
        endpoint = self._endpoints.get(operation_model.name)
        if endpoint is None:
            endpoint = self._resolver.construct_endpoint(
                operation_model=operation_model,
                call_args=call_args,
                request_context=request_context,
            )
            self._endpoints[operation_model.name] = endpoint
        return endpoint

    def auth_schemes_to_signing_ctx(self, auth_schemes: Any) -> tuple[Any, dict[str, Any]]:
        # A remembered endpoint hands back the same authSchemes list on every call (S3's
        # endpoints carry one); the signing context is a fresh copy, as botocore mutates it.
        cached = self._auth
        if cached is None or cached[0] is not auth_schemes:
            cached = self._auth = (
                auth_schemes,
                self._resolver.auth_schemes_to_signing_ctx(auth_schemes),
            )
        auth_type, context = cached[1]
        return auth_type, dict(context)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolver, name)


def _skip_request_building(client: Any) -> None:
    if getattr(client, "_eventproof_bound", False):
        return
    client._eventproof_bound = True
    originals = (getattr(client, "_ruleset_resolver", None), getattr(client, "_serializer", None))
    for name in ("generate_presigned_url", "generate_presigned_post"):
        method = getattr(client, name, None)
        if method is not None:
            setattr(client, name, _presigning(client, method, originals))
    resolver = getattr(client, "_ruleset_resolver", None)
    if resolver is not None:
        client._ruleset_resolver = _EndpointMemo(resolver)
    serializer = getattr(client, "_serializer", None)
    if serializer is not None:
        validator = (
            serializer._param_validator
            if isinstance(serializer, ParamValidationDecorator)
            else None  # the caller turned parameter validation off
        )
        client._serializer = _ValidateOnly(validator)
    creator = getattr(client, "_user_agent_creator", None)
    if creator is not None:
        client._user_agent_creator = _FixedUserAgent(creator.to_string())


def _no_request() -> dict[str, Any]:
    """A fresh, empty request dict (botocore adds to it: never share one)."""
    return {"url_path": "/", "query_string": {}, "method": "POST", "headers": {}, "body": b""}

def _presigning(client: Any, method: Any, originals: tuple[Any, Any]) -> Any:
    """``method`` run with botocore's own resolver and serializer: a URL needs the real request."""

    @functools.wraps(method)
    def presign(*args: Any, **kwargs: Any) -> Any:
        bound = (client._ruleset_resolver, client._serializer)
        client._ruleset_resolver, client._serializer = originals
        try:
            return method(*args, **kwargs)
        finally:
            client._ruleset_resolver, client._serializer = bound

    return presign


class _ValidateOnly:
    """botocore's parameter validation, without turning the call into HTTP bytes."""

    def __init__(self, validator: Any) -> None:
        self._validator = validator

    def serialize_to_request(self, parameters: Any, operation_model: Any) -> dict[str, Any]:
        shape = operation_model.input_shape
        if self._validator is not None and shape is not None:
            try:
                report = self._validator.validate(parameters, shape)
            except RecursionError:
                # botocore's validator recurses once per nesting level; a document
                # hundreds of levels deep exhausts the stack before AWS would see it.
                # The fake then answers what AWS answers (DynamoDB's 32-level limit).
                return _no_request()
            if report.has_errors():
                raise ParamValidationError(report=report.generate_report())
        return _no_request()


class _FixedUserAgent:
    def __init__(self, user_agent: str) -> None:
        self._user_agent = user_agent

    def to_string(self) -> str:
        return self._user_agent

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)
