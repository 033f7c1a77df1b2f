"""What a target receives: the event, ``Input``, ``InputPath`` or ``InputTransformer``.

https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
Placeholders inside a JSON string literal are replaced by the value's text
(strings as they are, objects and arrays as JSON without quotes, as AWS
renders them: ``{acc_id:123,sf_id:baz}``); placeholders outside quotes by
the value as JSON. A path that is missing gives "" inside quotes and
``null`` outside. JSON paths are the subset AWS documents: ``$``,
``$.a.b``, ``$.a[0]``, ``$['a']``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from eventproof_fakes.errors import AWSError

PLACEHOLDER = re.compile(r"<([^<>\s]+)>")
PREDEFINED = (
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
)
_PATH_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]")
_MISSING = object()


def json_path(document: Any, path: str) -> Any:
    """The value at ``path`` in ``document``, or ``_MISSING``."""
    if not path.startswith("$"):
        return _MISSING
    value = document
    position = 1
    while position < len(path):
        step = _PATH_STEP.match(path, position)
        if step is None:
            return _MISSING
        key, index, quoted = step.groups()
        if index is not None:
            if not isinstance(value, list) or int(index) >= len(value):
                return _MISSING
            value = value[int(index)]
        else:
            name = key if key is not None else quoted
            if not isinstance(value, dict) or name not in value:
                return _MISSING
            value = value[name]
        position = step.end()
    return value


def validate_target_input(target: dict[str, Any]) -> None:
    """PutTargets' checks of one target's input settings."""
    target_id = target.get("Id", "")
    given = [key for key in ("Input", "InputPath", "InputTransformer") if key in target]
    if len(given) > 1:
        raise AWSError(
            "ValidationException",
            f"Only one of Input, InputPath, or InputTransformer must be provided for target {target_id}.",
        )
    if "Input" in target:
        try:
            json.loads(target["Input"])
        except ValueError:
            raise AWSError(
                "ValidationException", f"Input for target {target_id} is not valid JSON."
            ) from None
    transformer = target.get("InputTransformer")
    if transformer is not None:
        names = set(transformer.get("InputPathsMap", {})) | set(PREDEFINED)
        for name in PLACEHOLDER.findall(transformer["InputTemplate"]):
            if name not in names:
                raise AWSError(
                    "ValidationException",
                    f"InputTemplate for target {target_id} contains invalid placeholder {name}.",
                )


def render_input(
    target: dict[str, Any], event: dict[str, Any], rule_name: str, rule_arn: str
) -> str:
    if "Input" in target:
        return str(target["Input"])
    if "InputPath" in target:
        value = json_path(event, target["InputPath"])
        return "null" if value is _MISSING else json.dumps(value)
    transformer = target.get("InputTransformer")
    if transformer is None:
        return json.dumps(event)
    values: dict[str, Any] = {
        name: json_path(event, path) for name, path in transformer.get("InputPathsMap", {}).items()
    }
    values.setdefault("aws.events.rule-arn", rule_arn)
    values.setdefault("aws.events.rule-name", rule_name)
    values.setdefault("aws.events.event.ingestion-time", event.get("time"))
    values.setdefault("aws.events.event", _event_without_detail(event))
    values.setdefault("aws.events.event.json", event)
    return fill_template(transformer["InputTemplate"], values)


def _event_without_detail(event: dict[str, Any]) -> dict[str, Any]:
    # As AWS renders <aws.events.event> (recorded): no detail, "detailType".
    return {
        ("detailType" if key == "detail-type" else key): value
        for key, value in event.items()
        if key != "detail"
    }


def fill_template(template: str, values: dict[str, Any]) -> str:
    out: list[str] = []
    inside_string = False
    position = 0
    while position < len(template):
        char = template[position]
        if char == "\\" and inside_string:
            out.append(template[position : position + 2])
            position += 2
            continue
        if char == '"':
            inside_string = not inside_string
        elif char == "<":
            found = PLACEHOLDER.match(template, position)
            if found is not None and found.group(1) in values:
                value = values[found.group(1)]
                out.append(_as_text(value) if inside_string else _as_json(value))
                position = found.end()
                continue
        out.append(char)
        position += 1
    return "".join(out)


def _as_json(value: Any) -> str:
    return "null" if value is _MISSING else json.dumps(value)


def _as_text(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, str):
        return json.dumps(value)[1:-1]
    text = json.dumps(value, separators=(",", ":"))
    return text.replace('"', "")
