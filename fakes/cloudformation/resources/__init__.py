"""The resource types eventproof's CloudFormation provisions, by CloudFormation type name."""

from __future__ import annotations

from eventproof_fakes.cloudformation.resources.base import (
    Built,
    ResourceContext,
    ResourceType,
    Skip,
)
from eventproof_fakes.cloudformation.resources.configuration import EmailIdentity, Parameter, Secret
from eventproof_fakes.cloudformation.resources.dynamodb import Table
from eventproof_fakes.cloudformation.resources.events import EventBus, Pipe, Rule
from eventproof_fakes.cloudformation.resources.iam import ManagedPolicy, Policy, Role
from eventproof_fakes.cloudformation.resources.lambda_ import (
    EventInvokeConfig,
    EventSourceMapping,
    Function,
    Permission,
)
from eventproof_fakes.cloudformation.resources.messaging import (
    Queue,
    QueuePolicy,
    Subscription,
    Topic,
    TopicPolicy,
)
from eventproof_fakes.cloudformation.resources.optional import (
    Bucket,
    HttpApi,
    HttpApiStage,
    RestApi,
    RestApiDeployment,
    RestApiStage,
    Schedule,
    Stream,
)

__all__ = [
    "RESOURCE_TYPES",
    "Bucket",
    "Built",
    "EmailIdentity",
    "EventBus",
    "EventInvokeConfig",
    "EventSourceMapping",
    "Function",
    "HttpApi",
    "HttpApiStage",
    "ManagedPolicy",
    "Parameter",
    "Permission",
    "Pipe",
    "Policy",
    "Queue",
    "QueuePolicy",
    "ResourceContext",
    "ResourceType",
    "RestApi",
    "RestApiDeployment",
    "RestApiStage",
    "Role",
    "Rule",
    "Schedule",
    "Secret",
    "Skip",
    "Stream",
    "Subscription",
    "Table",
    "Topic",
    "TopicPolicy",
]

RESOURCE_TYPES: dict[str, ResourceType] = {
    kind.type_name: kind()
    for kind in (
        Queue, QueuePolicy, Topic, Subscription, TopicPolicy, Table, Function,
        EventSourceMapping, EventInvokeConfig, Permission, EventBus, Rule, Pipe, Role, Policy,
        ManagedPolicy, Stream, Bucket, Schedule, RestApi, RestApiDeployment, RestApiStage, HttpApi,
        HttpApiStage, Parameter, Secret, EmailIdentity,
    )
}
