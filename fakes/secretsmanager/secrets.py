"""Secrets, their versions and staging labels, as the Secrets Manager fake stores them.

Labels follow https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html:
a label sits on at most one version of a secret; when ``AWSCURRENT`` moves
to another version, ``AWSPREVIOUS`` moves to the version it left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventproof_fakes.errors import AWSError

CURRENT, PENDING, PREVIOUS = "AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"


def not_found(message: str = "Secrets Manager can't find the specified secret.") -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def invalid_request(message: str) -> AWSError:
    return AWSError("InvalidRequestException", message)


def invalid_parameter(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message)


@dataclass
class SecretVersion:
    version_id: str
    string: str | None
    binary: bytes | None
    created: datetime
    stages: list[str] = field(default_factory=list)

    def same_value(self, string: str | None, binary: bytes | None) -> bool:
        return (self.string, self.binary) == (string, binary)


@dataclass
class Secret:
    name: str
    arn: str
    created: datetime
    description: str | None = None
    kms_key_id: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    versions: dict[str, SecretVersion] = field(default_factory=dict)
    changed: datetime | None = None
    accessed: datetime | None = None
    deleted: datetime | None = None  # when DeleteSecret was called
    deletion_date: datetime | None = None  # when it goes for good
    rotation_lambda: str | None = None
    rotation_rules: dict[str, Any] | None = None
    rotation_enabled: bool = False
    last_rotated: datetime | None = None
    next_rotation: datetime | None = None

    def holder(self, stage: str) -> SecretVersion | None:
        """The version carrying ``stage``, if any."""
        for version in self.versions.values():
            if stage in version.stages:
                return version
        return None

    def attach(self, stage: str, version: SecretVersion) -> None:
        """Put ``stage`` on ``version`` (taking it off any other); AWSCURRENT drags AWSPREVIOUS."""
        previous = self.holder(stage)
        if previous is version:
            return
        if previous is not None:
            previous.stages.remove(stage)
        version.stages.append(stage)
        if stage == CURRENT and previous is not None:
            self.attach(PREVIOUS, previous)

    def detach(self, stage: str, version: SecretVersion) -> None:
        if stage in version.stages:
            version.stages.remove(stage)

    def add_version(self, version: SecretVersion, stages: list[str]) -> None:
        self.versions[version.version_id] = version
        for stage in stages:
            self.attach(stage, version)

    def version_stages(self) -> dict[str, list[str]]:
        """``VersionIdsToStages``: versions without a label are deprecated and not listed."""
        return {v.version_id: list(v.stages) for v in self.versions.values() if v.stages}

    def pick(self, version_id: str | None, stage: str | None) -> SecretVersion:
        """The version GetSecretValue reads: by id, by label, or AWSCURRENT."""
        if version_id is not None:
            version = self.versions.get(version_id)
            if version is None or (stage is not None and stage not in version.stages):
                raise not_found(
                    f"Secrets Manager can't find the specified secret value for VersionId: {version_id}"
                )
            return version
        stage = stage or CURRENT
        version = self.holder(stage)
        if version is None:
            raise not_found(
                f"Secrets Manager can't find the specified secret value for staging label: {stage}"
            )
        return version

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ARN": self.arn,
            "Name": self.name,
            "CreatedDate": self.created,
            "LastChangedDate": self.changed or self.created,
            "VersionIdsToStages": self.version_stages(),
        }
        if self.rotation_lambda is not None or self.rotation_enabled:
            described["RotationEnabled"] = self.rotation_enabled
        optional = {
            "Description": self.description,
            "KmsKeyId": self.kms_key_id,
            "RotationLambdaARN": self.rotation_lambda,
            "RotationRules": self.rotation_rules,
            "LastRotatedDate": self.last_rotated,
            "NextRotationDate": self.next_rotation if self.rotation_enabled else None,
            "LastAccessedDate": self.accessed,
            "DeletedDate": self.deletion_date,
            "Tags": list(self.tags) if self.tags else None,
        }
        described.update({key: value for key, value in optional.items() if value is not None})
        return described
