"""``eventproof serve --template``: a template's APIs over HTTP on the fakes.

The template is deployed on a fresh ``FakeAWS`` (boto3 patched to it, so
the handlers' own clients reach the fakes). Every API it built (SAM's
``Api``/``HttpApi`` events become a REST API or an HTTP API; explicit
``AWS::ApiGateway::RestApi``/``AWS::ApiGatewayV2::Api`` resources count too)
is served behind one address, at its deployed stage, paths without the
stage prefix, as ``sam local start-api`` serves them. Each request then
drives every delivery it queued (streams, rules, queues) on the virtual
clock before the next.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from eventproof.errors import ConfigError

if TYPE_CHECKING:
    from eventproof_fakes import FakeAWS
    from eventproof_fakes.apigateway.endpoints import Endpoint
    from eventproof_fakes.apigateway.server import ApiServer

__all__ = ["build_template_server", "routes_of"]


def build_template_server(
    aws: FakeAWS,
    template: Path,
    parameters: dict[str, str],
    *,
    host: str,
    port: int,
    read_timeout: float = 10.0,
) -> ApiServer:
    """Deploy ``template`` on ``aws`` and bind a server for its APIs (boto3 must be patched)."""
    from eventproof_fakes.apigateway.endpoints import deployed_endpoints
    from eventproof_fakes.apigateway.server import ApiServer, BindError
    from eventproof_fakes.cloudformation import TemplateError

    try:
        aws.cloudformation.deploy(template, parameters=parameters)
    except TemplateError as error:
        raise ConfigError(error.describe()) from None
    endpoints = deployed_endpoints(aws)
    if not endpoints:
        raise ConfigError(
            f"{template} builds no API: nothing to serve",
            hint="give a function an event of Type Api or HttpApi, or declare an "
            "AWS::ApiGateway::RestApi / AWS::ApiGatewayV2::Api",
        )
    server = ApiServer(
        aws, host=host, port=port, endpoints=endpoints, settle=True, read_timeout=read_timeout
    )
    try:
        server.bind()
    except BindError as error:
        raise ConfigError(str(error)) from None
    return server


def routes_of(aws: FakeAWS, endpoints: list[Endpoint]) -> list[str]:
    """``METHOD /path -> API`` for each route served, to show what the server answers."""
    lines: list[str] = []
    for endpoint in endpoints:
        if endpoint.kind == "REST":
            api = aws.apigateway.rest_apis[endpoint.api_id]
            deployment = api.deployments[api.stages[endpoint.stage].deployment_id]
            keys = [
                f"{method} {resource.path}"
                for resource in deployment.resources.values()
                for method in resource.methods
            ]
        else:
            http = aws.apigatewayv2.apis[endpoint.api_id]
            stage = http.stages[endpoint.stage]
            found = http.deployments.get(stage.deployment_id or "")
            keys = [route.key for route in (found.routes if found else http.routes).values()]
        lines.extend(f"{key}  ({endpoint.describe()})" for key in sorted(keys))
    return lines
