"""The EventBridge Scheduler fake: schedules and schedule groups (see ``eventproof_fakes.scheduler.firing``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.pagination import InvalidToken, page
from eventproof_fakes.scheduler.firing import ScheduledInvocation, ScheduleRunner
from eventproof_fakes.scheduler.model import (
    DEFAULT_GROUP,
    Group,
    Schedule,
    check_name,
    check_request,
    checked_expression,
    normalised,
    validation,
)

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["Scheduler"]


def _not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def _page(items: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, str]]:
    try:
        chosen, token = page(items, params.get("MaxResults", 100), params.get("NextToken"))
    except InvalidToken:
        raise validation("Invalid NextToken.") from None
    return chosen, ({"NextToken": token} if token else {})


class Scheduler:
    """Schedules fire on the virtual clock into the Lambda, SQS, SNS and EventBridge fakes.

    Simplified (see ``eventproof_fakes.scheduler.firing``): FLEXIBLE windows fire at
    their start; deleting a group deletes its schedules at once (AWS:
    asynchronously, the group passing through DELETING). Not modelled
    (refused): KMS keys, universal (``aws-sdk``) targets, ECS, Kinesis,
    SageMaker targets. The execution role is stored, not assumed.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.groups: dict[str, Group] = {}
        self.schedules: dict[tuple[str, str], Schedule] = {}
        self.runner = ScheduleRunner(env, self._complete)
        self._answered: dict[tuple[str, str], dict[str, Any]] = {}  # (operation, ClientToken)
        self._new_group(DEFAULT_GROUP, [])

    # --- Python API -------------------------------------------------------
    def invocations(self, name: str | None = None, group: str = DEFAULT_GROUP) -> list[ScheduledInvocation]:
        """Every attempt to invoke a target, optionally of one schedule."""
        arn = None if name is None else self._arn(group, name)
        return [i for i in self.runner.invocations if arn in (None, i.schedule_arn)]

    # --- schedules --------------------------------------------------------
    @operation(refuses=("KmsKeyArn",))
    def create_schedule(self, params: dict[str, Any]) -> dict[str, Any]:
        repeated = self._repeated("create_schedule", params)
        if repeated is not None:
            return repeated
        params = normalised(params)
        group = self._group(params.get("GroupName") or DEFAULT_GROUP)
        check_request(params)
        expression = checked_expression(params)
        key = (group.name, params["Name"])
        if key in self.schedules:
            raise AWSError("ConflictException", f"Schedule {params['Name']} already exists.")
        now = self.env.clock.now_datetime()
        schedule = Schedule(
            params["Name"], group.name, self._arn(group.name, params["Name"]), expression,
            _stored(params), now, now,
        )
        self.schedules[key] = schedule
        self.runner.arm(schedule)
        return self._answer("create_schedule", params, {"ScheduleArn": schedule.arn})

    @operation(refuses=("KmsKeyArn",))
    def update_schedule(self, params: dict[str, Any]) -> dict[str, Any]:
        params = normalised(params)
        schedule = self._schedule(params)
        check_request(params)
        schedule.expression = checked_expression(params)
        schedule.params = _stored(params)
        schedule.modified = self.env.clock.now_datetime()
        self.runner.arm(schedule)
        return {"ScheduleArn": schedule.arn}

    @operation
    def get_schedule(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._schedule(params).describe()

    @operation
    def delete_schedule(self, params: dict[str, Any]) -> dict[str, Any]:
        repeated = self._repeated("delete_schedule", params)
        if repeated is not None:
            return repeated
        self._delete(self._schedule(params))
        return self._answer("delete_schedule", params, {})

    @operation
    def list_schedules(self, params: dict[str, Any]) -> dict[str, Any]:
        group, prefix, state = params.get("GroupName"), params.get("NamePrefix") or "", params.get("State")
        if group is not None:
            self._group(group)
        listed = [
            schedule.summary()
            for (group_name, name), schedule in sorted(self.schedules.items())
            if group in (None, group_name)
            and name.startswith(prefix)
            and state in (None, schedule.params.get("State", "ENABLED"))
        ]
        items, token = _page(listed, params)
        return {"Schedules": items, **token}

    # --- groups -----------------------------------------------------------
    @operation
    def create_schedule_group(self, params: dict[str, Any]) -> dict[str, Any]:
        repeated = self._repeated("create_schedule_group", params)
        if repeated is not None:
            return repeated
        name = params["Name"]
        check_name(name)
        if name in self.groups:
            raise AWSError("ConflictException", f"Schedule group {name} already exists.")
        group = self._new_group(name, list(params.get("Tags") or []))
        return self._answer("create_schedule_group", params, {"ScheduleGroupArn": group.arn})

    @operation
    def get_schedule_group(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._group(params["Name"]).describe()

    @operation
    def list_schedule_groups(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix") or ""
        listed = [g.describe() for name, g in sorted(self.groups.items()) if name.startswith(prefix)]
        items, token = _page(listed, params)
        return {"ScheduleGroups": items, **token}

    @operation
    def delete_schedule_group(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group(params["Name"])
        if group.name == DEFAULT_GROUP:
            raise validation("Cannot delete the default schedule group.")
        for schedule in [s for (g, _), s in self.schedules.items() if g == group.name]:
            self._delete(schedule)
        del self.groups[group.name]
        return {}

    # --- tags (groups only, as on AWS) ------------------------------------
    @operation
    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group_by_arn(params["ResourceArn"])
        keys = {tag["Key"] for tag in params["Tags"]}
        group.tags = [t for t in group.tags if t["Key"] not in keys] + list(params["Tags"])
        return {}

    @operation
    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self._group_by_arn(params["ResourceArn"])
        group.tags = [t for t in group.tags if t["Key"] not in params["TagKeys"]]
        return {}

    @operation
    def list_tags_for_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"Tags": list(self._group_by_arn(params["ResourceArn"]).tags)}

    # --- helpers ----------------------------------------------------------
    def _repeated(self, operation_name: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """ClientToken: a retried request gets the first answer again, not a conflict."""
        token = params.get("ClientToken")
        return None if token is None else self._answered.get((operation_name, token))

    def _answer(self, operation_name: str, params: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        if params.get("ClientToken") is not None:
            self._answered[(operation_name, params["ClientToken"])] = dict(response)
        return response

    def _complete(self, schedule: Schedule) -> None:
        """ActionAfterCompletion DELETE: the schedule goes once it has nothing left to fire."""
        if self.schedules.get((schedule.group, schedule.name)) is schedule:
            self._delete(schedule)

    def _delete(self, schedule: Schedule) -> None:
        self.runner.disarm(schedule)
        self.schedules.pop((schedule.group, schedule.name), None)

    def _new_group(self, name: str, tags: list[dict[str, str]]) -> Group:
        group = Group(
            name, self.env.arn("scheduler", f"schedule-group/{name}"), self.env.clock.now_datetime(), tags
        )
        self.groups[name] = group
        return group

    def _group(self, name: str) -> Group:
        group = self.groups.get(name)
        if group is None:
            raise _not_found(f"Schedule group {name} does not exist.")
        return group

    def _group_by_arn(self, arn: str) -> Group:
        return self._group(arn.rsplit("schedule-group/", 1)[-1])

    def _schedule(self, params: dict[str, Any]) -> Schedule:
        group = self._group(params.get("GroupName") or DEFAULT_GROUP)
        schedule = self.schedules.get((group.name, params["Name"]))
        if schedule is None:
            raise _not_found(f"Schedule {params['Name']} does not exist.")
        return schedule

    def _arn(self, group: str, name: str) -> str:
        return self.env.arn("scheduler", f"schedule/{group}/{name}")


def _stored(params: dict[str, Any]) -> dict[str, Any]:
    stored = {k: v for k, v in params.items() if k not in ("ClientToken", "Name", "GroupName")}
    stored["Target"] = dict(params["Target"])
    return stored
