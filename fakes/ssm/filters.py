"""``ParameterFilters`` of GetParametersByPath and DescribeParameters.

GetParametersByPath accepts the keys ``Type``, ``KeyId`` and ``Label``;
DescribeParameters accepts ``Name``, ``Type``, ``KeyId``, ``Path``,
``Tier``, ``DataType`` and ``tag:<key>``
(https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html).
Any other key is refused with AWS's ``InvalidFilterKey``; an option the
fake does not model is refused with ``InvalidFilterOption``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.ssm.parameters import Parameter, Version

BY_PATH_KEYS = ("Type", "KeyId", "Label")
DESCRIBE_KEYS = ("Name", "Type", "KeyId", "Path", "Tier", "DataType")

# A filter keeps a parameter (and, for Label, picks the version it reports).
Test = Callable[[Parameter], Version | None]


def compile_filters(filters: list[dict[str, Any]], allowed: tuple[str, ...]) -> list[Test]:
    tests: list[Test] = []
    for spec in filters:
        key, option, values = spec["Key"], spec.get("Option") or "Equals", spec.get("Values") or []
        if key not in allowed and not (key.startswith("tag:") and "Path" in allowed):
            keys = ", ".join(allowed)
            raise AWSError(
                "InvalidFilterKey",
                f"The following filter key is not valid: {key}. Valid filter keys include: [{keys}].",
            )
        tests.append(_test(key, option, values))
    return tests


def apply(parameter: Parameter, tests: list[Test]) -> Version | None:
    """The version to report if ``parameter`` passes every filter, else None."""
    chosen = parameter.latest
    for test in tests:
        version = test(parameter)
        if version is None:
            return None
        if version is not parameter.latest:
            chosen = version
    return chosen


def _invalid_option(key: str, option: str) -> AWSError:
    return AWSError(
        "InvalidFilterOption",
        f"The following filter option is not valid: {option}. "
        f"eventproof's fake ssm models these options for {key}: {_OPTIONS.get(key, ('Equals',))}",
    )


_OPTIONS = {"Name": ("Equals", "BeginsWith", "Contains"), "Path": ("Recursive", "OneLevel")}


def _test(key: str, option: str, values: list[str]) -> Test:
    if option not in _OPTIONS.get(key, ("Equals",)):
        raise _invalid_option(key, option)
    if key == "Label":
        def by_label(parameter: Parameter) -> Version | None:
            for version in parameter.versions.values():
                if any(label in version.labels for label in values):
                    return version
            return None

        return by_label
    if key == "Name":
        def by_name(parameter: Parameter) -> Version | None:
            name = parameter.name
            matches = {
                "Equals": lambda value: name in (value, "/" + value.lstrip("/")),
                "BeginsWith": lambda value: name.startswith(value) or name.lstrip("/").startswith(value),
                "Contains": lambda value: value in name,
            }[option]
            return parameter.latest if any(matches(v) for v in values) else None

        return by_name
    if key == "Path":
        def by_path(parameter: Parameter) -> Version | None:
            return parameter.latest if any(
                in_path(parameter.name, value, recursive=option == "Recursive") for value in values
            ) else None

        return by_path
    if key.startswith("tag:"):
        tag = key[4:]

        def by_tag(parameter: Parameter) -> Version | None:
            value = parameter.tags.get(tag)
            return parameter.latest if value is not None and (not values or value in values) else None

        return by_tag
    attribute = {"Type": "type", "KeyId": "key_id", "Tier": "tier", "DataType": "data_type"}[key]

    def by_attribute(parameter: Parameter) -> Version | None:
        latest = parameter.latest
        value = "Standard" if attribute == "tier" else getattr(latest, attribute)
        return latest if value in values else None

    return by_attribute


def in_path(name: str, path: str, *, recursive: bool) -> bool:
    """Whether ``name`` lies under ``path`` (directly, or anywhere below when recursive)."""
    prefix = path.rstrip("/") + "/"
    if not name.startswith(prefix) or name == prefix:
        return False
    return recursive or "/" not in name[len(prefix):]
