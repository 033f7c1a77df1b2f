"""Parameters and their versions as the SSM fake stores them; name and label rules.

Names follow https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html:
letters, digits and ``. - _``, sub-paths divided by ``/`` (then the name
starts with ``/``), at most 15 levels, never prefixed with ``aws`` or
``ssm``. Labels follow
https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventproof_fakes.errors import AWSError

DEFAULT_KEY_ID = "alias/aws/ssm"
MAX_HIERARCHY_LEVELS = 15
MAX_LABELS_PER_VERSION = 10
MAX_VERSIONS = 100
MAX_STANDARD_VALUE_BYTES = 4096
TYPES = ("String", "StringList", "SecureString")

_NAME_CHARS = re.compile(r"^[a-zA-Z0-9_.\-/]+$")
_LABEL_CHARS = re.compile(r"^[a-zA-Z0-9_.\-]+$")
_NAME_RULES = (
    'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as '
    "a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed "
    "as a mix of letters, numbers and the following 3 symbols .-_"
)


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def not_found(name: str) -> AWSError:
    return AWSError("ParameterNotFound", f"Parameter {name} not found.")


def check_name(name: str) -> None:
    """Raise AWS's ValidationException for a name Parameter Store refuses."""
    bare = name.lstrip("/").lower()
    if not _NAME_CHARS.match(name) or bare.startswith(("aws", "ssm")) or "//" in name:
        raise validation(_NAME_RULES)
    if "/" in name and not name.startswith("/"):
        raise validation("Parameter name must be a fully qualified name.")
    levels = name.strip("/").count("/") + 1
    if levels > MAX_HIERARCHY_LEVELS:
        raise validation(
            f"Parameter name {name} has {levels} hierarchy levels; the maximum is "
            f"{MAX_HIERARCHY_LEVELS}."
        )


def label_is_valid(label: str) -> bool:
    return (
        0 < len(label) <= 100
        and bool(_LABEL_CHARS.match(label))
        and not label.lower().startswith(("aws", "ssm"))
        and not label[0].isdigit()
    )


def split_selector(reference: str) -> tuple[str, str | None]:
    """``/app/db:3`` -> (``/app/db``, ``3``); ``/app/db:prod`` -> (``/app/db``, ``prod``)."""
    if reference.startswith("arn:") and ":parameter/" in reference:
        # The ARN of ``/app/db`` is ``...:parameter/app/db``; the store resolves the slash.
        reference = "arn:" + reference.split(":parameter/", 1)[1]
    name, colon, selector = reference.removeprefix("arn:").partition(":")
    if reference.startswith("arn:"):
        name = "arn:" + name
    return name, (selector if colon else None)


@dataclass
class Version:
    number: int
    value: str
    type: str
    key_id: str | None
    description: str | None
    allowed_pattern: str | None
    data_type: str
    modified: datetime
    modified_by: str
    labels: list[str] = field(default_factory=list)


@dataclass
class Parameter:
    name: str
    arn: str
    versions: dict[int, Version] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    next_version: int = 1

    @property
    def latest(self) -> Version:
        return self.versions[max(self.versions)]

    def select(self, selector: str | None) -> Version:
        """The version a ``name:3`` / ``name:label`` selector picks (latest when None)."""
        if selector is None:
            return self.latest
        if selector.isdigit():
            version = self.versions.get(int(selector))
            if version is None:
                raise AWSError(
                    "ParameterVersionNotFound",
                    f"Systems Manager could not find version {selector} of {self.name}. "
                    "Verify the version and try again.",
                )
            return version
        for version in self.versions.values():
            if selector in version.labels:
                return version
        raise not_found(f"{self.name}:{selector}")

    def shown(self, version: Version, decrypt: bool, selector: str | None = None) -> dict[str, Any]:
        """The ``Parameter`` of GetParameter(s) / GetParametersByPath."""
        shown: dict[str, Any] = {
            "Name": self.name,
            "Type": version.type,
            "Value": self.value_of(version, decrypt),
            "Version": version.number,
            "LastModifiedDate": version.modified,
            "ARN": self.arn,
            "DataType": version.data_type,
        }
        if selector is not None:
            shown["Selector"] = f":{selector}"
        return shown

    def value_of(self, version: Version, decrypt: bool) -> str:
        if version.type != "SecureString" or decrypt:
            return version.value
        return ciphertext(self.name, version)

    def metadata(self) -> dict[str, Any]:
        """The entry DescribeParameters lists: everything but the value."""
        latest = self.latest
        described: dict[str, Any] = {
            "Name": self.name,
            "ARN": self.arn,
            "Type": latest.type,
            "LastModifiedDate": latest.modified,
            "LastModifiedUser": latest.modified_by,
            "Version": latest.number,
            "Tier": "Standard",
            "Policies": [],
            "DataType": latest.data_type,
        }
        optional = {
            "KeyId": latest.key_id,
            "Description": latest.description,
            "AllowedPattern": latest.allowed_pattern,
        }
        described.update({key: value for key, value in optional.items() if value is not None})
        return described

    def history_entry(self, version: Version, decrypt: bool) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "Name": self.name,
            "Type": version.type,
            "LastModifiedDate": version.modified,
            "LastModifiedUser": version.modified_by,
            "Value": self.value_of(version, decrypt),
            "Version": version.number,
            "Labels": list(version.labels),
            "Tier": "Standard",
            "Policies": [],
            "DataType": version.data_type,
        }
        optional = {
            "KeyId": version.key_id,
            "Description": version.description,
            "AllowedPattern": version.allowed_pattern,
        }
        entry.update({key: value for key, value in optional.items() if value is not None})
        return entry


def ciphertext(name: str, version: Version) -> str:
    """What AWS returns for a SecureString read without decryption: an opaque KMS blob.

    Not real encryption: a deterministic base64 string derived from the key,
    name and version, which never contains the plaintext.
    """
    digest = hashlib.sha256(f"{version.key_id}|{name}|{version.number}|{version.value}".encode())
    blob = b"\x01\x02\x02\x00x" + digest.digest() + hashlib.sha256(digest.digest()).digest()
    return base64.b64encode(blob).decode()
