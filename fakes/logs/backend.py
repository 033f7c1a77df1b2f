"""``CloudWatchLogs``: log groups, streams and events; Lambda's logs land in ``/aws/lambda/<name>``.

Follows https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/:
PutLogEvents checks order (chronological), count (10,000), size (1 MiB,
26 bytes per event) and span (24 h) and rejects events older than 14 days
or the retention period, or more than 2 h ahead; GetLogEvents pages with
``f/``/``b/`` tokens (latest events first unless ``startFromHead``);
FilterLogEvents interleaves streams by time and applies filter patterns
(``eventproof_fakes.logs.filter_pattern``).

What a Lambda handler prints or logs is read from the Lambda fake when a
log operation (or ``aws.logs(name)``) runs, so invoking costs nothing
extra: each invocation becomes its events in its execution environment's
stream, the group made as Lambda makes it on first use.

With ``FakeAWS(max_records=N)`` a Lambda log stream keeps the events of
its newest N invocations (``events_dropped`` counts the others), as the
Lambda fake keeps only those invocations.

Simplified: events past the retention period disappear as soon as they
are older (AWS deletes them within about 72 hours); no KMS keys, metric
filters, subscription filters, Insights queries or tags operations.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.lambda_.log_lines import invocation_events
from eventproof_fakes.logs.filter_pattern import UnsupportedFilterPattern, compile_filter
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                  2192, 2557, 2922, 3288, 3653)
MAX_BATCH_EVENTS = 10_000
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD_BYTES = 26
DAY_MS = 86_400_000
MAX_AGE_MS = 14 * DAY_MS
MAX_AHEAD_MS = 2 * 3_600_000
_GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
_STREAM_NAME = re.compile(r"^[^:*]{1,512}$")


@dataclass
class LogEvent:
    timestamp: int
    message: str
    ingestion_time: int
    number: int  # the order it was stored in: eventId, and ties in time


@dataclass
class LogStream:
    name: str
    created: int
    events: list[LogEvent] = field(default_factory=list)
    last_ingestion: int | None = None
    # Events per Lambda invocation written here, oldest first (FakeAWS(max_records=...)).
    invocation_events: deque[int] = field(default_factory=deque)


@dataclass
class LogGroup:
    name: str
    created: int
    retention_days: int | None = None
    streams: dict[str, LogStream] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


def not_found(what: str) -> AWSError:
    return AWSError("ResourceNotFoundException", f"The specified {what} does not exist.")


def invalid(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message)


def _token(direction: str, position: int) -> str:
    return f"{direction}/{position:056d}"


class CloudWatchLogs:
    """The CloudWatch Logs service of one account and region.

    Calling it, ``aws.logs("orders")``, returns the messages of Lambda
    function ``orders`` in time order, for tests.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.groups: dict[str, LogGroup] = {}
        self._lambda_read: dict[str, int] = {}  # function name -> invocations already written
        self.events_dropped = 0  # Lambda log events no longer kept (FakeAWS(max_records=...))
        self._numbers = itertools.count()

    def __repr__(self) -> str:
        return f"<fake CloudWatch Logs: {len(self.groups)} log groups>"

    # --- for tests -------------------------------------------------------------
    def __call__(self, function_name: str) -> list[str]:
        return self.function_messages(function_name)

    def function_messages(self, function_name: str) -> list[str]:
        """Every message of ``/aws/lambda/<function_name>``, oldest first."""
        group = self._group(f"/aws/lambda/{function_name}", missing_ok=True)
        if group is None:
            return []
        return [e.message for _, e in self._interleaved(group, list(group.streams.values()))]

    # --- log groups -------------------------------------------------------------
    @operation(refuses=("kmsKeyId", "logGroupClass"))
    def create_log_group(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        name = params["logGroupName"]
        if not _GROUP_NAME.match(name):
            raise invalid(f"1 validation error detected: Value '{name}' at 'logGroupName' failed "
                          "to satisfy constraint: Member must satisfy regular expression pattern: "
                          "[\\.\\-_/#A-Za-z0-9]+")
        if name in self.groups:
            raise AWSError("ResourceAlreadyExistsException", "The specified log group already exists")
        self.groups[name] = LogGroup(name, self.env.clock.now_millis(), tags=dict(params.get("tags", {})))
        return {}

    @operation
    def delete_log_group(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        if self.groups.pop(params["logGroupName"], None) is None:
            raise not_found("log group")
        return {}

    @operation(refuses=("accountIdentifiers", "includeLinkedAccounts", "logGroupClass",
                        "logGroupIdentifiers"))
    def describe_log_groups(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        prefix = params.get("logGroupNamePrefix", "")
        pattern = params.get("logGroupNamePattern")
        if prefix and pattern:
            raise invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive "
                          "parameters.")
        # logGroupNamePattern: a case-insensitive substring (DescribeLogGroups).
        wanted = pattern.lower() if pattern else None
        names = sorted(n for n in self.groups
                       if n.startswith(prefix) and (wanted is None or wanted in n.lower()))
        page, token = self._page(names, params, default_limit=50)
        response: dict[str, Any] = {"logGroups": [self._describe_group(self.groups[n]) for n in page]}
        if token:
            response["nextToken"] = token
        return response

    @operation
    def put_retention_policy(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        days = params["retentionInDays"]
        if days not in RETENTION_DAYS:
            raise invalid(
                f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to "
                f"satisfy constraint: Member must satisfy enum value set: {list(RETENTION_DAYS)}"
            )
        self._group(params["logGroupName"]).retention_days = days
        return {}

    @operation
    def delete_retention_policy(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        self._group(params["logGroupName"]).retention_days = None
        return {}

    # --- log streams ------------------------------------------------------------
    @operation
    def create_log_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        group = self._group(params["logGroupName"])
        name = params["logStreamName"]
        if not _STREAM_NAME.match(name):
            raise invalid(f"1 validation error detected: Value '{name}' at 'logStreamName' failed "
                          "to satisfy constraint: Member must satisfy regular expression pattern: "
                          "[^:*]*")
        if name in group.streams:
            raise AWSError("ResourceAlreadyExistsException", "The specified log stream already exists")
        group.streams[name] = LogStream(name, self.env.clock.now_millis())
        return {}

    @operation
    def delete_log_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        group = self._group(params["logGroupName"])
        if group.streams.pop(params["logStreamName"], None) is None:
            raise not_found("log stream")
        return {}

    @operation(refuses=("logGroupIdentifier",))
    def describe_log_streams(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        group = self._group(_group_name(params))
        prefix = params.get("logStreamNamePrefix", "")
        order = params.get("orderBy", "LogStreamName")
        if prefix and order == "LastEventTime":
            raise invalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
        self._expire(group)
        streams = [s for s in group.streams.values() if s.name.startswith(prefix)]
        if order == "LastEventTime":
            streams.sort(key=lambda s: (s.events[-1].timestamp if s.events else 0, s.name))
        else:
            streams.sort(key=lambda s: s.name)
        if params.get("descending"):
            streams.reverse()
        page, token = self._page(streams, params, default_limit=50)
        response: dict[str, Any] = {"logStreams": [self._describe_stream(group, s) for s in page]}
        if token:
            response["nextToken"] = token
        return response

    # --- log events -------------------------------------------------------------
    @operation(refuses=("entity",))
    def put_log_events(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        group = self._group(params["logGroupName"])
        stream = group.streams.get(params["logStreamName"])
        if stream is None:
            raise not_found("log stream")
        events = params["logEvents"]
        self._check_batch(events)
        now = self.env.clock.now_millis()
        expired = None if group.retention_days is None else now - group.retention_days * DAY_MS
        rejected: dict[str, int] = {}
        for index, event in enumerate(events):
            timestamp = event["timestamp"]
            # The end indexes are exclusive, the start index inclusive (RejectedLogEventsInfo).
            if timestamp < now - MAX_AGE_MS:
                rejected["tooOldLogEventEndIndex"] = index + 1
            elif expired is not None and timestamp < expired:
                rejected["expiredLogEventEndIndex"] = index + 1
            elif timestamp > now + MAX_AHEAD_MS:
                rejected.setdefault("tooNewLogEventStartIndex", index)
            else:
                stream.events.append(
                    LogEvent(timestamp, event["message"], now, next(self._numbers))
                )
        stream.events.sort(key=lambda e: e.timestamp)
        stream.last_ingestion = now
        response: dict[str, Any] = {"nextSequenceToken": _token("s", len(stream.events))[2:]}
        if rejected:
            response["rejectedLogEventsInfo"] = rejected
        return response

    @operation(refuses=("logGroupIdentifier", "unmask"))
    def get_log_events(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        group = self._group(_group_name(params))
        stream = group.streams.get(params["logStreamName"])
        if stream is None:
            raise not_found("log stream")
        self._expire(group)
        start, end = params.get("startTime"), params.get("endTime")
        events = [e for e in stream.events
                  if (start is None or e.timestamp >= start) and (end is None or e.timestamp < end)]
        limit = params.get("limit", 10_000)
        token = params.get("nextToken")
        if token:
            direction, _, number = token.partition("/")
            if direction not in ("f", "b") or not number.isdigit():
                raise invalid("The specified nextToken is invalid.")
            position = int(number)
            first = position if direction == "f" else max(0, position - limit)
            last = min(len(events), first + limit) if direction == "f" else position
        elif params.get("startFromHead"):
            first, last = 0, min(len(events), limit)
        else:
            first, last = max(0, len(events) - limit), len(events)
        return {
            "events": [self._event(e) for e in events[first:last]],
            "nextForwardToken": _token("f", last),
            "nextBackwardToken": _token("b", first),
        }

    @operation(refuses=("logGroupIdentifier", "unmask"))
    def filter_log_events(self, params: dict[str, Any]) -> dict[str, Any]:
        self._sync_lambda()
        group = self._group(_group_name(params))
        names = params.get("logStreamNames")
        prefix = params.get("logStreamNamePrefix")
        if names is not None and prefix is not None:
            raise invalid("logStreamNames and logStreamNamePrefix are mutually exclusive")
        try:
            matches = compile_filter(params.get("filterPattern"))
        except UnsupportedFilterPattern as error:
            raise invalid(str(error)) from None
        self._expire(group)
        streams = [s for s in group.streams.values()
                   if (names is None or s.name in names)
                   and (prefix is None or s.name.startswith(prefix))]
        start, end = params.get("startTime"), params.get("endTime")
        found = [
            (stream, event) for stream, event in self._interleaved(group, streams)
            if (start is None or event.timestamp >= start)
            and (end is None or event.timestamp <= end) and matches(event.message)
        ]
        page, token = self._page(found, params, default_limit=10_000)
        response: dict[str, Any] = {"events": [
            {"logStreamName": stream.name, **self._event(event),
             "eventId": f"{event.timestamp:020d}{event.number:036d}"}
            for stream, event in page
        ]}
        if token:
            response["nextToken"] = token
        return response

    # --- Lambda's logs ------------------------------------------------------------
    def _sync_lambda(self) -> None:
        """Write every finished Lambda invocation not yet written into its log group."""
        lambda_ = self.env._backends.get("lambda")
        if lambda_ is None:
            return
        for name, invocations in lambda_._invocations.items():
            # ``done`` counts invocations by their place in the whole run (``Records.total``):
            # those the Lambda fake no longer keeps (FakeAWS(max_records=...)) are skipped,
            # and counted by ``aws.lambda_.invocations_dropped(name)``.
            done = self._lambda_read.get(name, 0)
            if done > invocations.total:
                done = 0  # the invocation list was replaced
            done = max(done, invocations.total - len(invocations))
            for invocation in invocations.since(done):
                if not invocation.finished_at:
                    break  # still running (a handler reading logs): written next time
                self._write_invocation(name, invocation)
                done += 1
            self._lambda_read[name] = done

    def _write_invocation(self, function_name: str, invocation: Any) -> None:
        name = f"/aws/lambda/{function_name}"
        group = self.groups.get(name)
        if group is None:
            group = self.groups[name] = LogGroup(name, round(invocation.started_at * 1000))
        stream = group.streams.get(invocation.log_stream)
        if stream is None:
            stream = group.streams[invocation.log_stream] = LogStream(
                invocation.log_stream, round(invocation.started_at * 1000)
            )
        ingested = round(invocation.finished_at * 1000)
        before = len(stream.events)
        stream.events.extend(
            LogEvent(t, message, ingested, next(self._numbers))
            for t, message in invocation_events(invocation)
        )
        stream.last_ingestion = ingested
        limit = self.env.max_records
        if limit is not None:
            # A long run keeps the events of the newest ``max_records`` invocations per stream,
            # as the Lambda fake keeps those invocations; ``events_dropped`` counts the rest.
            sizes = stream.invocation_events
            sizes.append(len(stream.events) - before)
            dropped = 0
            while len(sizes) > limit:
                dropped += sizes.popleft()
            if dropped:
                del stream.events[:dropped]
                self.events_dropped += dropped

    # --- helpers ----------------------------------------------------------------
    def _group(self, name: str, *, missing_ok: bool = False) -> LogGroup:
        self._sync_lambda()
        group = self.groups.get(name)
        if group is None and not missing_ok:
            raise not_found("log group")
        return group  # type: ignore[return-value]

    def _expire(self, group: LogGroup) -> None:
        if group.retention_days is None:
            return
        oldest = self.env.clock.now_millis() - group.retention_days * DAY_MS
        for stream in group.streams.values():
            if stream.events and stream.events[0].timestamp < oldest:
                stream.events = [e for e in stream.events if e.timestamp >= oldest]

    def _interleaved(self, group: LogGroup, streams: list[LogStream]) -> list[tuple[LogStream, LogEvent]]:
        self._expire(group)
        pairs = [(s, e) for s in streams for e in s.events]
        pairs.sort(key=lambda pair: (pair[1].timestamp, pair[1].number))
        return pairs

    @staticmethod
    def _check_batch(events: list[dict[str, Any]]) -> None:
        if len(events) > MAX_BATCH_EVENTS:
            raise invalid(f"1 validation error detected: Value at 'logEvents' failed to satisfy "
                          f"constraint: Member must have length less than or equal to {MAX_BATCH_EVENTS}")
        size = sum(len(e["message"].encode("utf-8")) + EVENT_OVERHEAD_BYTES for e in events)
        if size > MAX_BATCH_BYTES:
            raise invalid(f"Upload too large: {size} bytes exceeds limit of {MAX_BATCH_BYTES}")
        stamps = [e["timestamp"] for e in events]
        if stamps != sorted(stamps):
            raise invalid("Log events in a single PutLogEvents request must be in chronological order.")
        if stamps and stamps[-1] - stamps[0] > DAY_MS:
            raise invalid("The batch of log events in a single PutLogEvents request cannot span "
                          "more than 24 hours.")

    @staticmethod
    def _page(items: list[Any], params: dict[str, Any], *, default_limit: int) -> tuple[list[Any], str | None]:
        start = 0
        token = params.get("nextToken")
        if token:
            if not token.isdigit() or int(token) > len(items):
                raise invalid("The specified nextToken is invalid.")
            start = int(token)
        end = start + params.get("limit", default_limit)
        return items[start:end], (str(end) if end < len(items) else None)

    def _describe_group(self, group: LogGroup) -> dict[str, Any]:
        arn = self.env.arn("logs", f"log-group:{group.name}")
        description: dict[str, Any] = {
            "logGroupName": group.name,
            "creationTime": group.created,
            "metricFilterCount": 0,
            "arn": f"{arn}:*",
            "storedBytes": sum(len(e.message.encode()) for s in group.streams.values() for e in s.events),
            "logGroupClass": "STANDARD",
            "logGroupArn": arn,
        }
        if group.retention_days is not None:
            description["retentionInDays"] = group.retention_days
        return description

    def _describe_stream(self, group: LogGroup, stream: LogStream) -> dict[str, Any]:
        description: dict[str, Any] = {
            "logStreamName": stream.name,
            "creationTime": stream.created,
            "arn": self.env.arn("logs", f"log-group:{group.name}:log-stream:{stream.name}"),
            "storedBytes": 0,
        }
        if stream.events:
            description["firstEventTimestamp"] = stream.events[0].timestamp
            description["lastEventTimestamp"] = stream.events[-1].timestamp
        if stream.last_ingestion is not None:
            description["lastIngestionTime"] = stream.last_ingestion
        return description

    @staticmethod
    def _event(event: LogEvent) -> dict[str, Any]:
        return {"timestamp": event.timestamp, "message": event.message,
                "ingestionTime": event.ingestion_time}


def _group_name(params: dict[str, Any]) -> str:
    """The log group a read names; AWS's error when it names none (both keys are optional)."""
    name = params.get("logGroupName")
    if not name:
        raise invalid("Should provide either logGroupName or logGroupIdentifier.")
    return str(name)
