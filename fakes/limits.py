"""Every AWS limit the fakes enforce, in one place, each with its source.

Sizes are in bytes. "1 MB" payload limits are AWS's 1,048,576 bytes
(the January 2026 raise of SQS, EventBridge and asynchronous Lambda
payloads from 256 KB); SNS stays at 256 KB.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * 1024

# --- DynamoDB -------------------------------------------------------------
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
DYNAMODB_MAX_ITEM_SIZE = 400 * KIB
DYNAMODB_MAX_PARTITION_KEY_SIZE = 2048
DYNAMODB_MAX_SORT_KEY_SIZE = 1024
DYNAMODB_MAX_BATCH_WRITE_ITEMS = 25
DYNAMODB_MAX_BATCH_GET_ITEMS = 100
DYNAMODB_MAX_TRANSACT_ITEMS = 100  # raised from 25 in September 2022
DYNAMODB_MAX_QUERY_PAGE_SIZE = 1 * MIB
DYNAMODB_MAX_EXPRESSION_LENGTH = 4 * KIB
DYNAMODB_INDEX_BUILD_SECONDS = 60  # virtual time an online index build or delete takes
DYNAMODB_MAX_NESTING_DEPTH = 32  # levels of nested documents (the attribute itself is level 1)
DYNAMODB_INDEX_BUILD_SECONDS = 60  # virtual time an online index build or delete takes
DYNAMODB_MAX_NESTING_DEPTH = 32
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
DYNAMODB_STREAM_RETENTION_SECONDS = 24 * 60 * 60
DYNAMODB_STREAM_MAX_GET_RECORDS = 1000

# --- SQS ------------------------------------------------------------------
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
SQS_MAX_MESSAGE_SIZE = 1 * MIB  # raised from 256 KiB in January 2026
SQS_MIN_MESSAGE_SIZE_SETTING = 1 * KIB
SQS_DEFAULT_VISIBILITY_TIMEOUT = 30
SQS_MAX_VISIBILITY_TIMEOUT = 12 * 60 * 60
SQS_DEFAULT_RETENTION_SECONDS = 4 * 24 * 60 * 60
SQS_MIN_RETENTION_SECONDS = 60
SQS_MAX_RETENTION_SECONDS = 14 * 24 * 60 * 60
SQS_MAX_DELAY_SECONDS = 15 * 60
SQS_MAX_WAIT_TIME_SECONDS = 20
SQS_MAX_RECEIVE_MESSAGES = 10
SQS_MAX_BATCH_ENTRIES = 10
SQS_MAX_MESSAGE_ATTRIBUTES = 10
SQS_FIFO_DEDUPLICATION_INTERVAL = 5 * 60
SQS_MAX_RECEIVE_COUNT = 1000  # RedrivePolicy maxReceiveCount range 1..1000
SQS_MAX_LIST_QUEUES = 1000  # ListQueues without MaxResults answers at most 1,000 URLs
SQS_MAX_QUEUE_TAGS = 50

# --- SNS ------------------------------------------------------------------
# https://docs.aws.amazon.com/general/latest/gr/sns.html
SNS_MAX_MESSAGE_SIZE = 256 * KIB
SNS_MAX_PUBLISH_BATCH_ENTRIES = 10
SNS_MAX_MESSAGE_ATTRIBUTES = 10
SNS_LIST_PAGE_SIZE = 100  # ListTopics / ListSubscriptions(ByTopic) page size
# https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
SNS_MAX_FILTER_POLICY_SIZE = 256 * KIB
SNS_MAX_FILTER_POLICY_COMBINATIONS = 150
# https://docs.aws.amazon.com/sns/latest/dg/fifo-message-dedup.html
SNS_FIFO_DEDUPLICATION_INTERVAL = 5 * 60

# --- Lambda ---------------------------------------------------------------
# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
LAMBDA_MAX_SYNC_PAYLOAD = 6 * MIB
LAMBDA_MAX_ASYNC_PAYLOAD = 1 * MIB  # raised from 256 KB in January 2026
LAMBDA_MAX_TIMEOUT_SECONDS = 900
LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3
# https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
LAMBDA_ASYNC_DEFAULT_RETRIES = 2
LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS = 6 * 60 * 60
LAMBDA_ASYNC_MIN_EVENT_AGE_SECONDS = 60
LAMBDA_ASYNC_FIRST_RETRY_DELAY = 60
LAMBDA_ASYNC_SECOND_RETRY_DELAY = 120
# Throttled async events: backoff from 1 s, doubling, to at most 5 minutes.
LAMBDA_ASYNC_MAX_THROTTLE_BACKOFF = 5 * 60
# https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
LAMBDA_SQS_MAX_BATCH_SIZE = 10_000
LAMBDA_SQS_FIFO_MAX_BATCH_SIZE = 10
LAMBDA_SQS_MAX_BATCHING_WINDOW = 300
# https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
LAMBDA_STREAM_MAX_BATCH_SIZE = 10_000
LAMBDA_STREAM_MAX_RETRY_ATTEMPTS = 10_000
LAMBDA_STREAM_MAX_RECORD_AGE_SECONDS = 604_800
LAMBDA_STREAM_MAX_BATCHING_WINDOW = 300
LAMBDA_STREAM_MAX_PARALLELIZATION_FACTOR = 10
LAMBDA_STREAM_MAX_TUMBLING_WINDOW = 900

# --- Kinesis Data Streams ---------------------------------------------------
# https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
KINESIS_MAX_RECORD_SIZE = 1 * MIB  # data blob plus partition key (the default maximum)
KINESIS_MAX_PARTITION_KEY_LENGTH = 256
KINESIS_MAX_PUT_RECORDS_ENTRIES = 500
KINESIS_MAX_PUT_RECORDS_SIZE = 5 * MIB
KINESIS_MAX_GET_RECORDS = 10_000
KINESIS_DEFAULT_RETENTION_HOURS = 24
KINESIS_MAX_RETENTION_HOURS = 8760
KINESIS_ON_DEMAND_SHARDS = 4  # an on-demand stream starts with 4 shards
KINESIS_MAX_SHARDS_PER_ACCOUNT = 500  # default shard quota in us-east-1, us-west-2, eu-west-1
KINESIS_ITERATOR_LIFETIME_SECONDS = 5 * 60

# --- EventBridge ----------------------------------------------------------
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
EVENTBRIDGE_MAX_EVENT_SIZE = 1 * MIB  # raised from 256 KB in January 2026
EVENTBRIDGE_MAX_PUT_EVENTS_ENTRIES = 10
EVENTBRIDGE_MAX_TARGETS_PER_RULE = 5
EVENTBRIDGE_MAX_PATTERN_SIZE = 4096  # characters, per the PutRule API reference
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
EVENTBRIDGE_DEFAULT_RETRY_ATTEMPTS = 185
EVENTBRIDGE_DEFAULT_MAX_EVENT_AGE = 24 * 60 * 60

# --- EventBridge Pipes ----------------------------------------------------
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-sqs.html ("polls up to 10")
PIPES_DEFAULT_SQS_BATCH_SIZE = 10
# Not documented for pipes; Lambda's DynamoDB Streams default (with-ddb.html)
PIPES_DEFAULT_STREAM_BATCH_SIZE = 100
PIPES_MAX_FILTERS = 5  # FilterCriteria.Filters, Pipes API reference
PIPES_MAX_INPUT_TEMPLATE_LENGTH = 8192  # PipeTargetParameters.InputTemplate
