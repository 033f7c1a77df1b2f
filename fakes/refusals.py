"""Refused request parameters declared outside their operation's ``@operation`` mark.

The preferred place for a refusal is the mark itself
(``@operation(refuses=("Param",))``). This table holds the refusals of
packages whose owner has not yet moved them onto their marks; dispatch and
the coverage table (``eventproof_fakes.coverage``) read both. Keys are botocore service
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

_PIPE_UNMODELLED = (
    "SourceParameters.KinesisStreamParameters",
    "SourceParameters.DynamoDBStreamParameters.OnPartialBatchItemFailure",
    "SourceParameters.DynamoDBStreamParameters.MaximumRecordAgeInSeconds",
    "SourceParameters.DynamoDBStreamParameters.ParallelizationFactor",
    "SourceParameters.ActiveMQBrokerParameters",
    "SourceParameters.RabbitMQBrokerParameters",
    "SourceParameters.ManagedStreamingKafkaParameters",
    "SourceParameters.SelfManagedKafkaParameters",
    "EnrichmentParameters.HttpParameters",
    "TargetParameters.StepFunctionStateMachineParameters",
    "TargetParameters.KinesisStreamParameters",
    "TargetParameters.EcsTaskParameters",
    "TargetParameters.BatchJobParameters",
    "TargetParameters.HttpParameters",
    "TargetParameters.RedshiftDataParameters",
    "TargetParameters.SageMakerPipelineParameters",
    "TargetParameters.EventBridgeEventBusParameters.EndpointId",
    "TargetParameters.CloudWatchLogsParameters",
    "TargetParameters.TimestreamParameters",
    "LogConfiguration.S3LogDestination",
    "LogConfiguration.FirehoseLogDestination",
    "LogConfiguration.CloudwatchLogsLogDestination",
    "LogConfiguration.Level",
    "LogConfiguration.IncludeExecutionData",
)
_GSI_CAPACITY = ("OnDemandThroughput", "WarmThroughput")

REFUSALS: dict[str, dict[str, tuple[str, ...]]] = {
    # Nested members (by path) the fakes do not read, found when the coverage table first
    # walked nested structures: refused rather than dropped.
    "dynamodb": {
        "CreateTable": tuple(f"GlobalSecondaryIndexes[].{name}" for name in _GSI_CAPACITY),
        "UpdateTable": tuple(
            f"GlobalSecondaryIndexUpdates[].{action}.{name}"
            for action in ("Create", "Update")
            for name in _GSI_CAPACITY
        ),
    },
    "events": {
        "PutEvents": ("Entries[].TraceHeader",),
        "PutTargets": tuple(
            f"Targets[].{kind}Parameters"
            for kind in ("Kinesis", "RunCommand", "Ecs", "Batch", "RedshiftData",
                         "SageMakerPipeline", "AppSync")
        ),
        "CreateConnection": ("AuthParameters.ConnectivityParameters",),
        "UpdateConnection": ("AuthParameters.ConnectivityParameters",),
    },
    "pipes": {"CreatePipe": _PIPE_UNMODELLED, "UpdatePipe": _PIPE_UNMODELLED},
    "s3": {
        "PutBucketEncryption": ("ServerSideEncryptionConfiguration.Rules[].BlockedEncryptionTypes",),
    },
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
                        "RetainExceptOnCreate", "DeploymentConfig", "DisableValidation",
                        "Parameters[].UsePreviousValue", "Parameters[].ResolvedValue"),
        "UpdateStack": ("StackPolicyDuringUpdateBody", "StackPolicyDuringUpdateURL",
                        "ResourceTypes", "RollbackConfiguration", "DisableRollback",
                        "ClientRequestToken", "RetainExceptOnCreate", "DeploymentConfig",
                        "DisableValidation", "Parameters[].UsePreviousValue",
                        "Parameters[].ResolvedValue"),
        "DeleteStack": ("RetainResources", "ClientRequestToken", "DeletionMode",
                        "DeploymentConfig"),
        "DescribeStackResources": ("PhysicalResourceId",),
        "DescribeStacks": ("NextToken",),
        "ListExports": ("NextToken",),
        "ListStackResources": ("NextToken",),
        "GetTemplate": ("ChangeSetName", "TemplateStage"),
    },
    "logs": {"CreateLogGroup": ("deletionProtectionEnabled",)},
    "apigateway": {
        "ImportRestApi": ("failOnWarnings",),
        "PutRestApi": ("failOnWarnings",),
        "CreateRestApi": ("endpointConfiguration.ipAddressType", "endpointConfiguration.vpcEndpointIds"),
    },
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
_CHARSET = ("the text is kept as botocore hands it over; the charset would only name "
            "its encoding in the sent MIME message")
SIMPLIFIED: dict[str, dict[str, dict[str, str]]] = {
    "lambda": {
        "CreateFunction": {
            "Code": "handlers run in-process: Handler is imported, the package is not "
            "unpacked (fakes/lambda_/functions.py)",
        },
    },
    "secretsmanager": {
        "RotateSecret": {
            "RotationRules.Duration": "rotation starts at the beginning of its window "
            "(fakes/secretsmanager/rotation.py)",
        },
    },
    "ses": {"SendEmail": {f"Message.{part}.Charset": _CHARSET
                          for part in ("Subject", "Body.Text", "Body.Html")}},
    "sesv2": {"SendEmail": {f"Content.Simple.{part}.Charset": _CHARSET
                            for part in ("Subject", "Body.Text", "Body.Html")}},
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
# whole-request copy, which the coverage scan (``eventproof_fakes.coverage``) cannot see.
READ_GENERICALLY: dict[str, dict[str, dict[str, str]]] = {
    "s3": {
        **{
            operation: {name: "read by computed name (fakes/s3/checksums.py)" for name in _CHECKSUMS}
            for operation in ("PutObject", "UploadPart")
        },
        "CompleteMultipartUpload": {
            f"MultipartUpload.Parts[].{name}": "compared with the part's own checksum, by "
            "computed name (CHECKSUM_PARAMETERS in fakes/s3/multipart.py)"
            for name in _CHECKSUMS
        },
        "CreateBucket": {
            f"CreateBucketConfiguration.{name}": "any member but LocationConstraint is refused "
            "when given (fakes/s3/buckets.py)"
            for name in ("Location", "Bucket")
        },
        "DeleteObjects": {
            f"Delete.Objects[].{name}": "any member but Key and VersionId is refused when given "
            "(fakes/s3/objects.py)"
            for name in ("LastModifiedTime", "Size")
        },
        "PutBucketCors": {"CORSConfiguration.CORSRules": "stored whole and returned by "
                          "GetBucketCors (no browser requests reach the fake)"},
        "PutPublicAccessBlock": {"PublicAccessBlockConfiguration": "read by name (BLOCK_ALL in "
                                 "fakes/s3/bucket_config.py)"},
    },
    "scheduler": {
        **{
            operation: {
                "Description": "stored with the whole request and returned (_stored)",
                "Target.RoleArn": "stored with the whole target and returned (_stored); "
                "IAM is not enforced",
                **{f"Target.{kind}": "refused when given (REFUSED_TARGET_PARAMETERS in "
                   "fakes/scheduler/model.py)"
                   for kind in ("EcsParameters", "KinesisParameters", "SageMakerPipelineParameters",
                                "EventBridgePutRawEventsParameters")},
            }
            for operation in ("CreateSchedule", "UpdateSchedule")
        },
        **{operation: {"Tags": "stored whole and returned by ListTagsForResource"}
           for operation in ("CreateScheduleGroup", "TagResource")},
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
    "sts": {"AssumeRole": {
        name: "a non-empty value is refused when given (fakes/sts/backend.py)"
        for name in ("PolicyArns", "Tags")
    }},
    "sesv2": {"SendEmail": {
        f"Content.{kind}.Attachments": "refused when given (fakes/ses/v2.py)"
        for kind in ("Simple", "Template")
    }},
    "kinesis": {
        "DeleteStream": {"EnforceConsumerDeletion": "no consumers are modelled (backend.py)"},
        "PutRecord": {"SequenceNumberForOrdering": "sequence numbers already increase per shard"},
    },
    "logs": {
        "FilterLogEvents": {"interleaved": "deprecated; AWS always interleaves, as the fake does"},
        "PutLogEvents": {"sequenceToken": "AWS ignores it since January 2023, as the fake does"},
    },
}
