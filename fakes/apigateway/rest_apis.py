"""The REST API control plane (service ``apigateway``): APIs, resources, deployments, stages.

Methods and integrations: ``eventproof_fakes.apigateway.rest_methods``.
"""

from __future__ import annotations

import copy
import string
from typing import TYPE_CHECKING, Any

from eventproof_fakes.apigateway.errors import bad_request, conflict, not_found, not_modelled
from eventproof_fakes.apigateway.rest_model import (
    Deployment,
    Resource,
    RestApi,
    Stage,
    check_path_part,
)
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

SERVICE = "apigateway"


def short_id(env: FakeAWS, length: int) -> str:
    rand = env.ids.random()
    return "".join(rand.choice(string.ascii_lowercase + string.digits) for _ in range(length))


def _page(items: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    """``position``/``limit`` paging (default 25, as AWS)."""
    token = str(params.get("position") or "0")
    if not token.isdigit():  # only tokens this fake handed out are valid
        raise bad_request("Invalid pagination token")
    start = int(token)
    limit = params.get("limit") or 25
    page: dict[str, Any] = {"items": items[start : start + limit]}
    if start + limit < len(items):
        page["position"] = str(start + limit)
    return page


class RestApiControl:
    """REST API operations; mixed into ``APIGateway``.

    Simplified: no authorizers, API keys, usage plans, models or request
    validators (the parameters that would need them are refused); a
    resource policy is refused rather than stored unenforced.
    """

    env: FakeAWS
    rest_apis: dict[str, RestApi]

    # --- lookups ------------------------------------------------------------
    def rest_api(self, api_id: str) -> RestApi:
        api = self.rest_apis.get(api_id)
        if api is None:
            raise not_found(f"Invalid API identifier specified {self.env.account_id}:{api_id}")
        return api

    def _resource(
        self, params: dict[str, Any], key: str = "resourceId"
    ) -> tuple[RestApi, Resource]:
        api = self.rest_api(params["restApiId"])
        resource = api.resources.get(params[key])
        if resource is None:
            raise not_found(
                f"Invalid Resource identifier specified {self.env.account_id}:{params[key]}"
            )
        return api, resource

    # --- APIs ---------------------------------------------------------------
    @operation(
        refuses=(
            "cloneFrom",
            "policy",
            "minimumCompressionSize",
            "securityPolicy",
            "endpointAccessMode",
        )
    )
    def create_rest_api(self, params: dict[str, Any]) -> dict[str, Any]:
        env = self.env
        types = (params.get("endpointConfiguration") or {}).get("types") or ["EDGE"]
        if "PRIVATE" in types:
            raise not_modelled(SERVICE, "PRIVATE endpoints (a VPC endpoint is needed to call them)")
        api_id = short_id(env, 10)
        root = Resource(short_id(env, 10), None, None, "/")
        api = RestApi(
            id=api_id,
            name=params["name"],
            created=env.clock.now_datetime(),
            root_id=root.id,
            description=params.get("description"),
            version=params.get("version"),
            binary_media_types=list(params.get("binaryMediaTypes") or []),
            endpoint_types=list(types),
            api_key_source=params.get("apiKeySource", "HEADER"),
            disable_execute_api_endpoint=bool(params.get("disableExecuteApiEndpoint", False)),
            tags=dict(params.get("tags") or {}),
            resources={root.id: root},
        )
        self.rest_apis[api_id] = api
        return {**api.describe(), "_http_status": 201}

    @operation(refuses=("parameters",))
    def import_rest_api(self, params: dict[str, Any]) -> dict[str, Any]:
        from eventproof_fakes.apigateway.openapi import apply_rest_definition, load_definition

        document = load_definition(params["body"])
        info = document.get("info") or {}
        if not info.get("title"):
            raise bad_request("Invalid OpenAPI input: info.title is required to name the API")
        optional = {"description": info.get("description"), "version": info.get("version")}
        created = self.create_rest_api(
            {"name": str(info["title"]), **{k: str(v) for k, v in optional.items() if v}}
        )
        api = self.rest_apis[created["id"]]
        try:
            apply_rest_definition(api, document, lambda: short_id(self.env, 6), overwrite=True)
        except Exception:
            del self.rest_apis[api.id]
            raise
        return {**api.describe(), "_http_status": 201}

    @operation(refuses=("parameters",))
    def put_rest_api(self, params: dict[str, Any]) -> dict[str, Any]:
        from eventproof_fakes.apigateway.openapi import apply_rest_definition, load_definition

        api = self.rest_api(params["restApiId"])
        mode = params.get("mode", "merge")
        if mode not in ("merge", "overwrite"):
            raise bad_request(f"Invalid mode {mode!r}: merge or overwrite")
        document = load_definition(params["body"])
        apply_rest_definition(
            api, document, lambda: short_id(self.env, 6), overwrite=mode == "overwrite"
        )
        return api.describe()

    @operation
    def get_rest_api(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.rest_api(params["restApiId"]).describe()

    @operation
    def get_rest_apis(self, params: dict[str, Any]) -> dict[str, Any]:
        return _page([api.describe() for api in self.rest_apis.values()], params)

    @operation
    def delete_rest_api(self, params: dict[str, Any]) -> dict[str, Any]:
        self.rest_api(params["restApiId"])
        del self.rest_apis[params["restApiId"]]
        return {"_http_status": 202}

    # --- resources ----------------------------------------------------------
    @operation
    def get_resources(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.rest_api(params["restApiId"])
        embed = "methods" in (params.get("embed") or [])
        items = [r.describe(embed) for r in sorted(api.resources.values(), key=lambda r: r.path)]
        return _page(items, params)

    @operation
    def get_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        _, resource = self._resource(params)
        return resource.describe("methods" in (params.get("embed") or []))

    @operation
    def create_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        api, parent = self._resource(params, "parentId")
        path_part = params["pathPart"]
        check_path_part(path_part)
        siblings = [r for r in api.resources.values() if r.parent_id == parent.id]
        for sibling in siblings:
            if sibling.path_part == path_part:
                raise conflict(
                    f"Another resource with the same parent already has this name: {path_part}"
                )
            if path_part.startswith("{") and (sibling.path_part or "").startswith("{"):
                raise bad_request(
                    f"A sibling ({sibling.path_part}) of this resource already has a variable "
                    f"path part -- only one is allowed"
                )
        if (parent.path_part or "").endswith("+}"):
            raise bad_request(
                f"Cannot create a child of a resource with a greedy path variable: {parent.path_part}"
            )
        path = f"{parent.path.rstrip('/')}/{path_part}"
        resource = Resource(short_id(self.env, 6), parent.id, path_part, path)
        api.resources[resource.id] = resource
        return {**resource.describe(), "_http_status": 201}

    @operation
    def delete_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        api, resource = self._resource(params)
        if resource.id == api.root_id:
            raise bad_request("Cannot delete the root resource")
        doomed = {resource.id}
        changed = True
        while changed:  # the resource and everything under it
            grown = {r.id for r in api.resources.values() if r.parent_id in doomed}
            changed = not grown <= doomed
            doomed |= grown
        for resource_id in doomed:
            del api.resources[resource_id]
        return {"_http_status": 202}

    # --- deployments and stages -------------------------------------------------
    @operation(refuses=("cacheClusterEnabled", "cacheClusterSize", "canarySettings"))
    def create_deployment(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.rest_api(params["restApiId"])
        if not any(r.methods for r in api.resources.values()):
            raise bad_request("The REST API doesn't contain any methods")
        for resource in api.resources.values():
            for method in resource.methods.values():
                if method.integration is None:
                    raise bad_request("No integration defined for method")
        now = self.env.clock.now_datetime()
        deployment = Deployment(
            short_id(self.env, 6), params.get("description"), now, copy.deepcopy(api.resources)
        )
        api.deployments[deployment.id] = deployment
        stage_name = params.get("stageName")
        if stage_name:
            stage = api.stages.get(stage_name)
            if stage is None:
                api.stages[stage_name] = Stage(
                    stage_name,
                    deployment.id,
                    now,
                    now,
                    description=params.get("stageDescription"),
                    variables=dict(params.get("variables") or {}),
                    tracing_enabled=bool(params.get("tracingEnabled", False)),
                )
            else:
                stage.deployment_id = deployment.id
                stage.updated = now
                stage.variables.update(params.get("variables") or {})
        return {**deployment.describe(), "_http_status": 201}

    @operation
    def get_deployments(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.rest_api(params["restApiId"])
        return _page([d.describe() for d in api.deployments.values()], params)

    @operation(
        refuses=(
            "cacheClusterEnabled",
            "cacheClusterSize",
            "canarySettings",
            "documentationVersion",
        )
    )
    def create_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.rest_api(params["restApiId"])
        name = params["stageName"]
        if name in api.stages:
            raise conflict("Stage already exists")
        if params["deploymentId"] not in api.deployments:
            raise bad_request("Invalid deployment identifier specified")
        now = self.env.clock.now_datetime()
        stage = Stage(
            name,
            params["deploymentId"],
            now,
            now,
            description=params.get("description"),
            variables=dict(params.get("variables") or {}),
            tracing_enabled=bool(params.get("tracingEnabled", False)),
            tags=dict(params.get("tags") or {}),
        )
        api.stages[name] = stage
        return {**stage.describe(), "_http_status": 201}

    @operation
    def get_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.rest_api(params["restApiId"])
        stage = api.stages.get(params["stageName"])
        if stage is None:
            raise not_found(f"Invalid stage identifier specified: {params['stageName']}")
        return stage.describe()

    @operation
    def get_stages(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.rest_api(params["restApiId"])
        deployment = params.get("deploymentId")
        return {
            "item": [
                s.describe()
                for s in api.stages.values()
                if deployment is None or s.deployment_id == deployment
            ]
        }

    @operation
    def delete_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.rest_api(params["restApiId"])
        if api.stages.pop(params["stageName"], None) is None:
            raise not_found(f"Invalid stage identifier specified: {params['stageName']}")
        return {"_http_status": 202}
