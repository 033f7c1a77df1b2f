"""``via="api"``: the message as the JSON body of a request to an API Gateway route.

The handler receives the Lambda proxy event (payload 1.0 for REST APIs, 1.0
or 2.0 for HTTP APIs as the integration says) and answers with a status: a
status >= 400 is a failed handling. A copy is the client retrying the same
request; after a 5xx (or 429) the client retries, up to three attempts in
all, as AWS SDKs do, which is how a crashed handler is tried again; a 4xx
is final. ``assert_rejects_invalid`` expects every invalid body to be
answered with a 4xx (a 5xx is a server error, not a rejection).

The function's own route (a template's ``Api`` or ``HttpApi`` event) is a
route whose integration invokes it, with a method that carries a body
(POST, PUT, PATCH, ANY); the contract's ``x-eventproof.trigger.api``
(``method``, ``path``) picks one when there are several. Without a route of
its own the bench creates an HTTP API with ``POST /eventproof`` (``method``,
``path`` and ``payload-format`` "1.0"/"2.0" from the same metadata). Path
parameters are filled from the message's field of that name, else its
entity key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError
from eventproof.properties.deliveries.common import entity_key, function_arn
from eventproof.properties.deliveries.registry import DeliveryKind, register_delivery
from eventproof.properties.triggers import Deployed, Found, Trigger

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery, Run

BODY_METHODS = ("POST", "PUT", "PATCH", "ANY")
ATTEMPTS = 3  # the first request and two retries (AWS SDKs' standard retry mode)
_RETRIED = (429, 500, 502, 503, 504)
_PARAMETER = re.compile(r"\{([^}/]+?)\+?\}")


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    method = str(delivery.option("api", "method") or "POST").upper()
    path = str(delivery.option("api", "path") or "/eventproof")
    v2 = bench.client("apigatewayv2")
    api = v2.create_api(Name="eventproof-input", ProtocolType="HTTP")["ApiId"]
    integration = v2.create_integration(
        ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=function_arn(bench),
        PayloadFormatVersion=str(delivery.option("api", "payload-format") or "2.0"))
    v2.create_route(ApiId=api, RouteKey=f"{method} {path}",
                    Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api, StageName="$default", AutoDeploy=True)
    return Trigger(None, {"api": api, "stage": "$default", "method": method, "path": path})


def _invokes(uri: str | None, function: str) -> bool:
    return bool(uri) and (uri == function or f"/functions/{function}/invocations" in str(uri))


def _routes(deployed: Deployed) -> list[dict[str, str]]:
    """Every (api, its name, stage, method, path) whose integration is a Lambda proxy of the function."""
    arn, found = deployed.arn, []
    v2 = deployed.client("apigatewayv2")
    for api in v2.get_apis().get("Items", []):
        integrations = {i["IntegrationId"] for i in v2.get_integrations(ApiId=api["ApiId"])["Items"]
                        if _invokes(i.get("IntegrationUri"), arn)}
        stages = sorted(s["StageName"] for s in v2.get_stages(ApiId=api["ApiId"])["Items"])
        for route in v2.get_routes(ApiId=api["ApiId"])["Items"]:
            if stages and route.get("Target", "").removeprefix("integrations/") in integrations:
                method, _, path = route["RouteKey"].partition(" ")
                found.append({"api": api["ApiId"], "name": api.get("Name", api["ApiId"]),
                              "stage": stages[0], "method": method if path else "ANY",
                              "path": path or "/eventproof"})
    rest = deployed.client("apigateway")
    for api in rest.get_rest_apis().get("items", []):
        stages = sorted(s["stageName"] for s in rest.get_stages(restApiId=api["id"])["item"])
        for resource in rest.get_resources(restApiId=api["id"])["items"]:
            for method in resource.get("resourceMethods", {}):
                integration = rest.get_integration(restApiId=api["id"], resourceId=resource["id"],
                                                   httpMethod=method)
                if stages and integration.get("type") == "AWS_PROXY" and _invokes(
                        integration.get("uri"), arn):
                    found.append({"api": api["id"], "name": api.get("name", api["id"]),
                                  "stage": stages[0], "method": method, "path": resource["path"]})
    return found


def find(deployed: Deployed, delivery: Delivery) -> list[Found]:
    """The routes invoking the function with a body method (and the contract's method and path)."""
    wanted_method = delivery.option("api", "method")
    wanted_path = delivery.option("api", "path")
    found = []
    for route in _routes(deployed):
        if route["method"] not in BODY_METHODS or (
                wanted_method is not None
                and route["method"] not in (str(wanted_method).upper(), "ANY")) or (
                wanted_path is not None and route["path"] != wanted_path):
            continue
        description = f"route {route['method']} {route['path']} of API {route.pop('name')}"
        if route["method"] == "ANY":
            route["method"] = str(wanted_method or "POST").upper()
        found.append(Found(description, Trigger(None, route)))
    return found


def own(bench: Bench, delivery: Delivery) -> Trigger:
    deployed = Deployed.of(bench)
    usable = find(deployed, delivery)
    if len(usable) != 1:
        listed = ", ".join(f"{r['method']} {r['path']}" for r in _routes(deployed)) or "none"
        raise ConfigError(
            f"{bench.system.name}: via='api' needs exactly one route taking a request body "
            f"(POST, PUT, PATCH or ANY) that invokes it, found {len(usable)} (its routes: {listed})",
            hint="give the function one Api/HttpApi event with a body method, or name one in the "
                 "contract's x-eventproof.trigger.api (method, path)")
    return usable[0].trigger


def _path(template: str, delivery: Delivery, message: Any) -> str:
    def fill(match: re.Match[str]) -> str:
        value = message.get(match[1]) if isinstance(message, dict) else None
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return str(value)
        return entity_key(delivery, message) or "eventproof"

    return _PARAMETER.sub(fill, template)


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    address = trigger.address
    path = _path(address["path"], delivery, message)
    gateway = bench.aws.apigateway
    for _ in range(ATTEMPTS):
        invoked = len(bench.aws.invocations(bench.system.name))
        response = gateway.request(address["method"], path, json=message, api=address["api"],
                                   stage=address["stage"])
        if response.status >= 400 and len(bench.aws.invocations(bench.system.name)) == invoked:
            # The gateway answered without the handler (no route, a validator, a throttle).
            problem = gateway.requests[-1].problem if gateway.requests else None
            bench.failures.append(f"HTTP {response.status} from the gateway"
                                  + (f": {problem}" if problem else ""))
        if response.status not in _RETRIED:
            break
    bench.answers.append(response.status)


def answered_4xx(run: Run) -> bool:
    return bool(run.answers) and all(400 <= status < 500 for status in run.answers)


register_delivery(DeliveryKind(
    name="api", summary="a request to an API Gateway route (REST or HTTP API); the message is "
                        "the JSON body",
    wire=wire, own=own, find=find, send=send, redelivery="the client retrying after a 5xx answer",
    rejected=answered_4xx, rejection="every request is answered with a 4xx",
    duplicate="the client retries the same request",
    reordering="the clients sent the requests in another order"))
