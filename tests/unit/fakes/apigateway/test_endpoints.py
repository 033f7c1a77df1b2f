"""Several APIs behind one address: each request goes to the API whose routes fit it best."""

from __future__ import annotations

from typing import Any

from eventproof_fakes import FakeAWS
from eventproof_fakes.apigateway.endpoints import choose_endpoint, deployed_endpoints


def _handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200}


def _http_api(aws: FakeAWS, name: str, *route_keys: str) -> str:
    arn = aws.lambda_.register(f"fn-{name}", _handler)
    client = aws.client("apigatewayv2")
    api = client.create_api(Name=name, ProtocolType="HTTP")
    integration = client.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=arn, PayloadFormatVersion="2.0"
    )
    for key in route_keys:
        client.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    client.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    return str(api["ApiId"])


def test_the_most_specific_route_wins_across_apis() -> None:
    aws = FakeAWS()
    greedy = _http_api(aws, "greedy", "ANY /{proxy+}")
    orders = _http_api(aws, "orders", "GET /orders/{id}", "POST /orders")
    fallback = _http_api(aws, "fallback", "$default")
    endpoints = deployed_endpoints(aws)
    assert {e.api_id for e in endpoints} == {greedy, orders, fallback}
    assert choose_endpoint(aws, endpoints, "GET", "/orders/7").api_id == orders
    assert choose_endpoint(aws, endpoints, "DELETE", "/orders/7").api_id == greedy
    assert choose_endpoint(aws, endpoints, "POST", "/orders").api_id == orders


def test_the_default_route_takes_what_no_route_fits() -> None:
    aws = FakeAWS()
    orders = _http_api(aws, "orders", "POST /orders")
    fallback = _http_api(aws, "fallback", "$default")
    endpoints = deployed_endpoints(aws)
    assert choose_endpoint(aws, endpoints, "POST", "/orders").api_id == orders
    assert choose_endpoint(aws, endpoints, "GET", "/elsewhere").api_id == fallback
