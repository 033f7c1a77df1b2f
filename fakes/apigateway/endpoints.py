"""Several APIs behind one address, as ``sam local start-api`` serves a template's APIs.

An ``Endpoint`` is one API at one stage. A request goes to the endpoint
whose deployed routes fit it most specifically (a literal segment beats
``{param}``, which beats ``{proxy+}``; an exact method beats ``ANY``); an
HTTP API's ``$default`` route is taken only when no route fits anywhere.
When nothing fits, the first endpoint answers (API Gateway's own 403 or 404).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventproof_fakes.apigateway.http_model import DEFAULT_STAGE, HttpApi, parse_route_key
from eventproof_fakes.apigateway.routing import best_match

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["Endpoint", "choose_endpoint", "deployed_endpoints"]


@dataclass(frozen=True)
class Endpoint:
    api_id: str
    stage: str
    kind: str  # "REST" or "HTTP"
    name: str

    def describe(self) -> str:
        return f"{self.kind} API {self.name} ({self.api_id}), stage {self.stage}"


def deployed_endpoints(env: FakeAWS) -> list[Endpoint]:
    """Every API of the environment at one stage each, REST APIs first.

    An HTTP API is served at ``$default`` when it has it; otherwise, and for a
    REST API, at its most recently created stage (SAM's implicit ``Stage``
    stage comes before the ``Prod`` stage its template declares).
    """
    found: list[Endpoint] = []
    for rest in env.apigateway.rest_apis.values():
        if rest.stages:
            found.append(Endpoint(rest.id, list(rest.stages)[-1], "REST", rest.name))
    for http in env.apigatewayv2.apis.values():
        stages = [s.name for s in http.stages.values() if s.deployment_id or s.auto_deploy]
        if stages:
            stage = DEFAULT_STAGE if DEFAULT_STAGE in stages else stages[-1]
            found.append(Endpoint(http.id, stage, "HTTP", http.name))
    return found


def _routes(env: FakeAWS, endpoint: Endpoint) -> tuple[list[tuple[str, str, Endpoint]], bool]:
    """(template, method, endpoint) of each deployed route, and whether a ``$default`` route exists."""
    if endpoint.kind == "REST":
        rest = env.apigateway.rest_apis.get(endpoint.api_id)
        stage = rest.stages.get(endpoint.stage) if rest is not None else None
        if rest is None or stage is None or stage.deployment_id not in rest.deployments:
            return [], False
        resources = rest.deployments[stage.deployment_id].resources
        return [
            (resource.path, method, endpoint)
            for resource in resources.values()
            for method in resource.methods
        ], False
    http: HttpApi | None = env.apigatewayv2.apis.get(endpoint.api_id)
    http_stage = http.stages.get(endpoint.stage) if http is not None else None
    if http is None or http_stage is None:
        return [], False
    deployment = http.deployments.get(http_stage.deployment_id or "")
    routes = deployment.routes if deployment is not None else http.routes
    candidates: list[tuple[str, str, Endpoint]] = []
    has_default = False
    for route in routes.values():
        parsed = parse_route_key(route.key)
        if parsed is None:
            has_default = True
        else:
            candidates.append((parsed[1], parsed[0], endpoint))
    return candidates, has_default


def choose_endpoint(
    env: FakeAWS, endpoints: Sequence[Endpoint], method: str, path: str
) -> Endpoint:
    """The endpoint that serves ``method path`` (``path`` without its query)."""
    candidates: list[tuple[str, str, Endpoint]] = []
    fallback: Endpoint | None = None
    for endpoint in endpoints:
        routes, has_default = _routes(env, endpoint)
        candidates.extend(routes)
        if has_default and fallback is None:
            fallback = endpoint
    found = best_match(candidates, method, path)
    if found is not None:
        return found[0]
    if fallback is not None:
        return fallback
    return endpoints[0]

