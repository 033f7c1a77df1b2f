"""The Secrets Manager fake: secrets, versions, staging labels, deletion, listing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from eventproof_fakes.clock import Timer
from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.pagination import InvalidToken, page
from eventproof_fakes.secretsmanager.listing import matches_filters
from eventproof_fakes.secretsmanager.rotation import RotationAPI
from eventproof_fakes.secretsmanager.secrets import (
    CURRENT,
    Secret,
    SecretVersion,
    invalid_parameter,
    invalid_request,
    not_found,
)

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["SecretsManager"]

_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")
_REFUSED_REPLICAS = ("AddReplicaRegions", "ForceOverwriteReplicaSecret", "Type", "CrossAccountPrimaryARN")


class SecretsManager(RotationAPI):
    """Secrets with versions and staging labels; rotation through the Lambda fake.

    Simplifications: values are kept in plaintext (no KMS); replicas,
    resource policies and managed (external) rotation are refused. A
    deleted secret goes for good when its recovery window ends on the
    virtual clock (a background timer). See ``eventproof_fakes.secretsmanager.rotation``.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.secrets: dict[str, Secret] = {}
        self._deletions: dict[str, Timer] = {}
        self._init_rotation()

    # --- Python API -------------------------------------------------------
    def current_value(self, secret_id: str) -> str | bytes | None:
        """The AWSCURRENT value of a secret (for tests)."""
        version = self._secret(secret_id, allow_deleted=True).pick(None, CURRENT)
        return version.string if version.string is not None else version.binary

    # --- create, read, write ----------------------------------------------
    @operation(refuses=_REFUSED_REPLICAS)
    def create_secret(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        if not _NAME.match(name):
            raise invalid_parameter(
                "Invalid name. Must be a valid name containing alphanumeric characters, or any of "
                "the following: -/_+=.@!"
            )
        existing = self.secrets.get(name)
        if existing is not None:
            if existing.deleted is not None:
                raise invalid_request(
                    "You can't create this secret because a secret with this name is already "
                    "scheduled for deletion."
                )
            raise AWSError(
                "ResourceExistsException",
                f"The operation failed because the secret {name} already exists.",
            )
        string, binary = _value(params)
        now = self.env.clock.now_datetime()
        secret = Secret(
            name,
            self.env.arn("secretsmanager", f"secret:{name}-{self.env.ids.token(6)}"),
            now,
            description=params.get("Description"),
            kms_key_id=params.get("KmsKeyId"),
            tags=list(params.get("Tags") or []),
        )
        self.secrets[name] = secret
        response: dict[str, Any] = {"ARN": secret.arn, "Name": name}
        if string is not None or binary is not None:
            version = self._new_version(secret, params.get("ClientRequestToken"), string, binary, [CURRENT])
            response["VersionId"] = version.version_id
        return response

    @operation
    def get_secret_value(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        version = secret.pick(params.get("VersionId"), params.get("VersionStage"))
        now = self.env.clock.now_datetime()
        secret.accessed = now.replace(hour=0, minute=0, second=0, microsecond=0)
        response: dict[str, Any] = {
            "ARN": secret.arn,
            "Name": secret.name,
            "VersionId": version.version_id,
            "VersionStages": list(version.stages),
            "CreatedDate": version.created,
        }
        if version.string is not None:
            response["SecretString"] = version.string
        if version.binary is not None:
            response["SecretBinary"] = version.binary
        return response

    @operation(refuses=("RotationToken",))
    def put_secret_value(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        string, binary = _value(params)
        if string is None and binary is None:
            raise invalid_parameter("You must provide either SecretString or SecretBinary.")
        stages = params.get("VersionStages") or [CURRENT]
        version = self._new_version(secret, params.get("ClientRequestToken"), string, binary, stages)
        return {
            "ARN": secret.arn,
            "Name": secret.name,
            "VersionId": version.version_id,
            "VersionStages": list(version.stages),
        }

    @operation(refuses=("Type",))
    def update_secret(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        if "Description" in params:
            secret.description = params["Description"]
        if "KmsKeyId" in params:
            secret.kms_key_id = params["KmsKeyId"]
        secret.changed = self.env.clock.now_datetime()
        string, binary = _value(params)
        response: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
        if string is not None or binary is not None:
            version = self._new_version(secret, params.get("ClientRequestToken"), string, binary, [CURRENT])
            response["VersionId"] = version.version_id
        return response

    @operation
    def update_secret_version_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        stage = params["VersionStage"]
        holder = secret.holder(stage)
        remove_from, move_to = params.get("RemoveFromVersionId"), params.get("MoveToVersionId")
        moving_away = move_to is not None and holder is not None and holder.version_id != move_to
        if moving_away and holder is not None and remove_from != holder.version_id:
            raise invalid_parameter(
                f"The parameter RemoveFromVersionId can't be empty. Staging label {stage} is "
                f"currently attached to version {holder.version_id}, so you must explicitly "
                "reference that version in RemoveFromVersionId."
            )
        for version_id in (remove_from, move_to):
            if version_id is not None and version_id not in secret.versions:
                raise not_found(f"Secrets Manager can't find the specified secret version: {version_id}")
        if move_to is not None:
            secret.attach(stage, secret.versions[move_to])
        elif remove_from is not None:
            if holder is None or holder.version_id != remove_from:
                raise invalid_parameter(
                    f"The staging label {stage} is not attached to version {remove_from}."
                )
            secret.detach(stage, holder)
        secret.changed = self.env.clock.now_datetime()
        return {"ARN": secret.arn, "Name": secret.name}

    @operation
    def describe_secret(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._secret(params["SecretId"], allow_deleted=True).describe()

    @operation
    def list_secret_version_ids(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"], allow_deleted=True)
        listed = [
            {"VersionId": v.version_id, "VersionStages": list(v.stages), "CreatedDate": v.created}
            for v in secret.versions.values()
            if v.stages or params.get("IncludeDeprecated")
        ]
        items, token = _page(listed, params.get("MaxResults", 100), params.get("NextToken"))
        return {"ARN": secret.arn, "Name": secret.name, "Versions": items, **_token(token)}

    @operation(refuses=("SortBy",))
    def list_secrets(self, params: dict[str, Any]) -> dict[str, Any]:
        include_deleted = bool(params.get("IncludePlannedDeletion"))
        chosen = [
            secret
            for secret in self.secrets.values()
            if (include_deleted or secret.deleted is None)
            and matches_filters(secret, params.get("Filters") or [])
        ]
        chosen.sort(key=lambda s: s.created, reverse=params.get("SortOrder", "desc") == "desc")
        listed = []
        for secret in chosen:
            entry = secret.describe()
            entry["SecretVersionsToStages"] = entry.pop("VersionIdsToStages")
            listed.append(entry)
        items, token = _page(listed, params.get("MaxResults", 100), params.get("NextToken"))
        return {"SecretList": items, **_token(token)}

    # --- deletion ---------------------------------------------------------
    @operation
    def delete_secret(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"], allow_deleted=True)
        force = bool(params.get("ForceDeleteWithoutRecovery"))
        window = params.get("RecoveryWindowInDays")
        if force and window is not None:
            raise invalid_parameter(
                "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
            )
        if window is not None and not 7 <= window <= 30:
            raise invalid_parameter(
                "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
            )
        if secret.deleted is not None and not force:
            raise invalid_request(
                "You can't perform this operation on the secret because it was marked for deletion."
            )
        now = self.env.clock.now_datetime()
        if force:
            self._forget(secret.name)
            return {"ARN": secret.arn, "Name": secret.name, "DeletionDate": now}
        secret.deleted = now
        secret.deletion_date = now + timedelta(days=window or 30)
        self._deletions[secret.name] = self.env.clock.call_at(
            secret.deletion_date.timestamp(),
            lambda: self._forget(secret.name),
            label=f"secretsmanager deletes {secret.name}",
            background=True,
        )
        return {"ARN": secret.arn, "Name": secret.name, "DeletionDate": secret.deletion_date}

    @operation
    def restore_secret(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"], allow_deleted=True)
        secret.deleted = secret.deletion_date = None
        timer = self._deletions.pop(secret.name, None)
        if timer is not None:
            timer.cancel()
        return {"ARN": secret.arn, "Name": secret.name}

    # --- tags -------------------------------------------------------------
    @operation
    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        for tag in params["Tags"]:
            secret.tags = [t for t in secret.tags if t["Key"] != tag["Key"]] + [dict(tag)]
        return {}

    @operation
    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        secret.tags = [t for t in secret.tags if t["Key"] not in params["TagKeys"]]
        return {}

    # --- helpers ----------------------------------------------------------
    def _new_version(
        self,
        secret: Secret,
        token: str | None,
        string: str | None,
        binary: bytes | None,
        stages: list[str],
    ) -> SecretVersion:
        """A new version with ``stages``; a repeated token with the same value is a no-op."""
        version_id = token or self.env.ids.uuid()
        existing = secret.versions.get(version_id)
        if existing is not None:
            if not existing.same_value(string, binary):
                raise AWSError(
                    "ResourceExistsException",
                    "You can't modify an existing version, you can only create a new version.",
                )
            return existing
        version = SecretVersion(version_id, string, binary, self.env.clock.now_datetime())
        secret.add_version(version, stages)
        secret.changed = version.created
        return version

    def _secret(self, secret_id: str, *, allow_deleted: bool = False) -> Secret:
        secret = self._find(secret_id)
        if secret is None:
            raise not_found()
        if secret.deleted is not None and not allow_deleted:
            raise invalid_request(
                "You can't perform this operation on the secret because it was marked for deletion."
            )
        return secret

    def _find(self, secret_id: str) -> Secret | None:
        if not secret_id.startswith("arn:"):
            return self.secrets.get(secret_id)
        for secret in self.secrets.values():
            # A full ARN, or a partial one without the random suffix.
            if secret_id in (secret.arn, secret.arn[:-7]):
                return secret
        return None

    def _forget(self, name: str) -> None:
        self.secrets.pop(name, None)
        self._cancel_rotation(name)
        timer = self._deletions.pop(name, None)
        if timer is not None:
            timer.cancel()


def _value(params: dict[str, Any]) -> tuple[str | None, bytes | None]:
    string, binary = params.get("SecretString"), params.get("SecretBinary")
    if string is not None and binary is not None:
        raise invalid_parameter(
            "You can't specify both a binary secret value and a string secret value in the same secret."
        )
    return string, binary


def _page(items: list[Any], size: int, token: str | None) -> tuple[list[Any], str | None]:
    try:
        return page(items, size, token)
    except InvalidToken:
        raise AWSError("InvalidNextTokenException", "The NextToken value is not valid.") from None


def _token(token: str | None) -> dict[str, str]:
    return {"NextToken": token} if token else {}
