"""EventBridge archives and replays, on the virtual clock.

An archive keeps every event its bus accepts (that matches its pattern, if
it has one) with the virtual time it arrived, for ``RetentionDays`` (0 or
absent: forever). A replay sends the archived events of a time window back
to a bus: it is ``STARTING`` when created, runs on the next tick of the
virtual clock (``run_until_idle`` drives it), delivers each event with the
``replay-name`` field AWS adds, to every matching rule or only to the rules
in ``Destination.FilterArns``, and ends ``COMPLETED``; ``CancelReplay``
before that ends it ``CANCELLED``.
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
Simplification: replayed events are not archived again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.event_patterns import CompiledPattern, InvalidPatternError, compile_pattern
from eventproof_fakes.events.listing import paged
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.events.delivery import Dispatcher
    from eventproof_fakes.events.model import Bus

__all__ = ["Archive", "ArchiveOperations", "Replay"]

_DAY = 24 * 60 * 60
_REPLAY_START_DELAY = 1.0  # virtual seconds between StartReplay and the first replayed event


@dataclass
class Archive:
    name: str
    arn: str
    source_arn: str
    created: datetime
    description: str | None = None
    pattern: str | None = None
    compiled: CompiledPattern | None = None
    retention_days: int = 0
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ArchiveArn": self.arn,
            "ArchiveName": self.name,
            "EventSourceArn": self.source_arn,
            "State": "ENABLED",
            "RetentionDays": self.retention_days,
            "SizeBytes": sum(len(json.dumps(e)) for _, e in self.events),
            "EventCount": len(self.events),
            "CreationTime": self.created,
        }
        if self.description is not None:
            described["Description"] = self.description
        if self.pattern is not None:
            described["EventPattern"] = self.pattern
        return described


@dataclass
class Replay:
    name: str
    arn: str
    source_arn: str
    destination: dict[str, Any]
    start: datetime
    end: datetime
    started: datetime
    description: str | None = None
    state: str = "STARTING"
    reason: str | None = None
    ended: datetime | None = None
    last_replayed: datetime | None = None

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ReplayName": self.name,
            "ReplayArn": self.arn,
            "State": self.state,
            "EventSourceArn": self.source_arn,
            "Destination": self.destination,
            "EventStartTime": self.start,
            "EventEndTime": self.end,
            "ReplayStartTime": self.started,
        }
        optional = {
            "Description": self.description,
            "StateReason": self.reason,
            "ReplayEndTime": self.ended,
            "EventLastReplayedTime": self.last_replayed,
        }
        described.update({k: v for k, v in optional.items() if v is not None})
        return described


def _not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def _validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


class ArchiveOperations:
    env: FakeAWS
    buses: dict[str, Bus]
    dispatcher: Dispatcher
    archives: dict[str, Archive]
    replays: dict[str, Replay]

    # --- capture ----------------------------------------------------------------
    def archive_event(self, bus: Bus, event: dict[str, Any]) -> None:
        """Called for every event a bus accepts (not for replayed ones)."""
        now = self.env.clock.now()
        for archive in self.archives.values():
            if archive.source_arn != bus.arn:
                continue
            if archive.retention_days:
                horizon = now - archive.retention_days * _DAY
                archive.events = [(t, e) for t, e in archive.events if t >= horizon]
            if archive.compiled is None or archive.compiled.matches(event):
                archive.events.append((now, event))

    # --- archives -------------------------------------------------------------
    @operation(refuses=("KmsKeyIdentifier",))
    def create_archive(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["ArchiveName"]
        if name in self.archives:
            raise AWSError("ResourceAlreadyExistsException", f"Archive {name} already exists.")
        source = params["EventSourceArn"]
        if not any(bus.arn == source for bus in self.buses.values()):
            raise _not_found(f"Event bus {source.rsplit('/', 1)[-1]} does not exist.")
        archive = Archive(
            name,
            self.env.arn("events", f"archive/{name}"),
            source,
            self.env.clock.now_datetime(),
            retention_days=params.get("RetentionDays") or 0,
        )
        self._configure(archive, params)
        self.archives[name] = archive
        return {"ArchiveArn": archive.arn, "State": "ENABLED", "CreationTime": archive.created}

    @operation
    def describe_archive(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._archive(params["ArchiveName"]).describe()

    @operation(refuses=("KmsKeyIdentifier",))
    def update_archive(self, params: dict[str, Any]) -> dict[str, Any]:
        archive = self._archive(params["ArchiveName"])
        self._configure(archive, params)
        if params.get("RetentionDays") is not None:
            archive.retention_days = params["RetentionDays"]
        return {"ArchiveArn": archive.arn, "State": "ENABLED", "CreationTime": archive.created}

    @operation
    def delete_archive(self, params: dict[str, Any]) -> dict[str, Any]:
        self._archive(params["ArchiveName"])
        del self.archives[params["ArchiveName"]]
        return {}

    @operation
    def list_archives(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix") or ""
        source = params.get("EventSourceArn")
        state = params.get("State")
        chosen = [
            {k: v for k, v in a.describe().items() if k not in ("Description", "EventPattern")}
            for name, a in sorted(self.archives.items())
            if name.startswith(prefix) and source in (None, a.source_arn) and state in (None, "ENABLED")
        ]
        return paged(chosen, params, "Archives")

    def _configure(self, archive: Archive, params: dict[str, Any]) -> None:
        if params.get("Description") is not None:
            archive.description = params["Description"]
        if params.get("EventPattern") is not None:
            try:
                archive.compiled = compile_pattern(params["EventPattern"])
            except InvalidPatternError as error:
                raise AWSError("InvalidEventPatternException", error.message) from None
            archive.pattern = params["EventPattern"]

    def _archive(self, name: str) -> Archive:
        archive = self.archives.get(name)
        if archive is None:
            raise _not_found(f"Archive {name} does not exist.")
        return archive

    # --- replays -------------------------------------------------------------
    @operation
    def start_replay(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["ReplayName"]
        if name in self.replays:
            raise AWSError("ResourceAlreadyExistsException", f"Replay {name} already exists.")
        source = params["EventSourceArn"]
        archive = next((a for a in self.archives.values() if a.arn == source), None)
        if archive is None:
            raise _validation(f"Parameter EventSourceArn is not valid. Reason: Archive {source} does not exist.")
        destination = dict(params["Destination"])
        bus = next((b for b in self.buses.values() if b.arn == destination["Arn"]), None)
        if bus is None or bus.arn != archive.source_arn:
            raise _validation(
                "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted."
            )
        start, end = params["EventStartTime"], params["EventEndTime"]
        if start >= end:
            raise _validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.")
        replay = Replay(
            name,
            self.env.arn("events", f"replay/{name}"),
            source,
            destination,
            start,
            end,
            self.env.clock.now_datetime(),
            description=params.get("Description"),
        )
        self.replays[name] = replay
        self.env.clock.call_later(
            _REPLAY_START_DELAY, lambda: self._run(replay, archive, bus), label=f"events replay {name}"
        )
        return {
            "ReplayArn": replay.arn,
            "State": replay.state,
            "ReplayStartTime": replay.started,
        }

    @operation
    def describe_replay(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._replay(params["ReplayName"]).describe()

    @operation
    def list_replays(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix") or ""
        chosen = [
            {k: v for k, v in r.describe().items() if k not in ("Description", "Destination", "ReplayArn")}
            for name, r in sorted(self.replays.items())
            if name.startswith(prefix)
            and params.get("State") in (None, r.state)
            and params.get("EventSourceArn") in (None, r.source_arn)
        ]
        return paged(chosen, params, "Replays")

    @operation
    def cancel_replay(self, params: dict[str, Any]) -> dict[str, Any]:
        replay = self._replay(params["ReplayName"])
        if replay.state not in ("STARTING", "RUNNING"):
            raise AWSError(
                "IllegalStatusException", f"Replay {replay.name} is not in a state that can be cancelled."
            )
        replay.state = "CANCELLING"
        return {"ReplayArn": replay.arn, "State": replay.state}

    def _replay(self, name: str) -> Replay:
        replay = self.replays.get(name)
        if replay is None:
            raise _not_found(f"Replay {name} does not exist.")
        return replay

    def _run(self, replay: Replay, archive: Archive, bus: Bus) -> None:
        if replay.state == "CANCELLING":
            replay.state, replay.ended = "CANCELLED", self.env.clock.now_datetime()
            return
        replay.state = "RUNNING"
        low, high = replay.start.timestamp(), replay.end.timestamp()
        only = set(replay.destination.get("FilterArns") or ())
        for arrived, event in list(archive.events):
            if not low <= arrived < high:
                continue
            replayed = {**event, "replay-name": replay.name}
            bus.events.append(replayed)
            for rule_name in bus.index.matching(replayed):
                rule = bus.rules[rule_name]
                if not only or rule.arn in only:
                    self.dispatcher.dispatch(rule, replayed, 0)
            replay.last_replayed = self.env.clock.now_datetime()
        replay.state, replay.ended = "COMPLETED", self.env.clock.now_datetime()
