"""Kinesis streams, S3 buckets, EventBridge Scheduler schedules and API Gateway APIs.

These are provisioned through boto3 like every other type; on a target
that does not answer the service (the fakes before those services land) the
provisioner reports the resource as not modelled, naming the service.
"""

from __future__ import annotations

import json
from typing import Any

from eventproof_fakes.cloudformation.resources.base import (
    Built,
    ResourceContext,
    ResourceType,
    short_name,
)

__all__ = ["Bucket", "HttpApi", "HttpApiStage", "RestApi", "RestApiDeployment", "RestApiStage", "Schedule", "Stream"]


class Stream(ResourceType):
    type_name = "AWS::Kinesis::Stream"
    documented = frozenset({
        "DesiredShardLevelMetrics", "MaxRecordSizeInKiB", "Name", "RetentionPeriodHours",
        "ShardCount", "StreamEncryption", "StreamModeDetails", "Tags", "WarmThroughputMiBps",
    })
    not_modelled = {
        "DesiredShardLevelMetrics": "enhanced metrics are not modelled",
        "MaxRecordSizeInKiB": "record size settings are not modelled",
        "StreamEncryption": "encryption is not modelled",
        "Tags": "stream tags are not passed",
        "WarmThroughputMiBps": "warm throughput is not modelled",
    }

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("Name") or ctx.name(128)
        kinesis = ctx.client("kinesis")
        request: dict[str, Any] = {"StreamName": name}
        mode = (props.get("StreamModeDetails") or {}).get("StreamMode")
        if mode:
            request["StreamModeDetails"] = {"StreamMode": mode}
        if mode != "ON_DEMAND":
            request["ShardCount"] = int(props.get("ShardCount", 1))
        kinesis.create_stream(**request)
        if "RetentionPeriodHours" in props:
            kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=int(props["RetentionPeriodHours"]))
        arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
        built = self.built(ctx, name, name, Arn=arn)
        built.undo.append(("kinesis", "delete_stream", {"StreamName": name}))
        return built


class Bucket(ResourceType):
    type_name = "AWS::S3::Bucket"
    documented = frozenset({
        "AbacStatus", "AccelerateConfiguration", "AnalyticsConfigurations", "BucketEncryption",
        "BucketName", "CorsConfiguration", "IntelligentTieringConfigurations",
        "InventoryConfigurations", "LifecycleConfiguration", "LoggingConfiguration",
        "MetadataConfiguration", "MetadataTableConfiguration", "MetricsConfigurations",
        "NotificationConfiguration", "ObjectLockConfiguration", "ObjectLockEnabled",
        "OwnershipControls", "PublicAccessBlockConfiguration", "ReplicationConfiguration",
        "Tags", "VersioningConfiguration", "WebsiteConfiguration",
    })
    not_modelled = {
        key: "not modelled by eventproof's CloudFormation for buckets"
        for key in documented - {"BucketName", "NotificationConfiguration"}
    }

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("BucketName") or ctx.name(63).lower()
        s3 = ctx.client("s3")
        s3.create_bucket(Bucket=name)
        built = self.built(
            ctx, name, name, Arn=f"arn:aws:s3:::{name}", DomainName=f"{name}.s3.amazonaws.com",
            RegionalDomainName=f"{name}.s3.{ctx.region}.amazonaws.com",
        )
        notifications = props.get("NotificationConfiguration") or {}
        lambdas = notifications.get("LambdaConfigurations") or []
        if set(notifications) - {"LambdaConfigurations"}:
            ctx.not_modelled("NotificationConfiguration", "only LambdaConfigurations are modelled")
        if lambdas:
            s3.put_bucket_notification_configuration(
                Bucket=name,
                NotificationConfiguration={"LambdaFunctionConfigurations": [
                    {"LambdaFunctionArn": c["Function"], "Events": [c["Event"]],
                     **({"Filter": {"Key": {"FilterRules": c["Filter"]["S3Key"]["Rules"]}}} if "Filter" in c else {})}
                    for c in lambdas
                ]},
            )
            built.wired_to.extend(f"{c['Event']} -> {short_name(c['Function'])}" for c in lambdas)
        built.undo.append(("s3", "delete_bucket", {"Bucket": name}))
        return built


class Schedule(ResourceType):
    type_name = "AWS::Scheduler::Schedule"
    documented = frozenset({
        "Description", "EndDate", "FlexibleTimeWindow", "GroupName", "KmsKeyArn", "Name",
        "ScheduleExpression", "ScheduleExpressionTimezone", "StartDate", "State", "Target",
    })
    not_modelled = {"KmsKeyArn": "encryption is not modelled"}

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("Name") or ctx.name(64)
        request = {k: props[k] for k in self.documented - {"KmsKeyArn", "Name"} if k in props}
        arn = ctx.client("scheduler").create_schedule(Name=name, **request)["ScheduleArn"]
        built = self.built(ctx, name, name, Arn=arn)
        built.wired_to.append(f"{props.get('ScheduleExpression')} -> {short_name(props['Target']['Arn'])}")
        built.undo.append(("scheduler", "delete_schedule", {"Name": name}))
        return built


