"""A template read and checked: sections, parameters, the SAM transform, each resource's line."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventproof_fakes.cloudformation.errors import Report, TemplateError
from eventproof_fakes.cloudformation.sam import SAM_TRANSFORM, translate
from eventproof_fakes.cloudformation.yaml_loader import Node, line_of, load_template_text

__all__ = ["Template", "clear_template_cache", "read_template", "resolve_parameters"]

_SECTIONS = {
    "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
    "Conditions", "Transform", "Resources", "Outputs", "Globals",
}
MAX_RESOURCES = 500
_LOGICAL_ID = re.compile(r"^[A-Za-z0-9]+$")
_PARAMETER_KEYS = {
    "Type", "Default", "AllowedValues", "AllowedPattern", "ConstraintDescription",
    "Description", "MaxLength", "MaxValue", "MinLength", "MinValue", "NoEcho",
}


@dataclass
class Template:
    """Plain CloudFormation (after any SAM transform), with lines from the original text."""

    source: str
    body: dict[str, Any]
    base_dir: Path
    lines: dict[str, int] = field(default_factory=dict)  # logical id -> line
    property_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    code_folders: dict[str, Path] = field(default_factory=dict)  # SAM placeholder key -> folder
    # SAM's implicit APIs (ServerlessRestApi, ServerlessHttpApi): the line of the first event using them.
    implicit_api_lines: dict[str, int] = field(default_factory=dict)
    report: Report = field(default_factory=Report)

    @property
    def resources(self) -> dict[str, Any]:
        return self.body.get("Resources") or {}

    def line(self, logical_id: str, prop: str | None = None) -> int | None:
        if prop is not None and prop in self.property_lines.get(logical_id, {}):
            return self.property_lines[logical_id][prop]
        if logical_id in self.lines:
            return self.lines[logical_id]
        # A resource the SAM transform generated ("MyFunctionRole"): the line of its origin.
        origins = [name for name in self.lines if logical_id.startswith(name)]
        if origins:
            return self.lines[max(origins, key=len)]
        implicit = [name for name in self.implicit_api_lines if logical_id.startswith(name)]
        return self.implicit_api_lines[implicit[0]] if implicit else None


# Read templates by (text, source, folder, parameters): a suite deploys the same template in
# every test, and parsing plus the SAM transform is most of a deployment's cost. A Template is
# not changed by deploying it (each deployment copies its report).
_read: OrderedDict[str, Template] = OrderedDict()
_READ_CACHE_SIZE = 32


def clear_template_cache() -> None:
    _read.clear()


def read_template(
    text: str,
    *,
    source: str = "<template>",
    base_dir: Path | None = None,
    parameters: dict[str, Any] | None = None,
    session: Any = None,
) -> Template:
    """Parse, check and (for SAM) transform a template; ``TemplateError`` names the place."""
    folder = base_dir or Path.cwd()
    region = getattr(session, "region_name", None)
    key = json.dumps([text, source, str(folder), parameters or {}, region], sort_keys=True, default=str)
    template = _read.get(key)
    if template is None:
        template = _read_template(text, source, folder, parameters or {}, session)
        _read[key] = template
        if len(_read) > _READ_CACHE_SIZE:
            _read.popitem(last=False)
    return template


def _read_template(text: str, source: str, base_dir: Path, parameters: dict[str, Any], session: Any) -> Template:
    document = load_template_text(text, source)
    for key in document:
        if key not in _SECTIONS:
            raise TemplateError(
                source, line_of(document, key),
                f"unknown top-level section {key!r} (expected one of {', '.join(sorted(_SECTIONS))})",
            )
    for section in ("Parameters", "Mappings", "Conditions", "Outputs", "Globals", "Metadata", "Rules"):
        if section in document and not isinstance(document[section], dict):
            raise TemplateError(source, line_of(document, section), f"{section} must be a mapping")
    resources = document.get("Resources")
    if not isinstance(resources, dict) or not resources:
        raise TemplateError(source, line_of(document, "Resources"), "expected a Resources section with at least one resource")
    template = Template(source=source, body=document, base_dir=base_dir)
    template.report.source = source
    for logical_id, resource in resources.items():
        line = line_of(resources, logical_id)
        if not _LOGICAL_ID.match(logical_id):
            raise TemplateError(source, line, f"logical id {logical_id!r} must be alphanumeric")
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            raise TemplateError(source, line, f"resource {logical_id} needs a Type", logical_id=logical_id)
        template.lines[logical_id] = line or 0
        properties = resource.get("Properties")
        if properties is not None and not isinstance(properties, dict):
            raise TemplateError(source, line, "Properties must be a mapping", logical_id=logical_id)
        depends_on = resource.get("DependsOn", [])
        if not isinstance(depends_on, str) and not (
            isinstance(depends_on, list) and all(isinstance(name, str) for name in depends_on)
        ):
            raise TemplateError(source, line, "DependsOn must be a logical id or a list of them", logical_id=logical_id)
        _note_implicit_apis(template, resource)
        if isinstance(properties, Node):
            template.property_lines[logical_id] = dict(properties.lines)
    transforms = document.get("Transform") or []
    transforms = [transforms] if isinstance(transforms, str) else transforms
    for transform in transforms:
        if transform != SAM_TRANSFORM:
            template.report.add(
                "Transform", line_of(document, "Transform"), "transform",
                f"{transform} is not applied (only {SAM_TRANSFORM} is)",
            )
    if SAM_TRANSFORM in transforms:
        given = resolve_parameters(document, parameters, source, strict_names=False)
        try:
            body, folders = translate(document, given, template.base_dir, session, source)
        except TemplateError as error:
            # The translator names the resource ("Resource with id [OrdersFunctionSqs]"): find its line.
            named = re.search(r"\[([A-Za-z0-9]+)\]", error.message)
            if named is None or error.line is not None:
                raise
            raise TemplateError(source, template.line(named.group(1)), error.message, logical_id=named.group(1)) from None
        template.body = body
        template.code_folders = folders
    elif "Globals" in document:
        raise TemplateError(source, line_of(document, "Globals"), f"Globals needs Transform: {SAM_TRANSFORM}")
    if len(template.resources) > MAX_RESOURCES:
        raise TemplateError(
            source, line_of(document, "Resources"),
            f"{len(template.resources)} resources; CloudFormation accepts at most {MAX_RESOURCES} in one template",
        )
    return template


def resolve_parameters(
    document: dict[str, Any], given: dict[str, Any], source: str, *, strict_names: bool = True
) -> dict[str, Any]:
    """Each parameter's value: the override, else its default; checked as CloudFormation checks."""
    declared = document.get("Parameters") or {}
    if strict_names:
        for name in given:
            if name not in declared:
                raise TemplateError(
                    source, None,
                    f"parameter {name!r} is not declared (declared: {', '.join(declared) or 'none'})",
                )
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        line = line_of(declared, name)
        if not isinstance(spec, dict) or "Type" not in spec:
            raise TemplateError(source, line, f"parameter {name} needs a Type")
        unknown = set(spec) - _PARAMETER_KEYS
        if unknown:
            raise TemplateError(source, line, f"parameter {name}: unknown key(s) {sorted(unknown)}")
        if name in given:
            raw = given[name]
        elif "Default" in spec:
            raw = spec["Default"]
        elif strict_names:
            raise TemplateError(source, line, f"parameter {name} has no Default and no value was given (--parameter {name}=VALUE)")
        else:
            continue
        values[name] = _check_parameter(name, spec, raw, source, line)
    return values


