"""Refused request parameters declared outside their operation's ``@operation`` mark.

The preferred place for a refusal is the mark itself
(``@operation(refuses=("Param",))``). This table holds the refusals of
packages whose owner has not yet moved them onto their marks; dispatch and
the coverage table (``fakes.coverage``) read both. Keys are botocore service
and operation names.
"""

from __future__ import annotations

__all__ = ["REFUSALS", "SIMPLIFIED"]

_ESM_UNMODELLED = (
    "LoggingConfig",
    "KMSKeyArn",
    "MetricsConfig",
    "ScalingConfig",
    "ParallelizationFactor",
    "TumblingWindowInSeconds",
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
    "lambda": {
        "CreateEventSourceMapping": (
            *_ESM_UNMODELLED,
            "StartingPositionTimestamp",
            "Tags",
            "Topics",
            "Queues",
            "SelfManagedEventSource",
        ),
        "UpdateEventSourceMapping": _ESM_UNMODELLED,
        "CreateFunction": (
            *_FUNCTION_UNMODELLED,
            "Publish",
            "PublishTo",
            "PackageType",
            "Architectures",
            "Tags",
            "CodeSigningConfigArn",
            "TenancyConfig",
        ),
        "UpdateFunctionConfiguration": (*_FUNCTION_UNMODELLED, "RevisionId"),
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
