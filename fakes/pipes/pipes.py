"""The EventBridge Pipes API: CreatePipe, DescribePipe, ListPipes, UpdatePipe, Start/Stop, Delete.

State transitions (CREATING, STARTING, STOPPING, UPDATING) complete at
once on the virtual clock: the call that starts one answers with the
transitional state, and the next DescribePipe shows where it ended. AWS
checks the role's permissions and the source's existence asynchronously;
the fake checks neither the role nor permissions.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.pipes.runtime import PipeRuntime

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["Pipes"]

_NAME = re.compile(r"^[.\-_A-Za-z0-9]{1,64}$")
_DESCRIBED = (
    "Description", "SourceParameters", "Enrichment", "EnrichmentParameters", "Target",
    "TargetParameters", "RoleArn", "LogConfiguration", "KmsKeyIdentifier",
)


def _not_found(name: str) -> AWSError:
    return AWSError("NotFoundException", f"Pipe {name} does not exist.", status_code=404)


def _invalid(message: str) -> AWSError:
    return AWSError("ValidationException", message)


@dataclass
class _Pipe:
    name: str
    arn: str
    source: str
    settings: dict[str, Any]
    desired_state: str
    current_state: str
    created: datetime
    modified: datetime
    runtime: PipeRuntime
    tags: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "Arn": self.arn,
            "Name": self.name,
            "DesiredState": self.desired_state,
            "CurrentState": self.current_state,
            "CreationTime": self.created,
            "LastModifiedTime": self.modified,
        }

    def settle(self) -> None:
        """The transition under way completes: the pipe reaches its desired state."""
        self.current_state = self.desired_state
        self.runtime.running = self.desired_state == "RUNNING"


class Pipes:
    """In-memory EventBridge Pipes whose pipes really move records (see ``eventproof_fakes.pipes.runtime``)."""

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self._pipes: dict[str, _Pipe] = {}

    # --- Python API ---------------------------------------------------------
    def pipe(self, name: str) -> PipeRuntime:
        """The running side of a pipe, for tests that look inside."""
        if name not in self._pipes:
            raise KeyError(f"no pipe named {name!r}")
        return self._pipes[name].runtime

    # --- operations -----------------------------------------------------------
    @operation
    def create_pipe(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        if not _NAME.match(name):
            raise _invalid(f"Pipe name {name!r} must match [.\\-_A-Za-z0-9]+ (1-64 characters).")
        if name in self._pipes:
            raise AWSError(
                "ConflictException",
                f"Pipe {name} already exists.",
                status_code=409,
                extra={"resourceId": name, "resourceType": "pipe"},
            )
        arn = self.env.arn("pipes", f"pipe/{name}")
        settings = {key: copy.deepcopy(params[key]) for key in _DESCRIBED if key in params}
        runtime = PipeRuntime(self.env, name, arn, params["Source"])
        self._configure(runtime, settings, new_source=True)
        now = self.env.clock.now_datetime()
        pipe = _Pipe(
            name, arn, params["Source"], settings, params.get("DesiredState", "RUNNING"),
            "CREATING", now, now, runtime, dict(params.get("Tags") or {}),
        )
        self._pipes[name] = pipe
        self.env.add_pump(runtime)
        answer = pipe.summary()
        pipe.settle()
        return answer

    @operation
    def describe_pipe(self, params: dict[str, Any]) -> dict[str, Any]:
        pipe = self._get(params["Name"])
        answer = pipe.summary()
        answer.update(copy.deepcopy(pipe.settings))
        answer["Source"] = pipe.source
        answer["Tags"] = dict(pipe.tags)
        answer.setdefault("Enrichment", "")
        return answer

    @operation
    def list_pipes(self, params: dict[str, Any]) -> dict[str, Any]:
        selected = []
        for pipe in sorted(self._pipes.values(), key=lambda p: p.name):
            if not pipe.name.startswith(params.get("NamePrefix", "")):
                continue
            if params.get("DesiredState") not in (None, pipe.desired_state):
                continue
            if params.get("CurrentState") not in (None, pipe.current_state):
                continue
            if not pipe.source.startswith(params.get("SourcePrefix", "")):
                continue
            if not pipe.settings["Target"].startswith(params.get("TargetPrefix", "")):
                continue
            entry = pipe.summary()
            entry["Source"] = pipe.source
            entry["Target"] = pipe.settings["Target"]
            if pipe.settings.get("Enrichment"):
                entry["Enrichment"] = pipe.settings["Enrichment"]
            selected.append(entry)
        token = params.get("NextToken") or "0"
        if not token.isdigit():  # a token this fake did not hand out
            raise AWSError("ValidationException", "Invalid NextToken")
        start = int(token)
        limit = int(params.get("Limit") or 100)
        answer: dict[str, Any] = {"Pipes": selected[start : start + limit]}
        if start + limit < len(selected):
            answer["NextToken"] = str(start + limit)
        return answer

    @operation
    def update_pipe(self, params: dict[str, Any]) -> dict[str, Any]:
        pipe = self._get(params["Name"])
        settings = copy.deepcopy(pipe.settings)
        for key in _DESCRIBED:
            if key in params:
                settings[key] = copy.deepcopy(params[key])
        old_stream = (pipe.settings.get("SourceParameters") or {}).get("DynamoDBStreamParameters")
        new_source = settings.get("SourceParameters") or {}
        if old_stream and "DynamoDBStreamParameters" in new_source:
            # StartingPosition is fixed at creation; UpdatePipe's shape has no such member.
            new_source["DynamoDBStreamParameters"].setdefault(
                "StartingPosition", old_stream.get("StartingPosition")
            )
        self._configure(pipe.runtime, settings, new_source=False)
        pipe.settings = settings
        if "DesiredState" in params:
            pipe.desired_state = params["DesiredState"]
        pipe.modified = self.env.clock.now_datetime()
        pipe.current_state = "UPDATING"
        answer = pipe.summary()
        pipe.settle()
        return answer

    @operation
    def start_pipe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._transition(params["Name"], "RUNNING", "STARTING")

    @operation
    def stop_pipe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._transition(params["Name"], "STOPPED", "STOPPING")

    @operation
    def delete_pipe(self, params: dict[str, Any]) -> dict[str, Any]:
        pipe = self._get(params["Name"])
        del self._pipes[pipe.name]
        pipe.runtime.running = False
        self.env.remove_pump(pipe.runtime)
        pipe.desired_state = "DELETED"
        pipe.current_state = "DELETING"
        return pipe.summary()

    @operation
    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        self._by_arn(params["resourceArn"]).tags.update(params["tags"])
        return {}

    @operation
    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        tags = self._by_arn(params["resourceArn"]).tags
        for key in params["tagKeys"]:
            tags.pop(key, None)
        return {}

    @operation
    def list_tags_for_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"tags": dict(self._by_arn(params["resourceArn"]).tags)}

    # --- internals --------------------------------------------------------------
    def _transition(self, name: str, desired: str, transitional: str) -> dict[str, Any]:
        pipe = self._get(name)
        pipe.desired_state = desired
        if pipe.current_state != desired:
            pipe.current_state = transitional
        pipe.modified = self.env.clock.now_datetime()
        answer = pipe.summary()
        pipe.settle()
        return answer

    def _configure(self, runtime: PipeRuntime, settings: dict[str, Any], *, new_source: bool) -> None:
        try:
            runtime.configure(settings, new_source=new_source)
        except ValueError as error:
            raise _invalid(str(error)) from None

    def _get(self, name: str) -> _Pipe:
        pipe = self._pipes.get(name)
        if pipe is None:
            raise _not_found(name)
        return pipe

    def _by_arn(self, arn: str) -> _Pipe:
        for pipe in self._pipes.values():
            if pipe.arn == arn:
                return pipe
        raise _not_found(arn)
