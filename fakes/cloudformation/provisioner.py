"""Deploying a template through boto3 clients: the fakes', moto's or any other.

``Provisioner(session_or_client_factory)`` creates each resource with the
same boto3 calls a person would make, in dependency order, resolving
intrinsics as it goes. The CloudFormation fake uses it with clients bound to
its own ``FakeAWS``; tests use it with moto's clients to deploy the same
template on moto.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from eventproof_fakes.cloudformation.errors import Report, StrictModeError, TemplateError
from eventproof_fakes.cloudformation.graph import CircularDependency, creation_order
from eventproof_fakes.cloudformation.intrinsics import (
    NO_VALUE,
    PSEUDO_PARAMETERS,
    Resolver,
    Unresolvable,
    references,
)
from eventproof_fakes.cloudformation.resources import RESOURCE_TYPES, Built, ResourceContext, Skip
from eventproof_fakes.cloudformation.sam import PLACEHOLDER_BUCKET
from eventproof_fakes.cloudformation.template import Template, resolve_parameters
from eventproof_fakes.cloudformation.yaml_loader import line_of

__all__ = ["Deployment", "Provisioner"]

_GONE = {"ResourceNotFoundException", "NotFoundException", "NoSuchEntity", "NoSuchBucket",
         "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NotFound"}


@dataclass
class Deployment:
    """What a deployment built: resources in creation order, outputs, exports, the report."""

    stack_name: str
    resources: dict[str, Built] = field(default_factory=dict)
    not_built: dict[str, str] = field(default_factory=dict)  # logical id -> why
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    exports: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    report: Report = field(default_factory=Report)


class Provisioner:
    """Creates a template's resources through the boto3 clients it is given."""

    def __init__(
        self,
        session_or_client_factory: Any,
        *,
        region: str | None = None,
        account_id: str = "123456789012",
    ) -> None:
        if callable(session_or_client_factory) and not hasattr(session_or_client_factory, "client"):
            self._factory: Callable[[str], Any] = session_or_client_factory
        else:
            session = session_or_client_factory
            self._factory = lambda service: session.client(service, region_name=region or session.region_name)
        self._clients: dict[str, Any] = {}
        self._previous: dict[str, Built] = {}
        self.region = region or getattr(session_or_client_factory, "region_name", None) or "us-east-1"
        self.account_id = account_id

    def client(self, service: str) -> Any:
        client = self._clients.get(service)
        if client is None:
            client = self._clients[service] = self._factory(service)
        return client

    # --- deploying ------------------------------------------------------------
    def deploy(
        self,
        template: Template,
        *,
        stack_name: str,
        stack_id: str = "",
        parameters: dict[str, Any] | None = None,
        imports: dict[str, Any] | None = None,
        strict: bool = False,
        previous: Deployment | None = None,
    ) -> Deployment:
        """Create the template's resources; with ``previous`` (an update), keep what is unchanged.

        An update keeps each resource whose type and resolved properties are
        unchanged, replaces (deletes, then creates) each one that changed, and
        deletes the ones the new template no longer has.
        """
        source = template.source
        deployment = Deployment(stack_name, report=Report(template.report.source, list(template.report.entries)))
        self._previous = previous.resources if previous is not None else {}
        kept: set[str] = set()
        report = deployment.report
        body = template.body
        deployment.parameters = resolve_parameters(body, dict(parameters or {}), source)
        resources: dict[str, Any] = body.get("Resources") or {}
        pseudo: dict[str, Any] = {
            "AWS::AccountId": self.account_id, "AWS::Region": self.region,
            "AWS::StackName": stack_name, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
            "AWS::NotificationARNs": [],
            "AWS::StackId": stack_id or f"arn:aws:cloudformation:{self.region}:{self.account_id}:stack/{stack_name}/0",
        }

        def ref(name: str) -> Any:
            return self._built(deployment, resources, name).ref

        def get_att(name: str, attribute: str) -> Any:
            built = self._built(deployment, resources, name)
            if attribute not in built.attributes:
                raise Unresolvable(
                    "Fn::GetAtt",
                    f"{name} ({built.type}) has no attribute {attribute!r} here "
                    f"(modelled: {', '.join(sorted(built.attributes)) or 'none'})",
                )
            return built.attributes[attribute]

        resolver = Resolver(
            parameters=deployment.parameters, pseudo=pseudo, mappings=body.get("Mappings") or {},
            imports=dict(imports or {}), condition_definitions=body.get("Conditions") or {},
            ref=ref, get_att=get_att,
        )
        included = self._included(template, resolver, deployment)
        self._check_properties(template, included, report)
        if strict and report:
            raise StrictModeError(report)
        try:
            for logical_id in self._order(template, included, deployment):
                self._create(template, logical_id, resolver, deployment, kept)
                if strict and report:
                    raise StrictModeError(report)
            self._outputs(template, resolver, deployment)
            if strict and report:
                raise StrictModeError(report)
        except Exception:
            # CloudFormation rolls a failed create back (what an update kept stays).
            self._undo([b for k, b in deployment.resources.items() if k not in kept])
            raise
        self._undo([b for k, b in self._previous.items() if k not in kept and k not in deployment.resources])
        return deployment

    def delete(self, deployment: Deployment) -> None:
        """Undo every resource, the last created first."""
        self._undo(list(deployment.resources.values()))

    def _undo(self, resources: list[Built]) -> None:
        for built in reversed(resources):
            for service, call, arguments in built.undo:
                try:
                    getattr(self.client(service), call)(**arguments)
                except ClientError as error:
                    if error.response["Error"]["Code"] not in _GONE:
                        raise

    # --- steps ----------------------------------------------------------------
    def _included(self, template: Template, resolver: Resolver, deployment: Deployment) -> list[str]:
        included = []
        for logical_id, resource in template.resources.items():
            condition = resource.get("Condition")
            try:
                if condition is not None and not resolver.condition(str(condition)):
                    deployment.not_built[logical_id] = f"condition {condition} is false"
                    continue
            except Unresolvable as error:
                raise TemplateError(template.source, template.line(logical_id), error.detail, logical_id=logical_id) from None
            included.append(logical_id)
        return included

    def _check_properties(self, template: Template, included: list[str], report: Report) -> None:
        for logical_id in included:
            resource = template.resources[logical_id]
            kind = RESOURCE_TYPES.get(resource["Type"])
            if kind is None:
                report.add(logical_id, template.line(logical_id), "resource type",
                           f"{resource['Type']} is not modelled by eventproof's CloudFormation")
                continue
            properties = resource.get("Properties") or {}
            for name in properties:
                if name not in kind.documented:
                    raise TemplateError(
                        template.source, template.line(logical_id, name),
                        f"{resource['Type']} has no property {name!r} "
                        f"(documented: {', '.join(sorted(kind.documented))})", logical_id=logical_id,
                    )
                if name in kind.not_modelled:
                    report.add(logical_id, template.line(logical_id, name), f"property {name}", kind.not_modelled[name])
            for name in kind.required:
                if name not in properties:
                    raise TemplateError(
                        template.source, template.line(logical_id),
                        f"{resource['Type']} needs the property {name}", logical_id=logical_id,
                    )

    def _order(self, template: Template, included: list[str], deployment: Deployment) -> list[str]:
        known = set(deployment.parameters) | set(PSEUDO_PARAMETERS)
        declared = set(template.resources)
        dependencies: dict[str, list[str]] = {}
        for logical_id in included:
            resource = template.resources[logical_id]
            needed: list[str] = []
            depends_on = resource.get("DependsOn") or []
            for name in [depends_on] if isinstance(depends_on, str) else depends_on:
                if name not in declared:
                    raise TemplateError(
                        template.source, template.line(logical_id, "DependsOn") or template.line(logical_id),
                        f"DependsOn names {name!r}, which is not a resource of the template", logical_id=logical_id,
                    )
                needed.append(name)
            for name in references(resource.get("Properties") or {}):
                if name in known or name.startswith("AWS::"):
                    continue
                if name not in declared:
                    raise TemplateError(
                        template.source, template.line(logical_id),
                        f"refers to {name!r}, which is neither a parameter nor a resource "
                        "(a dangling Ref/GetAtt/Sub)", logical_id=logical_id,
                    )
                if name in deployment.not_built:
                    continue  # only an untaken Fn::If branch may refer to it; resolving says otherwise
                needed.append(name)
            dependencies[logical_id] = [n for n in dict.fromkeys(needed) if n not in deployment.not_built]
        try:
            return creation_order(dependencies)
        except CircularDependency as cycle:
            first = cycle.cycle[0]
            raise TemplateError(
                template.source, template.line(first),
                f"circular dependency between resources: {' -> '.join(cycle.cycle)}",
            ) from None

    def _create(
        self, template: Template, logical_id: str, resolver: Resolver, deployment: Deployment, kept: set[str]
    ) -> None:
        resource = template.resources[logical_id]
        kind = RESOURCE_TYPES.get(resource["Type"])
        if kind is None:
            deployment.not_built[logical_id] = "type not modelled"
            return
        report = deployment.report
        props: dict[str, Any] = {}
        for name, value in (resource.get("Properties") or {}).items():
            if name in kind.not_modelled:
                continue
            try:
                resolved = resolver.resolve(value)
            except Unresolvable as error:
                if error.template_error:
                    raise TemplateError(template.source, template.line(logical_id, name), f"{name}: {error}", logical_id=logical_id) from None
                report.add(logical_id, template.line(logical_id, name), f"property {name}", str(error))
                continue
            if resolved is not None and resolved is not NO_VALUE:
                props[name] = resolved
        missing = [name for name in kind.required if name not in props]
        if missing:
            deployment.not_built[logical_id] = f"{', '.join(missing)} could not be resolved"
            report.add(logical_id, template.line(logical_id), "resource", f"not created: {deployment.not_built[logical_id]}")
            return
        line = template.line(logical_id)
        earlier = self._previous.get(logical_id)
        if earlier is not None:
            if earlier.type == resource["Type"] and earlier.properties == props:
                deployment.resources[logical_id] = earlier
                kept.add(logical_id)
                return
            self._undo([earlier])  # replaced: a new name or setting means a new resource here

        def not_modelled(prop: str, detail: str) -> None:
            report.add(logical_id, template.line(logical_id, prop.split(".")[0].split("[")[0]) or line, f"property {prop}", detail)

        context = ResourceContext(
            logical_id=logical_id, stack_name=deployment.stack_name, region=self.region,
            account_id=self.account_id, client=self.client, not_modelled=not_modelled,
            code_folder=lambda code, metadata: _code_folder(template, code, metadata),
            metadata=resource.get("Metadata") or {},
        )
        try:
            built = deployment.resources[logical_id] = kind.create(props, context)
            built.properties = props
        except Skip as skipped:
            deployment.not_built[logical_id] = str(skipped)
        except ParamValidationError as error:  # botocore's own check of the call's shape
            raise TemplateError(
                template.source, line, f"creating {resource['Type']} failed: {error}", logical_id=logical_id
            ) from None
        except (TypeError, AttributeError, KeyError, ValueError) as error:
            # A property of a shape the type does not take (a number where a list goes, ...).
            raise TemplateError(
                template.source, line,
                f"creating {resource['Type']} failed: a property has an unexpected shape ({error!r})",
                logical_id=logical_id,
            ) from None
        except NotImplementedError as error:  # a target (moto) that lacks the operation
            deployment.not_built[logical_id] = "the target does not implement an operation it needs"
            report.add(logical_id, line, "resource type", f"{resource['Type']}: {error}")
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in ("UnsupportedService", "InvalidAction"):
                deployment.not_built[logical_id] = "the target does not answer its service"
                report.add(logical_id, line, "resource type", f"{resource['Type']}: {error.response['Error']['Message']}")
                return
            raise TemplateError(
                template.source, line, f"creating {resource['Type']} failed: {error}", logical_id=logical_id
            ) from None

    def _built(self, deployment: Deployment, resources: dict[str, Any], name: str) -> Built:
        built = deployment.resources.get(name)
        if built is not None:
            return built
        if name in deployment.not_built:
            raise Unresolvable("Ref", f"{name} was not created ({deployment.not_built[name]})", template_error=False)
        if name in resources:
            raise Unresolvable("Ref", f"{name} is not created yet")
        raise Unresolvable("Ref", f"{name!r} is neither a parameter nor a resource")

    def _outputs(self, template: Template, resolver: Resolver, deployment: Deployment) -> None:
        outputs = template.body.get("Outputs") or {}
        for key, output in outputs.items():
            line = line_of(outputs, key)
            if not isinstance(output, dict) or "Value" not in output:
                raise TemplateError(template.source, line, f"output {key} needs a Value")
            try:
                if "Condition" in output and not resolver.condition(str(output["Condition"])):
                    continue
                value = resolver.resolve(output["Value"])
                export = resolver.resolve(output["Export"]["Name"]) if "Export" in output else None
            except Unresolvable as error:
                if error.template_error:
                    raise TemplateError(template.source, line, f"output {key}: {error}") from None
                deployment.report.add(f"Outputs.{key}", line, "output", str(error))
                continue
            entry: dict[str, Any] = {"OutputKey": key, "OutputValue": value if isinstance(value, str) else ",".join(map(str, value)) if isinstance(value, list) else str(value)}
            if "Description" in output:
                entry["Description"] = output["Description"]
            if export is not None:
                entry["ExportName"] = export
                deployment.exports[export] = entry["OutputValue"]
            deployment.outputs[key] = entry


def _code_folder(template: Template, code: dict[str, Any], metadata: dict[str, Any]) -> Path | None:
    if not isinstance(code, dict):
        return None
    if code.get("S3Bucket") == PLACEHOLDER_BUCKET and code.get("S3Key") in template.code_folders:
        return template.code_folders[code["S3Key"]]
    asset = metadata.get("aws:asset:path")  # CDK output: the asset folder beside the template
    if isinstance(asset, str) and metadata.get("aws:asset:property", "Code") == "Code":
        folder = (template.base_dir / asset).resolve()
        return folder if folder.is_dir() else None
    return None
