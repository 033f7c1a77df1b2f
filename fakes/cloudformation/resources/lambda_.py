"""Lambda functions, event source mappings, event invoke configs and permissions."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from eventproof_fakes.cloudformation.resources.base import (
    Built,
    ResourceContext,
    ResourceType,
    Skip,
    short_name,
)
from eventproof_fakes.lambda_.code import package

__all__ = ["EventInvokeConfig", "EventSourceMapping", "Function", "Permission"]


class Function(ResourceType):
    type_name = "AWS::Lambda::Function"
    documented = frozenset({
        "Architectures", "Code", "CodeSigningConfigArn", "DeadLetterConfig", "Description",
        "Environment", "EphemeralStorage", "FileSystemConfigs", "FunctionName", "Handler",
        "ImageConfig", "KmsKeyArn", "Layers", "LoggingConfig", "MemorySize", "PackageType",
        "RecursiveLoop", "ReservedConcurrentExecutions", "Role", "Runtime",
        "RuntimeManagementConfig", "SnapStartConfig", "Tags", "Timeout", "TracingConfig",
        "VpcConfig", "CapacityProviderConfig", "DurableConfig", "FunctionScalingConfig",
        "PublishToLatestPublished", "TenancyConfig",
    })
    not_modelled = {
        "CodeSigningConfigArn": "code signing is not modelled",
        "EphemeralStorage": "/tmp size is not modelled (handlers run in this process)",
        "FileSystemConfigs": "EFS mounts are not modelled",
        "ImageConfig": "container image functions are not modelled",
        "KmsKeyArn": "environment variable encryption is not modelled",
        "Layers": "layers are not modelled: put shared code in the function's folder",
        "LoggingConfig": "log configuration is not modelled (logs are not captured)",
        "RecursiveLoop": "recursive loop detection is not modelled",
        "RuntimeManagementConfig": "runtime updates are not modelled",
        "SnapStartConfig": "SnapStart is not modelled",
        "TracingConfig": "X-Ray tracing is not modelled",
        "VpcConfig": "VPC networking is not modelled",
        "CapacityProviderConfig": "capacity providers are not modelled",
        "DurableConfig": "durable functions are not modelled",
        "FunctionScalingConfig": "function scaling configuration is not modelled",
        "PublishToLatestPublished": "versions are not modelled (only $LATEST)",
        "TenancyConfig": "tenant isolation is not modelled",
    }
    required = ("Code", "Role")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("FunctionName") or ctx.name(64)
        if props.get("PackageType", "Zip") != "Zip":
            ctx.not_modelled("PackageType", "container image functions are not modelled")
            raise Skip("an Image function has no Python code on disk")
        code = props["Code"]
        folder = ctx.code_folder(code, ctx.metadata)
        inline = code.get("ZipFile") if isinstance(code.get("ZipFile"), str) else None
        if folder is None and inline is None:
            location = f"s3://{code.get('S3Bucket', '?')}/{code.get('S3Key', '?')}" if "S3Bucket" in code else str(code)
            ctx.not_modelled("Code", f"{location} is not a folder on disk (use a local CodeUri)")
            raise Skip("its code is not on disk")
        request: dict[str, Any] = {
            "FunctionName": name,
            "Role": props["Role"],
            "Code": {"ZipFile": inline_package(inline) if inline is not None else package(folder)},  # type: ignore[arg-type]
        }
        for key in ("Runtime", "Handler", "Description", "Timeout", "MemorySize", "Environment",
                    "DeadLetterConfig", "Architectures"):
            if key in props:
                request[key] = props[key]
        if props.get("Tags"):
            request["Tags"] = {t["Key"]: t["Value"] for t in props["Tags"]}
        lambda_client = ctx.client("lambda")
        configuration = lambda_client.create_function(**request)
        arn = configuration["FunctionArn"]
        built = self.built(ctx, name, name, Arn=arn)
        where = "inline code" if inline is not None else _readable(folder)
        built.wired_to.append(f"{props.get('Handler')} in {where}")
        variables = (props.get("Environment") or {}).get("Variables") or {}
        if variables:
            built.wired_to.append("env " + ", ".join(f"{k}={short_name(v)}" for k, v in variables.items()))
        if "DeadLetterConfig" in props and props["DeadLetterConfig"].get("TargetArn"):
            built.wired_to.append(f"async dead letters -> {short_name(props['DeadLetterConfig']['TargetArn'])}")
        if "ReservedConcurrentExecutions" in props:
            lambda_client.put_function_concurrency(
                FunctionName=name, ReservedConcurrentExecutions=int(props["ReservedConcurrentExecutions"])
            )
            built.wired_to.append(f"reserved concurrency {props['ReservedConcurrentExecutions']}")
        built.undo.append(("lambda", "delete_function", {"FunctionName": name}))
        return built


class EventSourceMapping(ResourceType):
    type_name = "AWS::Lambda::EventSourceMapping"
    documented = frozenset({
        "AmazonManagedKafkaEventSourceConfig", "BatchSize", "BisectBatchOnFunctionError",
        "DestinationConfig", "DocumentDBEventSourceConfig", "Enabled", "EventSourceArn",
        "FilterCriteria", "FunctionName", "FunctionResponseTypes", "KmsKeyArn",
        "LoggingConfig", "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds",
        "MaximumRetryAttempts", "MetricsConfig", "ParallelizationFactor",
        "ProvisionedPollerConfig", "Queues", "ScalingConfig", "SelfManagedEventSource",
        "SelfManagedKafkaEventSourceConfig", "SourceAccessConfigurations", "StartingPosition",
        "StartingPositionTimestamp", "Tags", "Topics", "TumblingWindowInSeconds",
    })
    not_modelled = {
        key: reason
        for reason, keys in {
            "Kafka, MQ and DocumentDB sources are not modelled": (
                "AmazonManagedKafkaEventSourceConfig", "DocumentDBEventSourceConfig", "Queues",
                "SelfManagedEventSource", "SelfManagedKafkaEventSourceConfig",
                "SourceAccessConfigurations", "Topics",
            ),
            "not modelled by eventproof's fake pollers": (
                "KmsKeyArn", "LoggingConfig", "MetricsConfig", "ParallelizationFactor",
                "ProvisionedPollerConfig", "ScalingConfig", "StartingPositionTimestamp",
                "TumblingWindowInSeconds",
            ),
            "tags on mappings are not modelled": ("Tags",),
        }.items()
        for key in keys
    }
    required = ("FunctionName",)
    _PASSED = ("BatchSize", "BisectBatchOnFunctionError", "DestinationConfig", "Enabled",
               "EventSourceArn", "FilterCriteria", "FunctionResponseTypes",
               "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds",
               "MaximumRetryAttempts", "StartingPosition")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        request = {key: props[key] for key in self._PASSED if key in props}
        request["FunctionName"] = props["FunctionName"]
        for key in ("BatchSize", "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds", "MaximumRetryAttempts"):
            if key in request:
                request[key] = int(request[key])
        lambda_client = ctx.client("lambda")
        try:
            uuid = lambda_client.create_event_source_mapping(**request)["UUID"]
        except ClientError as error:
            if "Unsupported event source" in str(error):
                ctx.not_modelled("EventSourceArn", f"the target's Lambda does not poll {props.get('EventSourceArn')}")
                raise Skip("its event source is not modelled") from None
            raise
        built = self.built(ctx, uuid, uuid, Id=uuid)
        extras = [k for k in ("FilterCriteria", "FunctionResponseTypes", "BisectBatchOnFunctionError", "DestinationConfig") if k in props]
        built.wired_to.append(
            f"{short_name(props.get('EventSourceArn', '?'))} -> {short_name(props['FunctionName'])}"
            + (f" (batch {props['BatchSize']})" if "BatchSize" in props else "")
            + (f" [{', '.join(extras)}]" if extras else "")
        )
        built.undo.append(("lambda", "delete_event_source_mapping", {"UUID": uuid}))
        return built


class EventInvokeConfig(ResourceType):
    type_name = "AWS::Lambda::EventInvokeConfig"
    documented = frozenset({"DestinationConfig", "FunctionName", "MaximumEventAgeInSeconds", "MaximumRetryAttempts", "Qualifier"})
    required = ("FunctionName", "Qualifier")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        if props["Qualifier"] != "$LATEST":
            ctx.not_modelled("Qualifier", f"only $LATEST is modelled, not {props['Qualifier']}")
            raise Skip("versions and aliases are not modelled")
        request: dict[str, Any] = {"FunctionName": props["FunctionName"]}
        for key in ("MaximumEventAgeInSeconds", "MaximumRetryAttempts"):
            if key in props:
                request[key] = int(props[key])
        if "DestinationConfig" in props:
            request["DestinationConfig"] = props["DestinationConfig"]
        ctx.client("lambda").put_function_event_invoke_config(**request)
        physical = f"{props['FunctionName']}|$LATEST"
        built = self.built(ctx, physical, physical)
        destinations = props.get("DestinationConfig") or {}
        for outcome in ("OnSuccess", "OnFailure"):
            target = (destinations.get(outcome) or {}).get("Destination")
            if target:
                built.wired_to.append(f"{outcome} -> {short_name(target)}")
        if "MaximumRetryAttempts" in props:
            built.wired_to.append(f"{props['MaximumRetryAttempts']} async retries")
        built.undo.append(("lambda", "delete_function_event_invoke_config", {"FunctionName": props["FunctionName"]}))
        return built


class Permission(ResourceType):
    type_name = "AWS::Lambda::Permission"
    documented = frozenset({
        "Action", "EventSourceToken", "FunctionName", "FunctionUrlAuthType", "InvokedViaFunctionUrl",
        "Principal", "PrincipalOrgID", "SourceAccount", "SourceArn",
    })
    required = ("Action", "FunctionName", "Principal")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        statement = ctx.name(100)
        request = {k: v for k, v in props.items() if k not in ("InvokedViaFunctionUrl",)}
        note = "accepted"
        try:
            ctx.client("lambda").add_permission(StatementId=statement, **request)
        except ClientError as error:
            # The fakes do not enforce resource policies and do not answer AddPermission.
            if error.response["Error"]["Code"] not in ("InvalidAction", "UnsupportedService"):
                raise
            note = "accepted, not enforced"
        built = self.built(ctx, statement, statement)
        built.wired_to.append(
            f"{props['Principal']} may invoke {short_name(props['FunctionName'])} ({note})"
        )
        return built



def _readable(folder: Path | None) -> str:
    relative = os.path.relpath(folder or ".")
    return relative if not relative.startswith("..") else str(folder)


def inline_package(source: str) -> bytes:
    """CloudFormation's inline ``Code.ZipFile`` for Python: one file, ``index.py``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("index.py", (1980, 1, 1, 0, 0, 0)), source)
    return buffer.getvalue()
