"""The SSM Parameter Store fake."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.pagination import InvalidToken, page
from eventproof_fakes.ssm import filters
from eventproof_fakes.ssm.parameters import (
    DEFAULT_KEY_ID,
    MAX_LABELS_PER_VERSION,
    MAX_STANDARD_VALUE_BYTES,
    MAX_VERSIONS,
    TYPES,
    Parameter,
    Version,
    check_name,
    label_is_valid,
    not_found,
    split_selector,
    validation,
)
from eventproof_fakes.sts import caller_arn

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["SSM"]


def _max_results(params: dict[str, Any], default: int, high: int) -> int:
    value = params.get("MaxResults", default)
    if value > high:
        raise validation(
            f"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy "
            f"constraint: Member must have value less than or equal to {high}"
        )
    return int(value)


def _page(items: list[Any], size: int, token: str | None) -> tuple[list[Any], str | None]:
    try:
        return page(items, size, token)
    except InvalidToken:
        raise AWSError("InvalidNextToken", "The specified token isn't valid.") from None


class SSM:
    """Parameter Store only (no documents, commands, automation).

    Simplifications: SecureString values are stored in plaintext; read
    without ``WithDecryption`` they come back as an opaque, deterministic
    base64 blob (never the plaintext), as AWS returns KMS ciphertext. KMS
    keys are not checked. Only the Standard tier exists: ``Tier`` other
    than ``Standard``, ``Policies`` and the ``aws:ec2:image`` data type are
    refused. ``LastModifiedUser`` is the fake caller of ``eventproof_fakes.sts``.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.parameters: dict[str, Parameter] = {}

    # --- Python API -------------------------------------------------------
    def value(self, name: str) -> str:
        """The plaintext latest value of a parameter (for tests)."""
        return self._parameter(name).latest.value

    # --- writing ----------------------------------------------------------
    @operation(refuses=("Policies",))
    def put_parameter(self, params: dict[str, Any]) -> dict[str, Any]:
        name, value = params["Name"], params["Value"]
        check_name(name)
        if params.get("Tier", "Standard") != "Standard":
            raise AWSError(
                "UnsupportedParameter",
                f"eventproof's fake ssm models only the Standard tier, not {params['Tier']}",
            )
        if params.get("DataType", "text") != "text":
            raise AWSError(
                "UnsupportedParameter",
                f"eventproof's fake ssm models only DataType text, not {params['DataType']}",
            )
        if len(value.encode()) > MAX_STANDARD_VALUE_BYTES:
            raise validation(
                "Standard tier parameters support a maximum parameter value of 4096 characters. "
                "To create a larger parameter value, upgrade the parameter to use the advanced-"
                "parameter tier."
            )
        existing = self.parameters.get(name)
        if existing is not None and not params.get("Overwrite"):
            raise AWSError(
                "ParameterAlreadyExists",
                "The parameter already exists. To overwrite this value, set the overwrite option "
                "in the request to true.",
            )
        if params.get("Overwrite") and params.get("Tags"):
            raise validation(
                "Invalid request: tags and overwrite can't be used together. To create a "
                "parameter with tags, please remove overwrite flag. To update tags for an "
                "existing parameter, please use AddTagsToResource or RemoveTagsFromResource."
            )
        previous = existing.latest if existing is not None else None
        kind = params.get("Type") or (previous.type if previous else None)
        if kind is None:
            raise validation("A parameter type is required when you create a parameter.")
        if kind not in TYPES:
            raise validation(f"Parameter type {kind} is not valid.")
        if params.get("KeyId") and kind != "SecureString":
            raise validation("KeyId is only supported for SecureString parameters.")
        pattern = params.get("AllowedPattern", previous.allowed_pattern if previous else None)
        if pattern is not None and not re.fullmatch(pattern, value):
            raise AWSError(
                "ParameterPatternMismatchException",
                f"Parameter value, cannot be validated against allowedPattern: {pattern}",
            )
        parameter = existing or Parameter(name, self.env.arn("ssm", "parameter/" + name.lstrip("/")))
        self._make_room(parameter)
        number = parameter.next_version
        parameter.next_version += 1
        parameter.versions[number] = Version(
            number=number,
            value=value,
            type=kind,
            key_id=(params.get("KeyId") or DEFAULT_KEY_ID) if kind == "SecureString" else None,
            description=params.get("Description", previous.description if previous else None),
            allowed_pattern=pattern,
            data_type="text",
            modified=self.env.clock.now_datetime(),
            modified_by=self._caller(),
        )
        for tag in params.get("Tags") or []:
            parameter.tags[tag["Key"]] = tag["Value"]
        self.parameters[name] = parameter
        return {"Version": number, "Tier": "Standard"}

    def _make_room(self, parameter: Parameter) -> None:
        """At 100 versions the oldest goes, unless it carries a label."""
        if len(parameter.versions) < MAX_VERSIONS:
            return
        oldest = parameter.versions[min(parameter.versions)]
        if oldest.labels:
            raise AWSError(
                "ParameterMaxVersionLimitExceeded",
                f"You attempted to create a new version of {parameter.name} by calling the "
                f"PutParameter API with the overwrite flag. Version {oldest.number}, the oldest "
                "version, can't be deleted because it has a label associated with it. Move the "
                "label to another version of the parameter, and try again.",
            )
        del parameter.versions[oldest.number]

    @operation
    def delete_parameter(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.parameters.pop(params["Name"], None) is None:
            raise not_found(params["Name"])
        return {}

    @operation
    def delete_parameters(self, params: dict[str, Any]) -> dict[str, Any]:
        deleted: list[str] = []
        invalid: list[str] = []
        for name in params["Names"]:
            (deleted if self.parameters.pop(name, None) is not None else invalid).append(name)
        return {"DeletedParameters": deleted, "InvalidParameters": invalid}

    @operation
    def label_parameter_version(self, params: dict[str, Any]) -> dict[str, Any]:
        parameter = self._parameter(params["Name"])
        selector = params.get("ParameterVersion")
        version = parameter.select(None if selector is None else str(selector))
        labels = params["Labels"]
        invalid = [label for label in labels if not label_is_valid(label)]
        valid = [label for label in labels if label_is_valid(label)]
        if len(set(version.labels) | set(valid)) > MAX_LABELS_PER_VERSION:
            raise AWSError(
                "ParameterVersionLabelLimitExceeded",
                "A parameter version can have maximum 10 labels.Move one or more labels to "
                "another version and try again.",
            )
        for label in valid:
            for other in parameter.versions.values():  # a label moves between versions
                if label in other.labels:
                    other.labels.remove(label)
            version.labels.append(label)
        return {"InvalidLabels": invalid, "ParameterVersion": version.number}

    @operation
    def unlabel_parameter_version(self, params: dict[str, Any]) -> dict[str, Any]:
        parameter = self._parameter(params["Name"])
        version = parameter.select(str(params["ParameterVersion"]))
        removed = [label for label in params["Labels"] if label in version.labels]
        version.labels = [label for label in version.labels if label not in removed]
        invalid = [label for label in params["Labels"] if label not in removed]
        return {"RemovedLabels": removed, "InvalidLabels": invalid}

    # --- reading ----------------------------------------------------------
    @operation
    def get_parameter(self, params: dict[str, Any]) -> dict[str, Any]:
        name, selector = split_selector(params["Name"])
        parameter = self._parameter(name)
        version = parameter.select(selector)
        return {"Parameter": parameter.shown(version, bool(params.get("WithDecryption")), selector)}

    @operation
    def get_parameters(self, params: dict[str, Any]) -> dict[str, Any]:
        names = params["Names"]
        if len(names) > 10:
            raise validation(
                f"1 validation error detected: Value '{names}' at 'names' failed to satisfy "
                "constraint: Member must have length less than or equal to 10"
            )
        found: list[dict[str, Any]] = []
        invalid: list[str] = []
        for reference in dict.fromkeys(names):
            name, selector = split_selector(reference)
            parameter = self._find(name)
            try:
                if parameter is None:
                    raise not_found(name)
                version = parameter.select(selector)
            except AWSError:
                invalid.append(reference)
                continue
            found.append(parameter.shown(version, bool(params.get("WithDecryption")), selector))
        return {"Parameters": found, "InvalidParameters": invalid}

    @operation
    def get_parameters_by_path(self, params: dict[str, Any]) -> dict[str, Any]:
        path = params["Path"]
        if not path.startswith("/"):
            raise validation(
                'The parameter doesn\'t meet the parameter name requirements. The parameter name '
                'must begin with a forward slash "/".'
            )
        tests = filters.compile_filters(params.get("ParameterFilters") or [], filters.BY_PATH_KEYS)
        recursive, decrypt = bool(params.get("Recursive")), bool(params.get("WithDecryption"))
        matches = []
        for name in sorted(self.parameters):
            parameter = self.parameters[name]
            if path != "/" and not filters.in_path(name, path, recursive=recursive):
                continue
            if path == "/" and (not name.startswith("/") or (not recursive and name.count("/") > 1)):
                continue
            version = filters.apply(parameter, tests)
            if version is not None:
                matches.append(parameter.shown(version, decrypt))
        items, token = _page(matches, _max_results(params, 10, 10), params.get("NextToken"))
        return {"Parameters": items, **({"NextToken": token} if token else {})}

    @operation
    def get_parameter_history(self, params: dict[str, Any]) -> dict[str, Any]:
        parameter = self._parameter(split_selector(params["Name"])[0])
        decrypt = bool(params.get("WithDecryption"))
        entries = [parameter.history_entry(parameter.versions[n], decrypt) for n in sorted(parameter.versions)]
        items, token = _page(entries, _max_results(params, 50, 50), params.get("NextToken"))
        return {"Parameters": items, **({"NextToken": token} if token else {})}

    @operation(refuses=("Filters", "Shared"))
    def describe_parameters(self, params: dict[str, Any]) -> dict[str, Any]:
        tests = filters.compile_filters(params.get("ParameterFilters") or [], filters.DESCRIBE_KEYS)
        described = [
            self.parameters[name].metadata()
            for name in sorted(self.parameters)
            if filters.apply(self.parameters[name], tests) is not None
        ]
        items, token = _page(described, _max_results(params, 10, 50), params.get("NextToken"))
        return {"Parameters": items, **({"NextToken": token} if token else {})}

    # --- tags -------------------------------------------------------------
    @operation
    def add_tags_to_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        parameter = self._tagged(params)
        for tag in params["Tags"]:
            parameter.tags[tag["Key"]] = tag["Value"]
        return {}

    @operation
    def remove_tags_from_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        parameter = self._tagged(params)
        for key in params["TagKeys"]:
            parameter.tags.pop(key, None)
        return {}

    @operation
    def list_tags_for_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        parameter = self._tagged(params)
        return {"TagList": [{"Key": k, "Value": v} for k, v in sorted(parameter.tags.items())]}

    # --- helpers ----------------------------------------------------------
    def _tagged(self, params: dict[str, Any]) -> Parameter:
        if params["ResourceType"] != "Parameter":
            raise AWSError(
                "InvalidResourceType",
                f"eventproof's fake ssm models tags on parameters only, not {params['ResourceType']}",
            )
        try:
            return self._parameter(params["ResourceId"])
        except AWSError:
            raise AWSError("InvalidResourceId", "The resource ID is not valid.") from None

    def _parameter(self, name: str) -> Parameter:
        name = split_selector(name)[0]
        parameter = self._find(name)
        if parameter is None:
            raise not_found(name.removeprefix("arn:"))
        return parameter

    def _find(self, name: str) -> Parameter | None:
        if name.startswith("arn:"):  # from an ARN: ``parameter/app/db`` is ``/app/db`` or ``app/db``
            tail = name.removeprefix("arn:")
            return self.parameters.get("/" + tail) or self.parameters.get(tail)
        return self.parameters.get(name)

    def _caller(self) -> str:
        return caller_arn(self.env)
