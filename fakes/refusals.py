"""Refused request parameters declared outside their operation's ``@operation`` mark.

The preferred place for a refusal is the mark itself
(``@operation(refuses=("Param",))``). This table holds the refusals of
packages whose owner has not yet moved them onto their marks; dispatch and
the coverage table (``fakes.coverage``) read both. Keys are botocore service
and operation names.
"""

from __future__ import annotations

__all__ = ["READ_GENERICALLY", "REFUSALS", "SIMPLIFIED"]

_ESM_UNMODELLED = (
    "LoggingConfig",
    "KMSKeyArn",
    "MetricsConfig",
    "ScalingConfig",
    "SourceAccessConfigurations",
    "AmazonManagedKafkaEventSourceConfig",
    "SelfManagedKafkaEventSourceConfig",
    "DocumentDBEventSourceConfig",
    "ProvisionedPollerConfig",
)
_FUNCTION_UNMODELLED = (
    "Description",
    "TracingConfig",
    "EphemeralStorage",
    "LoggingConfig",
    "VpcConfig",
    "KMSKeyArn",
    "Layers",
    "FileSystemConfigs",
    "ImageConfig",
    "SnapStart",
    "CapacityProviderConfig",
    "DurableConfig",
    "RuntimeConfig",
    "AcceleratorConfig",
)

REFUSALS: dict[str, dict[str, tuple[str, ...]]] = {
    # Not read by the STS and SES fakes on main when the coverage table first ran:
    # refused rather than dropped (their owners may model them instead).
    "sts": {
        "AssumeRole": ("TransitiveTagKeys", "ExternalId", "MinimumSessionTokenSize"),
        "GetSessionToken": ("MinimumSessionTokenSize",),
    },
    "sesv2": {"SendEmail": ("FeedbackForwardingEmailAddress",)},
    # Stacks are created at once and answered in one page; rollback, termination and
    # deployment settings, stack policies and change sets are not modelled.
    "cloudformation": {
        "CreateStack": ("DisableRollback", "RollbackConfiguration", "TimeoutInMinutes",
                        "ResourceTypes", "ClientRequestToken", "EnableTerminationProtection",
                        "RetainExceptOnCreate", "DeploymentConfig", "DisableValidation"),
        "UpdateStack": ("StackPolicyDuringUpdateBody", "StackPolicyDuringUpdateURL",
                        "ResourceTypes", "RollbackConfiguration", "DisableRollback",
                        "ClientRequestToken", "RetainExceptOnCreate", "DeploymentConfig",
                        "DisableValidation"),
        "DeleteStack": ("RetainResources", "ClientRequestToken", "DeletionMode",
                        "DeploymentConfig"),
        "DescribeStackResources": ("PhysicalResourceId",),
        "DescribeStacks": ("NextToken",),
        "ListExports": ("NextToken",),
        "ListStackResources": ("NextToken",),
        "GetTemplate": ("ChangeSetName", "TemplateStage"),
    },
    "logs": {"CreateLogGroup": ("deletionProtectionEnabled",)},
    "apigateway": {"ImportRestApi": ("failOnWarnings",), "PutRestApi": ("failOnWarnings",)},
    "apigatewayv2": {"ImportApi": ("FailOnWarnings",), "ReimportApi": ("FailOnWarnings",)},
    "lambda": {
        "CreateEventSourceMapping": (
            *_ESM_UNMODELLED,
            "Topics",
            "Queues",
            "SelfManagedEventSource",
        ),
        "UpdateEventSourceMapping": _ESM_UNMODELLED,
        "CreateFunction": (
            *_FUNCTION_UNMODELLED,
            "PublishTo",
            "CodeSigningConfigArn",
            "TenancyConfig",
        ),
        "UpdateFunctionConfiguration": _FUNCTION_UNMODELLED,
        "UpdateFunctionCode": ("S3ObjectStorageMode", "PublishTo", "DryRun"),
        "Invoke": ("ClientContext", "DurableExecutionName", "TenantId"),
        "ListEventSourceMappings": ("Marker", "MaxItems"),
        "ListFunctionEventInvokeConfigs": ("Marker", "MaxItems"),
        "ListFunctions": ("MasterRegion", "FunctionVersion", "Marker", "MaxItems"),
    },
}


# Parameters a fake accepts without modelling them, as its class docstring says,
# because refusing them would refuse every call (they are required). Each names why.
SIMPLIFIED: dict[str, dict[str, dict[str, str]]] = {
    "lambda": {
        "CreateFunction": {
            "Code": "handlers run in-process: Handler is imported, the package is not "
            "unpacked (fakes/lambda_/functions.py)",
        },
    },
}


_CHECKSUMS = tuple(
    f"Checksum{name}"
    for name in (
        "CRC32",
        "CRC32C",
        "CRC64NVME",
        "SHA1",
        "SHA256",
        "SHA512",
        "MD5",
        "XXHASH64",
        "XXHASH3",
        "XXHASH128",
    )
)

# Parameters a fake does handle, but reads under a computed name or as part of a
# whole-request copy, which the coverage scan (``fakes.coverage``) cannot see.
READ_GENERICALLY: dict[str, dict[str, dict[str, str]]] = {
    "s3": {
        operation: {name: "read by computed name (fakes/s3/checksums.py)" for name in _CHECKSUMS}
        for operation in ("PutObject", "UploadPart")
    },
    "scheduler": {
        operation: {"Description": "stored with the whole request and returned (_stored)"}
        for operation in ("CreateSchedule", "UpdateSchedule")
    },
    "apigateway": {
        **{
            operation: {"resourceId": "read through the key argument of _resource"}
            for operation in (
                "DeleteMethod",
                "DeleteResource",
                "GetIntegration",
                "GetMethod",
                "GetResource",
                "PutIntegration",
                "PutIntegrationResponse",
                "PutMethod",
                "PutMethodResponse",
            )
        },
        "CreateResource": {"parentId": "read through the key argument of _resource"},
    },
    "kinesis": {
        "DeleteStream": {"EnforceConsumerDeletion": "no consumers are modelled (backend.py)"},
        "PutRecord": {"SequenceNumberForOrdering": "sequence numbers already increase per shard"},
    },
    "logs": {
        "FilterLogEvents": {"interleaved": "deprecated; AWS always interleaves, as the fake does"},
        "PutLogEvents": {"sequenceToken": "AWS ignores it since January 2023, as the fake does"},
    },
}