def _check_parameter(name: str, spec: dict[str, Any], raw: Any, source: str, line: int | None) -> Any:
    kind = str(spec["Type"])
    text = ",".join(str(v) for v in raw) if isinstance(raw, list) else str(raw)
    is_list = kind in ("CommaDelimitedList", "List<Number>") or kind.startswith("List<")
    items = [item.strip() for item in text.split(",")] if is_list else [text]
    allowed = spec.get("AllowedValues")
    for item in items:
        if allowed is not None and item not in [str(a) for a in allowed]:
            raise TemplateError(source, line, f"parameter {name}: {item!r} is not one of {allowed}")
        if kind in ("Number", "List<Number>"):
            try:
                number = float(item)
            except ValueError:
                raise TemplateError(source, line, f"parameter {name}: {item!r} is not a number") from None
            if "MinValue" in spec and number < float(spec["MinValue"]):
                raise TemplateError(source, line, f"parameter {name}: {item} is below MinValue {spec['MinValue']}")
            if "MaxValue" in spec and number > float(spec["MaxValue"]):
                raise TemplateError(source, line, f"parameter {name}: {item} is above MaxValue {spec['MaxValue']}")
        if "AllowedPattern" in spec and not re.fullmatch(str(spec["AllowedPattern"]), item):
            raise TemplateError(source, line, f"parameter {name}: {item!r} does not match {spec['AllowedPattern']}")
        if "MinLength" in spec and len(item) < int(spec["MinLength"]):
            raise TemplateError(source, line, f"parameter {name}: shorter than MinLength {spec['MinLength']}")
        if "MaxLength" in spec and len(item) > int(spec["MaxLength"]):
            raise TemplateError(source, line, f"parameter {name}: longer than MaxLength {spec['MaxLength']}")
    return items if is_list else text


def _note_implicit_apis(template: Template, resource: dict[str, Any]) -> None:
    events = (resource.get("Properties") or {}).get("Events")
    if resource.get("Type") != "AWS::Serverless::Function" or not isinstance(events, dict):
        return
    for name, event in events.items():
        kind = event.get("Type") if isinstance(event, dict) else None
        api = {"Api": "ServerlessRestApi", "HttpApi": "ServerlessHttpApi"}.get(str(kind))
        line = line_of(events, name)
        if api and line and api not in template.implicit_api_lines:
            template.implicit_api_lines[api] = line
