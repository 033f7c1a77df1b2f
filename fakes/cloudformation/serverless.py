"""A Serverless Framework service (``serverless.yml``) read as the SAM template it deploys.

The Serverless Framework turns ``functions`` (handler, environment, events)
and ``resources`` into one CloudFormation stack; here the same service
becomes a SAM template for the CloudFormation fake, so it runs with no
provisioning code. Read:

- variables ``${self:a.b}``, ``${opt:stage}``/``${sls:stage}``, ``${opt:region}``/``${aws:region}``,
  ``${env:NAME}`` (the caller's environment), each with a ``, default``, nested
  ones inside out; any other source (``ssm``, ``file``, ``cf``, ``s3``...) is an error
  naming its place;
- ``service``, ``provider`` (runtime, stage, region, environment, timeout,
  memorySize; ``iam`` accepted and not enforced, as IAM is on the fakes),
  ``custom`` (for variables), ``package`` (the functions run from the
  service folder);
- ``functions``: ``handler`` (``src/app.handler`` runs ``src.app.handler``
  from the service folder, as Lambda's Python runtime does), ``name``
  (default ``<service>-<stage>-<function>``), ``environment``, ``timeout``,
  ``memorySize``, ``reservedConcurrency`` and events ``sqs``, ``sns``,
  ``eventBridge``, ``stream`` (DynamoDB and Kinesis), ``http``, ``httpApi``,
  ``schedule``;
- ``resources``: its ``Resources``, ``Conditions`` and ``Outputs``.

Anything else (a plugin, an unknown key or event type, an event property
not listed here) is a ``TemplateError`` naming ``serverless.yml:line``:
nothing is dropped silently.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from eventproof_fakes.cloudformation.errors import TemplateError
from eventproof_fakes.cloudformation.yaml_loader import Node, line_of, load_template_text

__all__ = ["is_serverless_file", "serverless_template"]

_VARIABLE = re.compile(r"\$\{([^${}]+)\}")
_TOP = {"service", "frameworkVersion", "provider", "custom", "package", "functions", "resources",
        "useDotenv", "variablesResolutionMode", "configValidationMode"}
_PROVIDER = {"name", "runtime", "stage", "region", "environment", "timeout", "memorySize", "iam",
             "iamRoleStatements", "architecture", "deploymentBucket", "logRetentionInDays", "tags",
             "stackTags", "versionFunctions", "httpApi", "apiGateway", "eventBridge", "tracing"}
_FUNCTION = {"handler", "name", "description", "environment", "timeout", "memorySize",
             "reservedConcurrency", "events", "runtime", "tags", "package", "iamRoleStatements"}
_EVENTS: dict[str, set[str]] = {
    "sqs": {"arn", "batchSize", "maximumBatchingWindow", "functionResponseType", "filterPatterns",
            "enabled", "maximumConcurrency"},
    "sns": {"arn", "topicName", "filterPolicy", "filterPolicyScope"},
    "eventBridge": {"eventBus", "pattern", "input", "inputPath", "inputTransformer", "schedule",
                    "enabled", "retryPolicy", "deadLetterQueueArn", "name"},
    "stream": {"type", "arn", "batchSize", "startingPosition", "maximumRetryAttempts",
               "bisectBatchOnFunctionError", "filterPatterns", "enabled", "maximumBatchingWindow",
               "parallelizationFactor", "functionResponseType", "destinations"},
    "http": {"path", "method", "cors", "private", "integration"},
    "httpApi": {"path", "method"},
    "schedule": {"rate", "enabled", "input", "name", "description"},
}


def is_serverless_file(path: Path) -> bool:
    return path.name.startswith("serverless") and path.suffix in (".yml", ".yaml")


def serverless_template(path: Path, options: dict[str, Any] | None = None) -> tuple[str, str]:
    """The SAM template (JSON text) the service in ``path`` deploys, and its stack's name.

    ``options`` are the Serverless CLI's (``stage``, ``region``); the stack is
    ``<service>-<stage>``, as Serverless names it.
    """
    source = str(path)
    document = load_template_text(path.read_text(), source)
    service = _Service(document, source, dict(options or {}))
    template = service.template()
    return json.dumps(template), f"{service.doc['service']}-{service.stage}"


class _Service:
    def __init__(self, raw: Any, source: str, options: dict[str, Any]) -> None:
        self.raw, self.source, self.options = raw, source, options
        for key in raw:
            if key not in _TOP:
                hint = " (plugins change the stack; eventproof does not run them)" if key == "plugins" else ""
                raise self.error(raw, key, f"{key!r} is not modelled{hint}")
        self.doc = self.resolve(raw, raw, "")
        provider = self.doc.get("provider") or {}
        self.check_keys(provider, _PROVIDER, "provider")
        self.stage = str(self.options.get("stage") or provider.get("stage") or "dev")
        if provider.get("name", "aws") != "aws":
            raise self.error(self.doc, "provider", f"provider {provider.get('name')!r}: only aws is modelled")

    def error(self, mapping: Any, key: str | None, message: str) -> TemplateError:
        return TemplateError(self.source, line_of(mapping, key), message)

    def check_keys(self, mapping: Any, known: set[str], where: str) -> None:
        if not isinstance(mapping, dict):
            raise self.error(mapping, None, f"{where} must be a mapping")
        for key in mapping:
            if key not in known:
                raise self.error(mapping, key, f"{where}.{key} is not modelled "
                                               f"(understood: {', '.join(sorted(known))})")

    # --- variables ------------------------------------------------------------------
    def resolve(self, value: Any, parent: Any, key: str, depth: int = 0) -> Any:
        if isinstance(value, dict):
            resolved = Node()  # keeps the lines, for errors found after resolving
            if isinstance(value, Node):
                resolved.lines, resolved.line = dict(value.lines), value.line
            for name, item in value.items():
                resolved[name] = self.resolve(item, value, name, depth)
            return resolved
        if isinstance(value, list):
            return [self.resolve(item, parent, key, depth) for item in value]
        if not isinstance(value, str) or "${" not in value:
            return value
        if depth > 20:
            raise self.error(parent, key, f"variables refer to each other without end in {value!r}")
        while match := _VARIABLE.search(value):
            found = self.variable(match.group(1), parent, key, depth)
            if match.span() == (0, len(value)):
                return found  # the whole value: keep its type (a number, a mapping)
            value = value[:match.start()] + str(found) + value[match.end():]
        return value

    def variable(self, text: str, parent: Any, key: str, depth: int) -> Any:
        reference, _, default = (part.strip() for part in text.partition(","))
        kind, _, name = reference.partition(":")
        found: Any = None
        if kind == "self":
            found = self.raw
            for part in filter(None, name.split(".")):
                found = found.get(part) if isinstance(found, dict) else None
            found = self.resolve(found, parent, key, depth + 1)
        elif reference in ("opt:stage", "sls:stage"):
            found = self.options.get("stage")
            if found is None and reference == "sls:stage":
                found = self.resolve((self.raw.get("provider") or {}).get("stage"), parent, key, depth + 1)
            found = found if found is not None or default else "dev"
        elif reference in ("opt:region", "aws:region"):
            found = self.options.get("region") or ("us-east-1" if not default else None)
        elif kind == "env":
            found = os.environ.get(name)
        else:
            raise self.error(parent, key, f"variable ${{{text}}}: the source {kind!r} is not modelled "
                                          "(self, opt, sls, aws:region and env are)")
        if found is None and default:
            found = default.strip("'\"") if default[:1] in "'\"" else self.variable(default, parent, key, depth)
        if found is None:
            raise self.error(parent, key, f"variable ${{{text}}} has no value")
        return found

    # --- the template ---------------------------------------------------------------
    def template(self) -> dict[str, Any]:
        doc, provider = self.doc, self.doc.get("provider") or {}
        service = doc.get("service")
        if not isinstance(service, str) or not service:
            raise self.error(doc, "service", "expected the service's name")
        stage = self.stage
        resources = doc.get("resources") or {}
        self.check_keys(resources, {"Resources", "Conditions", "Outputs", "Description"}, "resources")
        template: dict[str, Any] = {
            "AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
            "Resources": dict(resources.get("Resources") or {}),
        }
        for section in ("Conditions", "Outputs", "Description"):
            if section in resources:
                template[section] = resources[section]
        functions = doc.get("functions") or {}
        if not isinstance(functions, dict):
            raise self.error(doc, "functions", "functions must be a mapping")
        for name, function in functions.items():
            logical = _logical(name) + "LambdaFunction"
            template["Resources"][logical] = self.function(name, function, service, stage, provider,
                                                           template["Resources"])
        return template

    def function(self, name: str, spec: Any, service: str, stage: str, provider: dict[str, Any],
                 resources: dict[str, Any]) -> dict[str, Any]:
        self.check_keys(spec, _FUNCTION, f"functions.{name}")
        handler = spec.get("handler")
        if not isinstance(handler, str) or "." not in handler:
            raise self.error(spec, "handler", f"functions.{name}.handler: expected path/module.function")
        module, _, attribute = handler.rpartition(".")
        properties: dict[str, Any] = {
            "FunctionName": spec.get("name") or f"{service}-{stage}-{name}",
            "Handler": f"{module.replace('/', '.')}.{attribute}", "CodeUri": ".",
            "Runtime": spec.get("runtime") or provider.get("runtime") or "python3.12",
            "Timeout": spec.get("timeout") or provider.get("timeout") or 6,
            "MemorySize": spec.get("memorySize") or provider.get("memorySize") or 1024,
        }
        variables = {**(provider.get("environment") or {}), **(spec.get("environment") or {})}
        if variables:
            properties["Environment"] = {"Variables": variables}
        if "reservedConcurrency" in spec:
            properties["ReservedConcurrentExecutions"] = spec["reservedConcurrency"]
        events = spec.get("events") or []
        if not isinstance(events, list):
            raise self.error(spec, "events", f"functions.{name}.events must be a list")
        sam_events: dict[str, Any] = {}
        for index, event in enumerate(events, start=1):
            if not isinstance(event, dict) or len(event) != 1:
                raise self.error(spec, "events", f"functions.{name}.events[{index}]: expected one event type")
            kind, detail = next(iter(event.items()))
            if kind not in _EVENTS:
                raise self.error(event, kind, f"event type {kind!r} is not modelled "
                                              f"(understood: {', '.join(sorted(_EVENTS))})")
            if isinstance(detail, dict) and not _is_intrinsic(detail):
                self.check_keys(detail, _EVENTS[kind], f"functions.{name}.events[{index}].{kind}")
            sam_events[f"{_logical(kind)}{index}"] = self.event(kind, detail, event, resources, name, index)
        if sam_events:
            properties["Events"] = sam_events
        return {"Type": "AWS::Serverless::Function", "Properties": properties}

    def event(self, kind: str, detail: Any, event: Any, resources: dict[str, Any],
              function: str, index: int) -> dict[str, Any]:
        spec = detail if isinstance(detail, dict) and not _is_intrinsic(detail) else {}
        if kind == "sqs":
            props = _drop_none({"Queue": spec.get("arn", detail), "BatchSize": spec.get("batchSize"),
                                "MaximumBatchingWindowInSeconds": spec.get("maximumBatchingWindow"),
                                "Enabled": spec.get("enabled"),
                                "FunctionResponseTypes": [spec["functionResponseType"]]
                                if "functionResponseType" in spec else None,
                                "FilterCriteria": _filters(spec.get("filterPatterns")),
                                "ScalingConfig": {"MaximumConcurrency": spec["maximumConcurrency"]}
                                if "maximumConcurrency" in spec else None})
            return {"Type": "SQS", "Properties": props}
        if kind == "sns":
            topic = spec.get("arn") if spec else detail
            name = spec.get("topicName") if spec else None
            if isinstance(topic, str) and not topic.startswith("arn:"):
                topic, name = None, topic  # a topic name: Serverless creates the topic
            if topic is None and name:
                logical = _logical(name) + "SNSTopic"
                resources.setdefault(logical, {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": name}})
                topic = {"Ref": logical}
            return {"Type": "SNS", "Properties": _drop_none({
                "Topic": topic, "FilterPolicy": spec.get("filterPolicy"),
                "FilterPolicyScope": spec.get("filterPolicyScope")})}
        if kind == "eventBridge":
            if "schedule" in spec:
                return {"Type": "Schedule", "Properties": _drop_none({
                    "Schedule": spec["schedule"], "Input": _text(spec.get("input")),
                    "Enabled": spec.get("enabled")})}
            bus = spec.get("eventBus")
            if isinstance(bus, str) and not bus.startswith("arn:"):
                bus = self.bus(bus, resources)
            transformer = spec.get("inputTransformer")
            return {"Type": "EventBridgeRule", "Properties": _drop_none({
                "EventBusName": bus, "Pattern": spec.get("pattern"), "Input": _text(spec.get("input")),
                "InputPath": spec.get("inputPath"), "RetryPolicy": _capitalised(spec.get("retryPolicy")),
                "DeadLetterConfig": {"Arn": spec["deadLetterQueueArn"]} if "deadLetterQueueArn" in spec else None,
                "InputTransformer": {"InputPathsMap": transformer.get("inputPathsMap", {}),
                                     "InputTemplate": transformer.get("inputTemplate")}
                if isinstance(transformer, dict) else None})}
        if kind == "stream":
            arn = spec.get("arn", detail)
            stream_type = spec.get("type") or ("kinesis" if ":kinesis:" in str(arn) else "dynamodb")
            if stream_type not in ("dynamodb", "kinesis"):
                raise self.error(detail, "type", f"stream type {stream_type!r}: dynamodb or kinesis")
            failure = ((spec.get("destinations") or {}).get("onFailure"))
            return {"Type": "DynamoDB" if stream_type == "dynamodb" else "Kinesis", "Properties": _drop_none({
                "Stream": arn, "StartingPosition": spec.get("startingPosition", "TRIM_HORIZON"),
                "BatchSize": spec.get("batchSize"), "MaximumRetryAttempts": spec.get("maximumRetryAttempts"),
                "BisectBatchOnFunctionError": spec.get("bisectBatchOnFunctionError"),
                "Enabled": spec.get("enabled"), "FilterCriteria": _filters(spec.get("filterPatterns")),
                "MaximumBatchingWindowInSeconds": spec.get("maximumBatchingWindow"),
                "ParallelizationFactor": spec.get("parallelizationFactor"),
                "FunctionResponseTypes": [spec["functionResponseType"]] if "functionResponseType" in spec else None,
                "DestinationConfig": {"OnFailure": {"Destination": failure}} if failure else None})}
        if kind in ("http", "httpApi"):
            if isinstance(detail, str):
                method, _, route = detail.partition(" ")
                spec = {"method": method, "path": route or "/"}
            route = "/" + str(spec.get("path", "")).lstrip("/")
            method = str(spec.get("method", "any")).upper()
            if kind == "http":
                return {"Type": "Api", "Properties": {"Path": route, "Method": method.lower()}}
            return {"Type": "HttpApi", "Properties": {"Path": route, "Method": method}}
        rate = spec.get("rate", detail)
        rates = rate if isinstance(rate, list) else [rate]
        if len(rates) != 1:
            raise self.error(event, kind, f"functions.{function}.events[{index}]: one rate per schedule event")
        return {"Type": "Schedule", "Properties": _drop_none({
            "Schedule": rates[0], "Input": _text(spec.get("input")), "Enabled": spec.get("enabled")})}

    def bus(self, name: str, resources: dict[str, Any]) -> Any:
        """A named bus: the one ``resources`` declares (so rules follow it), else Serverless creates it."""
        for logical, resource in resources.items():
            if resource.get("Type") == "AWS::Events::EventBus" and (resource.get("Properties") or {}).get("Name") == name:
                return {"Ref": logical}
        if name == "default":
            return name
        logical = _logical(name) + "EventBus"
        resources.setdefault(logical, {"Type": "AWS::Events::EventBus", "Properties": {"Name": name}})
        return {"Ref": logical}


def _logical(name: str) -> str:
    cleaned = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", str(name)) if part)
    return cleaned or "Function"


def _is_intrinsic(value: dict[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::ImportValue", "Fn::Sub", "Fn::Join")


def _filters(patterns: Any) -> dict[str, Any] | None:
    if not patterns:
        return None
    return {"Filters": [{"Pattern": json.dumps(p) if not isinstance(p, str) else p} for p in patterns]}


def _text(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def _capitalised(policy: Any) -> Any:
    if not isinstance(policy, dict):
        return policy
    names = {"maximumEventAge": "MaximumEventAgeInSeconds", "maximumRetryAttempts": "MaximumRetryAttempts"}
    return {names.get(k, k): v for k, v in policy.items()}


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
