"""Fake Amazon API Gateway: REST APIs (``apigateway``) and HTTP APIs (``apigatewayv2``).

``env.apigateway.request(...)`` serves a request to either kind of API
in-process; ``eventproof_fakes.apigateway.server`` serves them over HTTP on 127.0.0.1.
"""

from eventproof_fakes.apigateway.backend import APIGateway, ApiNotFound, RequestRecord
from eventproof_fakes.apigateway.http_apis import APIGatewayV2
from eventproof_fakes.apigateway.messages import ApiResponse, Headers
from eventproof_fakes.apigateway.uris import execute_api_url

__all__ = [
    "APIGateway",
    "APIGatewayV2",
    "ApiNotFound",
    "ApiResponse",
    "Headers",
    "RequestRecord",
    "execute_api_url",
]
