"""SQS queues and queue policies, SNS topics, subscriptions and topic policies."""

from __future__ import annotations

from typing import Any

from eventproof_fakes.cloudformation.resources.base import (
    Built,
    ResourceContext,
    ResourceType,
    json_text,
    short_name,
    tags_dict,
    text,
)

__all__ = ["Queue", "QueuePolicy", "Subscription", "Topic", "TopicPolicy"]

_ENCRYPTION = "stored by the target as given; encryption is not modelled by eventproof's fakes"


class Queue(ResourceType):
    type_name = "AWS::SQS::Queue"
    documented = frozenset({
        "QueueName", "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
        "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy",
        "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
        "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "Tags",
    })
    _ATTRIBUTES = documented - {"QueueName", "Tags"}

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        fifo = str(props.get("FifoQueue", "false")).lower() == "true"
        name = props.get("QueueName") or ctx.name(80, ".fifo" if fifo else "")
        attributes = {
            key: (json_text(value) if key.endswith("Policy") else text(value))
            for key, value in props.items()
            if key in self._ATTRIBUTES
        }
        request: dict[str, Any] = {"QueueName": name, "Attributes": attributes}
        if props.get("Tags"):
            request["tags"] = tags_dict(props["Tags"])
        sqs = ctx.client("sqs")
        url = sqs.create_queue(**request)["QueueUrl"]
        # The URL ends in /<account>/<name>, and the ARN is built from the same two parts.
        account, queue_name = url.rstrip("/").split("/")[-2:]
        arn = ctx.arn("sqs", queue_name).replace(f":{ctx.account_id}:", f":{account}:")
        built = self.built(ctx, url, url, Arn=arn, QueueName=name, QueueUrl=url)
        if "RedrivePolicy" in props:
            import json

            policy = json.loads(attributes["RedrivePolicy"])
            built.wired_to.append(
                f"dead letters -> {policy.get('deadLetterTargetArn', '?').rsplit(':', 1)[-1]} "
                f"after {policy.get('maxReceiveCount', '?')} receives"
            )
        built.undo.append(("sqs", "delete_queue", {"QueueUrl": url}))
        return built


class QueuePolicy(ResourceType):
    type_name = "AWS::SQS::QueuePolicy"
    documented = frozenset({"PolicyDocument", "Queues"})
    required = ("PolicyDocument", "Queues")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        # Stored on each queue as its Policy attribute; the fakes do not enforce policies.
        sqs = ctx.client("sqs")
        for url in props["Queues"]:
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json_text(props["PolicyDocument"])})
        physical = ctx.name(128)
        built = self.built(ctx, physical, physical, Id=physical)
        built.wired_to = [f"policy on {url.rsplit('/', 1)[-1]} (stored, not enforced)" for url in props["Queues"]]
        return built


class Topic(ResourceType):
    type_name = "AWS::SNS::Topic"
    documented = frozenset({
        "TopicName", "DisplayName", "FifoTopic", "ContentBasedDeduplication", "KmsMasterKeyId",
        "Subscription", "Tags", "TracingConfig", "SignatureVersion", "ArchivePolicy",
        "DataProtectionPolicy", "DeliveryStatusLogging", "FifoThroughputScope",
    })
    not_modelled = {
        "DataProtectionPolicy": "message data protection is not modelled",
        "DeliveryStatusLogging": "delivery status logging is not modelled",
    }
    _ATTRIBUTES = ("DisplayName", "FifoTopic", "ContentBasedDeduplication", "KmsMasterKeyId",
                   "TracingConfig", "SignatureVersion", "FifoThroughputScope")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        fifo = str(props.get("FifoTopic", "false")).lower() == "true"
        name = props.get("TopicName") or ctx.name(256, ".fifo" if fifo else "")
        attributes = {key: text(props[key]) for key in self._ATTRIBUTES if key in props}
        if "ArchivePolicy" in props:
            attributes["ArchivePolicy"] = json_text(props["ArchivePolicy"])
        request: dict[str, Any] = {"Name": name}
        if attributes:
            request["Attributes"] = attributes
        if props.get("Tags"):
            request["Tags"] = [{"Key": k, "Value": v} for k, v in tags_dict(props["Tags"]).items()]
        sns = ctx.client("sns")
        arn = sns.create_topic(**request)["TopicArn"]
        built = self.built(ctx, arn, arn, TopicArn=arn, TopicName=name)
        for subscription in props.get("Subscription") or []:
            sub_arn = sns.subscribe(
                TopicArn=arn, Protocol=subscription["Protocol"], Endpoint=subscription["Endpoint"],
                ReturnSubscriptionArn=True,
            )["SubscriptionArn"]
            built.wired_to.append(f"-> {subscription['Protocol']} {short_name(subscription['Endpoint'])}")
            built.undo.append(("sns", "unsubscribe", {"SubscriptionArn": sub_arn}))
        built.undo.append(("sns", "delete_topic", {"TopicArn": arn}))
        return built


class Subscription(ResourceType):
    type_name = "AWS::SNS::Subscription"
    documented = frozenset({
        "TopicArn", "Protocol", "Endpoint", "FilterPolicy", "FilterPolicyScope",
        "RawMessageDelivery", "RedrivePolicy", "DeliveryPolicy", "Region", "SubscriptionRoleArn",
        "ReplayPolicy",
    })
    not_modelled = {
        "DeliveryPolicy": "HTTP delivery policies are not modelled",
        "Region": "cross-region subscriptions are not modelled (one region per FakeAWS)",
        "SubscriptionRoleArn": "Firehose subscriptions are not modelled",
        "ReplayPolicy": "message archiving and replay are not modelled",
    }
    required = ("TopicArn", "Protocol")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        attributes: dict[str, str] = {}
        for key in ("FilterPolicy", "RedrivePolicy"):
            if key in props:
                attributes[key] = json_text(props[key])
        for key in ("FilterPolicyScope", "RawMessageDelivery"):
            if key in props:
                attributes[key] = text(props[key])
        request: dict[str, Any] = {
            "TopicArn": props["TopicArn"], "Protocol": props["Protocol"], "ReturnSubscriptionArn": True,
        }
        if "Endpoint" in props:
            request["Endpoint"] = props["Endpoint"]
        if attributes:
            request["Attributes"] = attributes
        arn = ctx.client("sns").subscribe(**request)["SubscriptionArn"]
        built = self.built(ctx, arn, arn, Arn=arn)
        extras = [k for k in ("FilterPolicy", "RawMessageDelivery") if k in props]
        built.wired_to.append(
            f"{short_name(props['TopicArn'])} -> {props['Protocol']} {short_name(props.get('Endpoint', ''))}"
            + (f" ({', '.join(extras)})" if extras else "")
        )
        built.undo.append(("sns", "unsubscribe", {"SubscriptionArn": arn}))
        return built


class TopicPolicy(ResourceType):
    type_name = "AWS::SNS::TopicPolicy"
    documented = frozenset({"PolicyDocument", "Topics"})
    required = ("PolicyDocument", "Topics")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        sns = ctx.client("sns")
        for arn in props["Topics"]:
            sns.set_topic_attributes(
                TopicArn=arn, AttributeName="Policy", AttributeValue=json_text(props["PolicyDocument"])
            )
        physical = ctx.name(128)
        built = self.built(ctx, physical, physical, Id=physical)
        built.wired_to = [f"policy on {short_name(arn)} (stored, not enforced)" for arn in props["Topics"]]
        return built
