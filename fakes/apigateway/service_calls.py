"""Calling an AWS service the way an API Gateway service integration does, through boto3.

A ``type: AWS`` integration sends the service a request body made by its
mapping template: form fields of the Query API (``Action=SendMessage&
MessageBody=...``) or the JSON of a JSON-protocol service (``{"Entries":
[...]}`` for EventBridge ``PutEvents``). The fake decodes that body into the
operation's parameters, calls the operation on a real botocore client bound to
the environment (so validation, errors and every side effect are the
service's), and answers with the body the service would send: for a Query
call, AWS's JSON form of it (``{"SendMessageResponse": {"SendMessageResult":
...}}``), for a JSON call, the JSON response.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError

if TYPE_CHECKING:
    from botocore.model import Shape

    from eventproof_fakes.environment import FakeAWS

# API Gateway's service names in integration ARNs that differ from botocore's.
_BOTOCORE_NAMES = {"execute-api": "apigateway", "states": "stepfunctions"}


@dataclass
class ServiceAnswer:
    status: int
    body: str


class RequestNotUnderstood(Exception):
    """The integration request cannot become a call: no operation, an undecodable body."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "read"):  # a streaming body
        return value.read().decode("utf-8", errors="replace")
    return value


def _scalar(shape: Shape, text: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(text)
    if kind in ("float", "double"):
        return float(text)
    if kind == "boolean":
        return text.lower() == "true"
    if kind == "blob":
        return base64.b64decode(text)
    return text


def _query_value(shape: Shape, fields: dict[str, str], prefix: str) -> Any:
    """One member from Query API fields (``MessageAttribute.1.Name``, ``.Value.StringValue``...)."""
    kind = shape.type_name
    if kind == "structure":
        found = {}
        for name, member in shape.members.items():
            value = _query_value(member, fields, f"{prefix}.{name}")
            if value is not None:
                found[name] = value
        return found or None
    if kind in ("list", "map"):
        singular = prefix[:-1] if prefix.endswith("s") else prefix
        entries: list[Any] = []
        mapped: dict[str, Any] = {}
        index = 1
        while True:
            if kind == "list":
                base = next(
                    (
                        p
                        for p in (f"{singular}.{index}", f"{prefix}.member.{index}")
                        if _present(fields, p)
                    ),
                    None,
                )
                if base is None:
                    break
                entries.append(_query_value(shape.member, fields, base))
            else:
                base = next(
                    (
                        p
                        for p in (f"{singular}.{index}", f"{prefix}.entry.{index}")
                        if _present(fields, p)
                    ),
                    None,
                )
                if base is None:
                    break
                key = fields.get(f"{base}.Name", fields.get(f"{base}.key"))
                value = _query_value(shape.value, fields, f"{base}.Value")
                if value is None:
                    value = _query_value(shape.value, fields, f"{base}.value")
                if key is not None:
                    mapped[key] = value
            index += 1
        if kind == "list":
            return entries or None
        return mapped or None
    return None if prefix not in fields else _scalar(shape, fields[prefix])


def _present(fields: dict[str, str], prefix: str) -> bool:
    return prefix in fields or any(key.startswith(prefix + ".") for key in fields)


def decode_query_fields(shape: Shape | None, fields: dict[str, str]) -> dict[str, Any]:
    """Query API form fields -> botocore parameters of the operation's input shape."""
    params: dict[str, Any] = {}
    if shape is None:
        return params
    for name, member in shape.members.items():
        value = _query_value(member, fields, name)
        if value is not None:
            params[name] = value
    known_roots = set(shape.members) | {n[:-1] for n in shape.members if n.endswith("s")}
    unknown = sorted(
        key
        for key in fields
        if key not in ("Action", "Version") and key.split(".")[0] not in known_roots
    )
    if unknown:
        raise RequestNotUnderstood(f"unknown Query API parameters {unknown}")
    return params


class ServiceCaller:
    """One bound client per service; ``call`` answers like the service's HTTP endpoint."""

    def __init__(self, env: FakeAWS) -> None:
        self._env = env
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        name = _BOTOCORE_NAMES.get(service, service)
        client = self._clients.get(name)
        if client is None:
            client = self._clients[name] = self._env.client(name)
        return client

    def call(
        self,
        service: str,
        operation: str | None,
        body: str,
        *,
        content_type: str,
        target_header: str | None,
        extra_fields: dict[str, str],
    ) -> ServiceAnswer:
        client = self.client(service)
        form = "x-www-form-urlencoded" in content_type or (
            not content_type and "Action=" in body and not body.lstrip().startswith("{")
        )
        if form:
            fields = dict(parse_qsl(body, keep_blank_values=True))
            fields.update(extra_fields)
            operation = operation or fields.get("Action")
        else:
            if target_header and not operation:
                operation = target_header.rsplit(".", 1)[-1]
            fields = {}
        if not operation:
            raise RequestNotUnderstood(
                "no operation: the integration URI has no action/, and the request names none "
                "(an Action form field or an X-Amz-Target header)"
            )
        model = client.meta.service_model
        if operation not in model.operation_names:
            raise RequestNotUnderstood(f"{service} has no operation {operation!r}")
        operation_model = model.operation_model(operation)
        if form:
            params = decode_query_fields(operation_model.input_shape, fields)
        else:
            try:
                params = json.loads(body) if body.strip() else {}
            except (json.JSONDecodeError, RecursionError) as error:
                return ServiceAnswer(
                    400, json.dumps({"__type": "SerializationException", "message": str(error)})
                )
            if not isinstance(params, dict):
                return ServiceAnswer(
                    400,
                    json.dumps({"__type": "SerializationException", "message": "not an object"}),
                )
            params.update(extra_fields)
        return self.invoke(service, operation, params, query_style=form)

    def invoke(
        self, service: str, operation: str, params: dict[str, Any], *, query_style: bool
    ) -> ServiceAnswer:
        """Call one operation; answer as the service does (Query calls in AWS's JSON form of them)."""
        client = self.client(service)
        try:
            response = getattr(client, xform_name(operation))(**params)
        except ParamValidationError as error:
            return self._error(query_style, 400, "ValidationError", str(error))
        except ClientError as error:
            details = error.response.get("Error", {})
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
            return self._error(
                query_style, status, details.get("Code", ""), details.get("Message", "")
            )
        request_id = response.get("ResponseMetadata", {}).get("RequestId", "")
        result = _jsonable(response)
        if query_style:
            wrapped = {
                f"{operation}Response": {
                    f"{operation}Result": result,
                    "ResponseMetadata": {"RequestId": request_id},
                }
            }
            return ServiceAnswer(200, json.dumps(wrapped))
        return ServiceAnswer(200, json.dumps(result))

    @staticmethod
    def _error(query_style: bool, status: int, code: str, message: str) -> ServiceAnswer:
        if query_style:
            payload: dict[str, Any] = {
                "Error": {"Code": code, "Message": message, "Type": "Sender"},
                "RequestId": "",
            }
            return ServiceAnswer(status, json.dumps(payload))
        return ServiceAnswer(status, json.dumps({"__type": code, "message": message}))