class RestApi(ResourceType):
    type_name = "AWS::ApiGateway::RestApi"
    documented = frozenset({
        "ApiKeySourceType", "BinaryMediaTypes", "Body", "BodyS3Location", "CloneFrom",
        "Description", "DisableExecuteApiEndpoint", "EndpointConfiguration", "FailOnWarnings",
        "MinimumCompressionSize", "Mode", "Name", "Parameters", "Policy", "Tags",
    })
    not_modelled = {
        key: "not modelled by eventproof's CloudFormation for REST APIs"
        for key in documented - {"Body", "Name", "Description"}
    }

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        apigateway = ctx.client("apigateway")
        if "Body" in props:
            api = apigateway.import_rest_api(body=json.dumps(props["Body"]).encode())
        else:
            api = apigateway.create_rest_api(name=props.get("Name") or ctx.name(128))
        api_id = api["id"]
        resources = apigateway.get_resources(restApiId=api_id)["items"]
        root = next((r["id"] for r in resources if r.get("path") == "/"), "")
        built = self.built(ctx, api_id, api_id, RootResourceId=root, RestApiId=api_id)
        built.undo.append(("apigateway", "delete_rest_api", {"restApiId": api_id}))
        return built


class HttpApi(ResourceType):
    type_name = "AWS::ApiGatewayV2::Api"
    documented = frozenset({
        "ApiKeySelectionExpression", "BasePath", "Body", "BodyS3Location", "CorsConfiguration",
        "CredentialsArn", "Description", "DisableExecuteApiEndpoint", "DisableSchemaValidation",
        "FailOnWarnings", "IpAddressType", "Name", "ProtocolType", "RouteKey",
        "RouteSelectionExpression", "Tags", "Target", "Version",
    })
    not_modelled = {
        key: "not modelled by eventproof's CloudFormation for HTTP APIs"
        for key in documented - {"Body", "Name", "ProtocolType", "Description"}
    }

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        client = ctx.client("apigatewayv2")
        if "Body" in props:
            api = client.import_api(Body=json.dumps(props["Body"]))
        else:
            api = client.create_api(Name=props.get("Name") or ctx.name(128), ProtocolType=props.get("ProtocolType", "HTTP"))
        built = self.built(ctx, api["ApiId"], api["ApiId"], ApiEndpoint=api.get("ApiEndpoint", ""), ApiId=api["ApiId"])
        built.undo.append(("apigatewayv2", "delete_api", {"ApiId": api["ApiId"]}))
        return built


class RestApiDeployment(ResourceType):
    type_name = "AWS::ApiGateway::Deployment"
    documented = frozenset({"DeploymentCanarySettings", "Description", "RestApiId", "StageDescription", "StageName"})
    not_modelled = {
        "DeploymentCanarySettings": "canary deployments are not modelled",
        "StageDescription": "stage settings are not modelled",
    }
    required = ("RestApiId",)

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        request = {"restApiId": props["RestApiId"], **({"stageName": props["StageName"]} if "StageName" in props else {})}
        deployment = ctx.client("apigateway").create_deployment(**request)
        built = self.built(ctx, deployment["id"], deployment["id"], DeploymentId=deployment["id"])
        built.undo.append(("apigateway", "delete_deployment", {"restApiId": props["RestApiId"], "deploymentId": deployment["id"]}))
        return built


class RestApiStage(ResourceType):
    type_name = "AWS::ApiGateway::Stage"
    documented = frozenset({
        "AccessLogSetting", "CacheClusterEnabled", "CacheClusterSize", "CanarySetting",
        "ClientCertificateId", "DeploymentId", "Description", "DocumentationVersion",
        "MethodSettings", "RestApiId", "StageName", "Tags", "TracingEnabled", "Variables",
    })
    not_modelled = {
        key: "not modelled by eventproof's CloudFormation for stages"
        for key in documented - {"DeploymentId", "Description", "RestApiId", "StageName", "Variables"}
    }
    required = ("RestApiId", "StageName")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        request = {"restApiId": props["RestApiId"], "stageName": props["StageName"],
                   "deploymentId": props.get("DeploymentId", "")}
        if "Variables" in props:
            request["variables"] = props["Variables"]
        ctx.client("apigateway").create_stage(**request)
        built = self.built(ctx, props["StageName"], props["StageName"])
        built.undo.append(("apigateway", "delete_stage", {"restApiId": props["RestApiId"], "stageName": props["StageName"]}))
        return built


class HttpApiStage(ResourceType):
    type_name = "AWS::ApiGatewayV2::Stage"
    documented = frozenset({
        "AccessLogSettings", "AccessPolicyId", "ApiId", "AutoDeploy", "ClientCertificateId",
        "DefaultRouteSettings", "DeploymentId", "Description", "RouteSettings", "StageName",
        "StageVariables", "Tags",
    })
    not_modelled = {
        key: "not modelled by eventproof's CloudFormation for HTTP API stages"
        for key in documented - {"ApiId", "AutoDeploy", "DeploymentId", "Description", "StageName", "StageVariables"}
    }
    required = ("ApiId", "StageName")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        request = {k: props[k] for k in ("ApiId", "AutoDeploy", "DeploymentId", "Description", "StageName", "StageVariables") if k in props}
        ctx.client("apigatewayv2").create_stage(**request)
        built = self.built(ctx, props["StageName"], props["StageName"])
        built.undo.append(("apigatewayv2", "delete_stage", {"ApiId": props["ApiId"], "StageName": props["StageName"]}))
        return built
