"""``CloudFormation``: the fake service; stacks provisioned through boto3 clients bound to its ``FakeAWS``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventproof_fakes.cloudformation.clients import provisioning_client, serving
from eventproof_fakes.cloudformation.errors import StrictModeError, TemplateError
from eventproof_fakes.cloudformation.provisioner import Provisioner
from eventproof_fakes.cloudformation.serverless import is_serverless_file, serverless_template
from eventproof_fakes.cloudformation.stack import Stack
from eventproof_fakes.cloudformation.template import read_template
from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["CloudFormation"]

TEMPLATE_BODY_LIMIT = 51_200  # bytes, for TemplateBody in a request
TEMPLATE_FILE_LIMIT = 1_048_576  # bytes, for a template read from S3 (TemplateURL) or disk
_FINISHED = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "ROLLBACK_COMPLETE")


def _validation(message: str) -> AWSError:
    return AWSError("ValidationError", message)


class CloudFormation:
    """Stacks from templates (plain CloudFormation, SAM, CDK output), created synchronously.

    Simplified: a stack is complete when ``CreateStack`` returns (no
    IN_PROGRESS phase, no stack events); ``UpdateStack`` keeps each resource
    whose resolved properties are unchanged and replaces each one that changed
    (CloudFormation updates many properties in place; here a changed queue or
    table is a new, empty one), and a failed update is not rolled back
    (UPDATE_ROLLBACK_FAILED); a ``TemplateBody``'s local ``CodeUri`` is read
    relative to the current directory (``deploy(path)`` reads it relative to
    the template's folder); change sets, nested stacks,
    drift, stack policies and ``TemplateURL`` are not modelled. What a
    template uses that is not modelled is in ``stack(name).report``.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.stacks: dict[str, Stack] = {}
        self._provisioner = Provisioner(
            lambda service: provisioning_client(env, service), region=env.region, account_id=env.account_id
        )

    # --- Python API ---------------------------------------------------------
    def deploy(
        self,
        template: str | Path,
        *,
        stack_name: str | None = None,
        parameters: dict[str, Any] | None = None,
        imports: dict[str, Any] | None = None,
        strict: bool = False,
    ) -> Stack:
        """Create a stack from a template file; raises ``TemplateError`` naming file and line.

        A Serverless Framework ``serverless*.yml`` is read as the stack it deploys
        (``eventproof_fakes.cloudformation.serverless``); ``parameters`` are then its options (``stage``).
        """
        path = Path(template)
        if not path.is_file():
            raise TemplateError(str(path), None, "no such template file")
        size = path.stat().st_size
        if size > TEMPLATE_FILE_LIMIT:
            raise TemplateError(
                str(path), None,
                f"the template is {size:,} bytes; CloudFormation accepts at most {TEMPLATE_FILE_LIMIT:,}",
            )
        if is_serverless_file(path):  # its "parameters" are the Serverless CLI's options (stage, region)
            text, service_stack = serverless_template(path, parameters)
            return self._create(stack_name or service_stack, text, str(path), path.parent, {}, imports or {}, strict)
        name = stack_name or _stack_name(path)
        return self._create(name, path.read_text(), str(path), path.parent, parameters or {}, imports or {}, strict)

    def stack(self, name: str | None = None) -> Stack:
        """The stack ``name``; without a name, the only stack there is."""
        if name is None and len(self.stacks) == 1:
            return next(iter(self.stacks.values()))
        stack = self.stacks.get(name or "")
        if stack is None:
            raise KeyError(f"no stack named {name!r} (stacks: {', '.join(self.stacks) or 'none'})")
        return stack

    # --- AWS operations ---------------------------------------------------------
    @operation(refuses=("TemplateURL", "StackPolicyBody", "StackPolicyURL", "RoleARN", "NotificationARNs"))
    def create_stack(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["StackName"]
        if name in self.stacks:
            raise AWSError("AlreadyExistsException", f"Stack [{name}] already exists")
        body = self._body(params)
        stack = self._create_or_rollback(name, body, _parameters(params))
        stack.tags, stack.capabilities = list(params.get("Tags") or []), list(params.get("Capabilities") or [])
        return {"StackId": stack.stack_id}

    @operation(refuses=("TemplateURL", "StackPolicyBody", "StackPolicyURL", "RoleARN", "NotificationARNs"))
    def update_stack(self, params: dict[str, Any]) -> dict[str, Any]:
        old = self._named(params["StackName"])
        if old.status not in _FINISHED or old.status == "ROLLBACK_COMPLETE":
            raise _validation(f"Stack:{old.stack_id} is in {old.status} state and can not be updated.")
        body = old.template_body if params.get("UsePreviousTemplate") else self._body(params)
        given = {**old.parameters, **_parameters(params)}
        if body == old.template_body and given == old.parameters:
            raise _validation("No updates are to be performed.")
        try:
            template = read_template(body, source="<TemplateBody>", base_dir=Path.cwd(), parameters=given,
                                     session=_sam_session(self.env.region))
            with serving(self.env):
                deployment = self._provisioner.deploy(
                    template, stack_name=old.name, stack_id=old.stack_id, parameters=given,
                    imports=self._exports(excluding=old.name), previous=old.deployment,
                )
        except TemplateError as error:
            if error.logical_id is None or "failed" not in error.message:
                raise _validation(f"Template format error: {error.describe()}") from None
            old.status, old.status_reason = "UPDATE_ROLLBACK_FAILED", error.describe()
            return {"StackId": old.stack_id}
        old.template_body, old.deployment, old.parameters = body, deployment, dict(deployment.parameters)
        old.status, old.status_reason, old.updated = "UPDATE_COMPLETE", None, self.env.clock.now_datetime()
        return {"StackId": old.stack_id}

    @operation
    def delete_stack(self, params: dict[str, Any]) -> dict[str, Any]:
        stack = self.stacks.get(params["StackName"])
        if stack is None:
            return {}  # AWS: deleting a stack that does not exist succeeds
        if stack.deployment is not None:
            with serving(self.env):
                self._provisioner.delete(stack.deployment)
        del self.stacks[stack.name]
        return {}

    @operation
    def describe_stacks(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("StackName"):
            return {"Stacks": [self._named(params["StackName"]).describe()]}
        return {"Stacks": [stack.describe() for stack in self.stacks.values()]}

    @operation
    def describe_stack_resources(self, params: dict[str, Any]) -> dict[str, Any]:
        if "StackName" not in params:
            raise _validation("StackName is required (PhysicalResourceId lookups are not modelled)")
        stack = self._named(params["StackName"])
        summaries = stack.resource_summaries(stack.created)
        if params.get("LogicalResourceId"):
            summaries = [s for s in summaries if s["LogicalResourceId"] == params["LogicalResourceId"]]
        for summary in summaries:
            summary.pop("LastUpdatedTimestamp")
        return {"StackResources": summaries}

    @operation
    def list_stack_resources(self, params: dict[str, Any]) -> dict[str, Any]:
        stack = self._named(params["StackName"])
        summaries = stack.resource_summaries(stack.created)
        for summary in summaries:
            for key in ("StackName", "StackId", "Timestamp"):
                summary.pop(key)
        return {"StackResourceSummaries": summaries}

    @operation
    def list_exports(self, params: dict[str, Any]) -> dict[str, Any]:
        exports = [
            {"ExportingStackId": stack.stack_id, "Name": name, "Value": value}
            for stack in self.stacks.values() if stack.deployment is not None
            for name, value in stack.deployment.exports.items()
        ]
        return {"Exports": exports}

    @operation
    def get_template(self, params: dict[str, Any]) -> dict[str, Any]:
        if "StackName" not in params:
            raise _validation("StackName is required (change sets are not modelled)")
        return {"TemplateBody": self._named(params["StackName"]).template_body, "StagesAvailable": ["Original"]}

    # --- helpers ----------------------------------------------------------------
    def _named(self, name: str) -> Stack:
        for stack in self.stacks.values():
            if name in (stack.name, stack.stack_id):
                return stack
        raise _validation(f"Stack with id {name} does not exist")

    def _exports(self, excluding: str) -> dict[str, Any]:
        """Every export of the other stacks: what ``Fn::ImportValue`` may name."""
        return {
            export: value
            for stack in self.stacks.values() if stack.name != excluding and stack.deployment is not None
            for export, value in stack.deployment.exports.items()
        }

    @staticmethod
    def _body(params: dict[str, Any]) -> str:
        body = params.get("TemplateBody")
        if body is None:
            raise _validation("Either Template URL or Template Body must be specified.")
        if len(body.encode()) > TEMPLATE_BODY_LIMIT:
            raise _validation(
                "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: "
                f"Member must have length less than or equal to {TEMPLATE_BODY_LIMIT}"
            )
        return str(body)

    def _create_or_rollback(self, name: str, body: str, given: dict[str, Any], stack_id: str = "") -> Stack:
        """A request's stack: a bad template is a ValidationError; a failed resource rolls the stack back."""
        try:
            return self._create(name, body, "<TemplateBody>", Path.cwd(), given, {}, False, stack_id)
        except StrictModeError:
            raise
        except TemplateError as error:
            if error.logical_id is None or "failed" not in error.message:
                raise _validation(f"Template format error: {error.describe()}") from None
            stack = self.stacks[name]
            stack.status, stack.status_reason = "ROLLBACK_COMPLETE", error.describe()
            return stack

    def _create(
        self, name: str, body: str, source: str, base_dir: Path, given: dict[str, Any],
        imports: dict[str, Any], strict: bool, stack_id: str = "",
    ) -> Stack:
        stack_id = stack_id or self.env.arn("cloudformation", f"stack/{name}/{self.env.ids.uuid()}")
        template = read_template(
            body, source=source, base_dir=base_dir, parameters=given, session=_sam_session(self.env.region)
        )
        stack = Stack(name, stack_id, body, self.env.clock.now_datetime(), description=template.body.get("Description"))
        known = self._exports(excluding=name)
        self.stacks[name] = stack
        with serving(self.env):
            try:
                stack.deployment = self._provisioner.deploy(
                    template, stack_name=name, stack_id=stack_id, parameters=given,
                    imports={**known, **imports}, strict=strict,
                )
            except TemplateError as error:
                if error.logical_id is None or "failed" not in error.message:
                    del self.stacks[name]
                raise
            for export in stack.deployment.exports:
                if export in known:
                    self._provisioner.delete(stack.deployment)
                    del self.stacks[name]
                    raise TemplateError(source, None, f"export {export!r} is already exported by another stack")
        stack.parameters = dict(stack.deployment.parameters)
        stack.status = "CREATE_COMPLETE"
        return stack


def _stack_name(path: Path) -> str:
    stem = path.parent.name if path.stem == "template" else path.stem
    cleaned = "".join(c if c.isalnum() or c == "-" else "-" for c in stem).strip("-") or "stack"
    return cleaned if cleaned[0].isalpha() else f"stack-{cleaned}"


def _parameters(params: dict[str, Any]) -> dict[str, Any]:
    return {p["ParameterKey"]: p["ParameterValue"] for p in params.get("Parameters") or [] if "ParameterValue" in p}


_sessions: dict[str, Any] = {}


def _sam_session(region: str) -> Any:
    """A boto3 session naming the region: the SAM translator reads the region (and partition) from it."""
    session = _sessions.get(region)
    if session is None:
        import boto3

        session = _sessions[region] = boto3.session.Session(
            region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
    return session
