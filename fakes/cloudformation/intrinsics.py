"""CloudFormation's intrinsic functions, resolved against a stack being built.

Modelled: ``Ref`` (resources, parameters, pseudo parameters), ``Fn::GetAtt``,
``Fn::Sub`` (both forms), ``Fn::Join``, ``Fn::Select``, ``Fn::Split``,
``Fn::If`` / ``Fn::Equals`` / ``Fn::Not`` / ``Fn::And`` / ``Fn::Or`` /
``Condition``, ``Fn::FindInMap``, ``Fn::ImportValue`` (from the imports
given), ``Fn::GetAZs``, ``Fn::Base64``, ``Fn::Length``, ``Fn::ToJsonString``.
Anything else raises ``Unresolvable``: the caller reports it with its place
and leaves the property out, never inventing a value.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "NO_VALUE",
    "PSEUDO_PARAMETERS",
    "Resolver",
    "Unresolvable",
    "references",
]

PSEUDO_PARAMETERS = (
    "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
    "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
)
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()


class Unresolvable(Exception):
    """An intrinsic (or a reference) this stack cannot resolve; ``what`` names it.

    ``template_error``: the template is wrong (a bad argument, a dangling name),
    so deploying it must fail. Otherwise the fakes lack something (an intrinsic
    they do not model, a resource they could not build): the property using it
    is reported and left out.
    """

    def __init__(self, what: str, detail: str, *, template_error: bool = True) -> None:
        super().__init__(f"{what}: {detail}")
        self.what = what
        self.detail = detail
        self.template_error = template_error


def _intrinsic(value: Any) -> tuple[str, Any] | None:
    if isinstance(value, dict) and len(value) == 1:
        ((key, argument),) = value.items()
        if key == "Ref" or key == "Condition" or key.startswith("Fn::"):
            return key, argument
    return None


def references(value: Any) -> Iterator[str]:
    """Every logical name ``value`` refers to (by Ref, GetAtt or Sub); parameters included."""
    intrinsic = _intrinsic(value)
    if intrinsic is not None:
        name, argument = intrinsic
        if name == "Ref" and isinstance(argument, str):
            yield argument
            return
        if name == "Fn::GetAtt":
            if isinstance(argument, str):
                yield argument.partition(".")[0]
            elif isinstance(argument, list) and argument and isinstance(argument[0], str):
                yield argument[0]
                yield from references(argument[1:])
            return
        if name == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else ([*argument, {}] if isinstance(argument, list) else [None, {}])[:2]
            if isinstance(text, str):
                for variable in _SUB_VARIABLE.findall(text):
                    if variable.startswith("!"):
                        continue
                    target = variable.partition(".")[0]
                    if not isinstance(variables, dict) or target not in variables:
                        yield target
            if isinstance(variables, dict):
                for item in variables.values():
                    yield from references(item)
            return
        yield from references(argument)
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


@dataclass
class Resolver:
    """Resolves intrinsics with what the stack knows so far.

    ``ref`` and ``get_att`` answer for resources (raising ``Unresolvable``
    for what they do not know); ``parameters`` are already validated values.
    """

    parameters: dict[str, Any]
    pseudo: dict[str, Any]
    mappings: dict[str, Any]
    imports: dict[str, str]
    condition_definitions: dict[str, Any]
    ref: Callable[[str], Any]
    get_att: Callable[[str, str], Any]
    _conditions: dict[str, bool] = field(default_factory=dict)
    _evaluating: set[str] = field(default_factory=set)

    # --- conditions -----------------------------------------------------------
    def condition(self, name: str) -> bool:
        if name in self._conditions:
            return self._conditions[name]
        if name not in self.condition_definitions:
            raise Unresolvable("Condition", f"no condition named {name!r}")
        if name in self._evaluating:
            raise Unresolvable("Condition", f"condition {name!r} refers to itself")
        self._evaluating.add(name)
        try:
            value = self.resolve(self.condition_definitions[name])
        finally:
            self._evaluating.discard(name)
        if not isinstance(value, bool):
            raise Unresolvable("Condition", f"condition {name!r} is {value!r}, not true or false")
        self._conditions[name] = value
        return value

    # --- values -------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic replaced; ``NO_VALUE`` entries dropped."""
        intrinsic = _intrinsic(value)
        if intrinsic is not None:
            return self._call(*intrinsic)
        if isinstance(value, dict):
            resolved = {key: self.resolve(item) for key, item in value.items()}
            return {key: item for key, item in resolved.items() if item is not NO_VALUE}
        if isinstance(value, list):
            items = [self.resolve(item) for item in value]
            return [item for item in items if item is not NO_VALUE]
        return value

    def _call(self, name: str, argument: Any) -> Any:
        method = _FUNCTIONS.get(name)
        if method is None:
            raise Unresolvable(
                name, "eventproof's fake CloudFormation does not model this intrinsic", template_error=False
            )
        return method(self, argument)

    def _ref(self, argument: Any) -> Any:
        if not isinstance(argument, str):
            raise Unresolvable("Ref", f"expected a logical name, got {argument!r}")
        if argument == "AWS::NoValue":
            return NO_VALUE
        if argument in self.pseudo:
            return self.pseudo[argument]
        if argument.startswith("AWS::"):
            raise Unresolvable("Ref", f"unknown pseudo parameter {argument}")
        if argument in self.parameters:
            return self.parameters[argument]
        return self.ref(argument)

    def _get_att(self, argument: Any) -> Any:
        if isinstance(argument, str):
            argument = list(argument.partition(".")[::2])
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolvable("Fn::GetAtt", f"expected [LogicalId, Attribute], got {argument!r}")
        logical_id, attribute = argument[0], self.resolve(argument[1])
        return self.get_att(str(logical_id), str(attribute))

    def _sub(self, argument: Any) -> str:
        if isinstance(argument, str):
            text, variables = argument, {}
        elif isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            text, variables = argument[0], {k: self.resolve(v) for k, v in argument[1].items()}
        else:
            raise Unresolvable("Fn::Sub", f"expected a string or [string, {{variables}}], got {argument!r}")
        if not isinstance(text, str):
            raise Unresolvable("Fn::Sub", f"expected a string to substitute into, got {text!r}")

        def substitute(match: re.Match[str]) -> str:
            variable = match.group(1)
            if variable.startswith("!"):
                return "${" + variable[1:] + "}"
            if variable in variables:
                return _text(variables[variable])
            if "." in variable and not variable.startswith("AWS::"):
                resource, _, attribute = variable.partition(".")
                return _text(self.get_att(resource, attribute))
            return _text(self._ref(variable))

        return _SUB_VARIABLE.sub(substitute, text)

    def _join(self, argument: Any) -> str:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolvable("Fn::Join", f"expected [delimiter, [values]], got {argument!r}")
        delimiter, items = argument[0], self.resolve(argument[1])
        if not isinstance(items, list):
            raise Unresolvable("Fn::Join", f"expected a list of values, got {items!r}")
        return str(delimiter).join(_text(item) for item in items)

    def _select(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolvable("Fn::Select", f"expected [index, [values]], got {argument!r}")
        index, items = self.resolve(argument[0]), self.resolve(argument[1])
        if not isinstance(items, list) or not str(index).isdigit() or int(index) >= len(items):
            raise Unresolvable("Fn::Select", f"index {index!r} is not within {items!r}")
        return items[int(index)]

    def _split(self, argument: Any) -> list[str]:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolvable("Fn::Split", f"expected [delimiter, string], got {argument!r}")
        return str(self.resolve(argument[1])).split(str(argument[0]))

    def _if(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 3):
            raise Unresolvable("Fn::If", f"expected [condition, if-true, if-false], got {argument!r}")
        return self.resolve(argument[1] if self.condition(str(argument[0])) else argument[2])

    def _equals(self, argument: Any) -> bool:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolvable("Fn::Equals", f"expected [value, value], got {argument!r}")
        left, right = (self.resolve(item) for item in argument)
        return _text(left) == _text(right) if not isinstance(left, list | dict) else left == right

    def _not(self, argument: Any) -> bool:
        if not (isinstance(argument, list) and len(argument) == 1):
            raise Unresolvable("Fn::Not", f"expected [condition], got {argument!r}")
        return not self._truth(argument[0])

    def _and(self, argument: Any) -> bool:
        if not (isinstance(argument, list) and 2 <= len(argument) <= 10):
            raise Unresolvable("Fn::And", f"expected 2 to 10 conditions, got {argument!r}")
        return all([self._truth(item) for item in argument])

    def _or(self, argument: Any) -> bool:
        if not (isinstance(argument, list) and 2 <= len(argument) <= 10):
            raise Unresolvable("Fn::Or", f"expected 2 to 10 conditions, got {argument!r}")
        return any([self._truth(item) for item in argument])

    def _truth(self, item: Any) -> bool:
        value = self.resolve(item)
        if not isinstance(value, bool):
            raise Unresolvable("Condition", f"expected true or false, got {value!r}")
        return value

    def _condition(self, argument: Any) -> bool:
        return self.condition(str(argument))

    def _find_in_map(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) in (3, 4)):
            raise Unresolvable("Fn::FindInMap", f"expected [map, key, key], got {argument!r}")
        name, first, second = (self.resolve(item) for item in argument[:3])
        try:
            return self.mappings[name][str(first)][str(second)]
        except (KeyError, TypeError):
            if len(argument) == 4 and isinstance(argument[3], dict) and "DefaultValue" in argument[3]:
                return self.resolve(argument[3]["DefaultValue"])
            raise Unresolvable(
                "Fn::FindInMap", f"no {name}/{first}/{second} in Mappings"
            ) from None

    def _import_value(self, argument: Any) -> Any:
        name = self.resolve(argument)
        if name not in self.imports:
            known = ", ".join(sorted(self.imports)) or "none"
            raise Unresolvable(
                "Fn::ImportValue",
                f"no export named {name!r} (pass it with --import {name}=VALUE; known: {known})",
            )
        return self.imports[name]

    def _get_azs(self, argument: Any) -> list[str]:
        region = self.resolve(argument) or self.pseudo["AWS::Region"]
        return [f"{region}{zone}" for zone in "abc"]

    def _base64(self, argument: Any) -> str:
        return base64.b64encode(_text(self.resolve(argument)).encode()).decode()

    def _length(self, argument: Any) -> int:
        value = self.resolve(argument)
        if not isinstance(value, list):
            raise Unresolvable("Fn::Length", f"expected a list, got {value!r}")
        return len(value)

    def _to_json_string(self, argument: Any) -> str:
        return json.dumps(self.resolve(argument), separators=(",", ":"))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        raise Unresolvable("Fn::Sub", f"cannot put a list or mapping into a string: {value!r}")
    return str(value)


_FUNCTIONS: dict[str, Callable[[Resolver, Any], Any]] = {
    "Ref": Resolver._ref,
    "Condition": Resolver._condition,
    "Fn::GetAtt": Resolver._get_att,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split,
    "Fn::If": Resolver._if,
    "Fn::Equals": Resolver._equals,
    "Fn::Not": Resolver._not,
    "Fn::And": Resolver._and,
    "Fn::Or": Resolver._or,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::ImportValue": Resolver._import_value,
    "Fn::GetAZs": Resolver._get_azs,
    "Fn::Base64": Resolver._base64,
    "Fn::Length": Resolver._length,
    "Fn::ToJsonString": Resolver._to_json_string,
}
