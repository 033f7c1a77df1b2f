"""The EventBridge fake: event buses, rules, targets, PutEvents, TestEventPattern.

Matching uses ``eventproof_fakes.event_patterns``, the engine shared with SNS, Lambda
filters and Pipes. Deliveries happen synchronously inside PutEvents (see
``eventproof_fakes.events.delivery`` for retries and dead-letter queues).
Schedule rules fire on the virtual clock (``eventproof_fakes.events.schedules``).
Archives and replays: ``eventproof_fakes.events.archives``; tags and
ListRuleNamesByTarget: ``eventproof_fakes.events.tagging``.
Connections and API destinations: ``eventproof_fakes.events.api_destinations``.
Simplifications: permissions are not modelled; ``Time`` in an entry is kept
as given.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.event_patterns import InvalidPatternError, compile_pattern
from eventproof_fakes.events.api_destinations import (
    ApiDestination,
    ApiDestinationOperations,
    Connection,
    HttpRequest,
)
from eventproof_fakes.events.archives import Archive, ArchiveOperations, Replay
from eventproof_fakes.events.delivery import Dispatcher
from eventproof_fakes.events.entries import check_request, entry_error, envelope
from eventproof_fakes.events.listing import paged
from eventproof_fakes.events.model import Bus, Delivery, Rule
from eventproof_fakes.events.schedules import RuleSchedules
from eventproof_fakes.events.tagging import TagOperations
from eventproof_fakes.events.transform import validate_target_input
from eventproof_fakes.events.validation import check_target_arn, check_target_members
from eventproof_fakes.limits import EVENTBRIDGE_MAX_PATTERN_SIZE, EVENTBRIDGE_MAX_TARGETS_PER_RULE
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

DEFAULT_BUS = "default"
_TEST_EVENT_FIELDS = ("id", "account", "source", "time", "region", "detail-type")


def _not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def _validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


class EventBridge(ArchiveOperations, TagOperations, ApiDestinationOperations):
    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.buses: dict[str, Bus] = {}
        self.dispatcher = Dispatcher(env)
        self.schedules = RuleSchedules(env)
        self.archives: dict[str, Archive] = {}
        self.replays: dict[str, Replay] = {}
        self.tags: dict[str, dict[str, str]] = {}  # by resource ARN
        self.connections: dict[str, Connection] = {}
        self.api_destinations: dict[str, ApiDestination] = {}
        self.http_requests: list[HttpRequest] = []  # every request sent to an API destination
        self.http_responder: Callable[[HttpRequest], int] = lambda request: 200
        # OAuth connections: every token request, and the answer of a non-local endpoint.
        self.token_requests: list[HttpRequest] = []
        self.token_responder: Callable[[HttpRequest], tuple[int, str]] = self._issue_token
        self._new_bus(DEFAULT_BUS, None)

    # --- Python API -----------------------------------------------------
    def events(self, bus_name: str = DEFAULT_BUS) -> list[dict[str, Any]]:
        """Every event envelope the bus accepted, in order."""
        return list(self._bus(bus_name).events)

    def deliveries(self, rule_name: str | None = None) -> list[Delivery]:
        """Every delivery attempt (with its input, attempt number and error), optionally of one rule."""
        return [d for d in self.dispatcher.deliveries if rule_name in (None, d.rule_name)]

    def put_event_entries(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """PutEvents without boto3 (Lambda destinations, Pipes): the response ``Entries``."""
        return self.put_events({"Entries": entries})["Entries"]

    def route(self, bus: str, event: dict[str, Any], hops: int = 0) -> None:
        """Accept an already-built envelope on ``bus`` and deliver it to matching rules."""
        target_bus = self._bus(bus)
        target_bus.events.append(event)
        self.archive_event(target_bus, event)
        for rule_name in target_bus.index.matching(event):
            self.dispatcher.dispatch(target_bus.rules[rule_name], event, hops)

    # --- buses ----------------------------------------------------------
    @operation(
        refuses=(
            "EventSourceName",
            "KmsKeyIdentifier",
            "LogConfig",
            "DeadLetterConfig",
        )
    )
    def create_event_bus(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        if name in self.buses:
            raise AWSError("ResourceAlreadyExistsException", f"Event bus {name} already exists.")
        if name == DEFAULT_BUS or "/" in name:
            raise _validation(f"Event bus name {name} is not valid.")
        bus = self._new_bus(name, params.get("Description"))
        if params.get("Tags"):
            self.add_tags(bus.arn, params["Tags"])
        response: dict[str, Any] = {"EventBusArn": bus.arn}
        if bus.description is not None:
            response["Description"] = bus.description
        return response

    @operation
    def delete_event_bus(self, params: dict[str, Any]) -> dict[str, Any]:
        name = _bus_name(params["Name"])
        if name == DEFAULT_BUS:
            raise _validation("Cannot delete event bus default.")
        self.buses.pop(name, None)  # AWS: deleting a missing bus succeeds
        return {}

    @operation
    def describe_event_bus(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bus(params.get("Name") or DEFAULT_BUS).describe()

    @operation
    def list_event_buses(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix") or ""
        buses = [b.describe() for name, b in sorted(self.buses.items()) if name.startswith(prefix)]
        return paged(buses, params, "EventBuses")

    # --- rules ----------------------------------------------------------
    @operation
    def put_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        bus = self._bus(params.get("EventBusName") or DEFAULT_BUS)
        pattern = params.get("EventPattern")
        schedule = params.get("ScheduleExpression")
        if pattern is None and schedule is None:
            raise _validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
        if schedule is not None and bus.name != DEFAULT_BUS:
            raise _validation("ScheduleExpression is supported only on the default event bus.")
        compiled = None
        if pattern is not None:
            if len(pattern) > EVENTBRIDGE_MAX_PATTERN_SIZE:
                raise _validation(
                    "1 validation error detected: Value at 'eventPattern' failed to satisfy "
                    f"constraint: Member must have length less than or equal to {EVENTBRIDGE_MAX_PATTERN_SIZE}"
                )
            compiled = _compile(pattern)
        self.schedules.check(schedule, bus.name)
        name = params["Name"]
        rule = bus.rules.get(name)
        if rule is None:
            resource = f"rule/{name}" if bus.name == DEFAULT_BUS else f"rule/{bus.name}/{name}"
            rule = bus.rules[name] = Rule(name, self.env.arn("events", resource), bus.name)
        rule.event_pattern, rule.compiled, rule.schedule_expression = pattern, compiled, schedule
        rule.state = params.get("State") or "ENABLED"
        rule.description = params.get("Description")
        rule.role_arn = params.get("RoleArn")
        bus.refile(rule)
        self.schedules.arm(rule)
        if params.get("Tags"):
            self.add_tags(rule.arn, params["Tags"])
        return {"RuleArn": rule.arn}

    @operation(refuses=("Force",))
    def delete_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        bus = self._bus(params.get("EventBusName") or DEFAULT_BUS)
        rule = bus.rules.get(params["Name"])
        if rule is None:
            return {}
        if rule.targets:
            raise _validation("Rule can't be deleted since it has targets.")
        del bus.rules[rule.name]
        self.tags.pop(rule.arn, None)
        bus.index.remove(rule.name)
        self.schedules.disarm(rule)
        return {}

    @operation
    def describe_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**self._rule(params).describe(), "CreatedBy": self.env.account_id}

    @operation
    def list_rules(self, params: dict[str, Any]) -> dict[str, Any]:
        bus = self._bus(params.get("EventBusName") or DEFAULT_BUS)
        prefix = params.get("NamePrefix") or ""
        rules = [r.describe() for name, r in sorted(bus.rules.items()) if name.startswith(prefix)]
        return paged(rules, params, "Rules")

    @operation
    def enable_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._set_state(params, "ENABLED")

    @operation
    def disable_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._set_state(params, "DISABLED")

    def _set_state(self, params: dict[str, Any], state: str) -> dict[str, Any]:
        rule = self._rule(params)
        rule.state = state
        self.buses[rule.bus_name].refile(rule)
        self.schedules.arm(rule)
        return {}

    # --- targets --------------------------------------------------------
    @operation
    def put_targets(self, params: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule({"Name": params["Rule"], "EventBusName": params.get("EventBusName")})
        targets = params["Targets"]
        for position, target in enumerate(targets, start=1):
            check_target_members(target)
            check_target_arn(target["Arn"])
            validate_target_input(target)
            _check_retry_policy(target.get("RetryPolicy") or {}, position)
        new_ids = {t["Id"] for t in targets} - set(rule.targets)
        if len(rule.targets) + len(new_ids) > EVENTBRIDGE_MAX_TARGETS_PER_RULE:
            raise AWSError(
                "LimitExceededException",
                "The requested resource exceeds the maximum number allowed.",
            )
        for target in targets:
            rule.targets[target["Id"]] = dict(target)
        return {"FailedEntryCount": 0, "FailedEntries": []}

    @operation(refuses=("Force",))
    def remove_targets(self, params: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule({"Name": params["Rule"], "EventBusName": params.get("EventBusName")})
        for target_id in params["Ids"]:
            rule.targets.pop(target_id, None)
        return {"FailedEntryCount": 0, "FailedEntries": []}

    @operation
    def list_targets_by_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        rule = self._rule({"Name": params["Rule"], "EventBusName": params.get("EventBusName")})
        return paged([dict(t) for t in rule.targets.values()], params, "Targets")

    # --- events ---------------------------------------------------------
    @operation(refuses=("EndpointId",))
    def put_events(self, params: dict[str, Any]) -> dict[str, Any]:
        entries = params["Entries"]
        check_request(entries)
        results: list[dict[str, Any]] = []
        for entry in entries:
            error = entry_error(entry)
            bus_name = _bus_name(entry.get("EventBusName") or DEFAULT_BUS)
            if error is None and bus_name not in self.buses:
                error = ("ResourceNotFoundException", f"Event bus {bus_name} does not exist.")
            if error is not None:
                results.append({"ErrorCode": error[0], "ErrorMessage": error[1]})
                continue
            event = envelope(
                entry,
                event_id=self.env.ids.uuid(),
                account=self.env.account_id,
                region=self.env.region,
                now=self.env.clock.iso_now(),
            )
            results.append({"EventId": event["id"]})
            self.route(bus_name, event)
        failed = sum(1 for result in results if "ErrorCode" in result)
        return {"FailedEntryCount": failed, "Entries": results}

    @operation
    def test_event_pattern(self, params: dict[str, Any]) -> dict[str, Any]:
        compiled = _compile(params["EventPattern"])
        try:
            event = json.loads(params["Event"])
        except ValueError:
            event = None
        if not isinstance(event, dict) or any(key not in event for key in _TEST_EVENT_FIELDS):
            raise _validation("Parameter Event is not valid.")
        return {"Result": compiled.matches(event)}

    # --- helpers --------------------------------------------------------
    def _new_bus(self, name: str, description: str | None) -> Bus:
        bus = Bus(
            name,
            self.env.arn("events", f"event-bus/{name}"),
            self.env.clock.now_datetime(),
            description,
        )
        self.buses[name] = bus
        return bus

    def _bus(self, name_or_arn: str) -> Bus:
        name = _bus_name(name_or_arn)
        bus = self.buses.get(name)
        if bus is None:
            raise _not_found(f"Event bus {name} does not exist.")
        return bus

    def _rule(self, params: dict[str, Any]) -> Rule:
        bus = self._bus(params.get("EventBusName") or DEFAULT_BUS)
        rule = bus.rules.get(params["Name"])
        if rule is None:
            raise _not_found(f"Rule {params['Name']} does not exist on EventBus {bus.name}.")
        return rule


def _bus_name(name_or_arn: str) -> str:
    return (
        name_or_arn.rsplit("event-bus/", 1)[-1] if name_or_arn.startswith("arn:") else name_or_arn
    )


def _compile(pattern: str) -> Any:
    try:
        return compile_pattern(pattern)
    except InvalidPatternError as error:
        raise AWSError("InvalidEventPatternException", error.message) from None


def _check_retry_policy(policy: dict[str, Any], position: int) -> None:
    bounds = {"MaximumRetryAttempts": (0, 185), "MaximumEventAgeInSeconds": (60, 86400)}
    for key, (low, high) in bounds.items():
        value = policy.get(key)
        if value is None:
            continue
        where = f"targets.{position}.member.retryPolicy.{key[0].lower()}{key[1:]}"
        if value > high:
            raise _validation(
                f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
                f"constraint: Member must have value less than or equal to {high}"
            )
        if value < low:
            raise _validation(
                f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
                f"constraint: Member must have value greater than or equal to {low}"
            )
