"""Rotation through a Lambda function, as https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html documents.

``RotateSecret`` answers at once with the new version id; the rotation
itself is asynchronous, as on AWS: a foreground timer on the virtual clock
(so ``run_until_idle`` drives it) invokes the function four times through
the Lambda fake, with ``Step`` ``createSecret``, ``setSecret``,
``testSecret`` and ``finishSecret``, ``SecretId`` (the ARN),
``ClientRequestToken`` (the new version id) and ``RotationToken``. The
function does the label work itself (AWSPENDING on the new version,
then AWSCURRENT moved to it, which moves AWSPREVIOUS to the old one). A
step that fails stops the rotation; the error is kept in ``rotations``.
A secret whose AWSPENDING sits on a version other than AWSCURRENT's is
mid-rotation, and RotateSecret refuses it.

Automatic rotation (``RotationRules``) fires on a background timer
``AutomaticallyAfterDays`` after the last rotation, or at the next time of
``ScheduleExpression``. Simplified: it starts at the beginning of the
rotation window (AWS picks a time within ``Duration``).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from eventproof_fakes.clock import Timer
from eventproof_fakes.operations import operation
from eventproof_fakes.scheduling import InvalidScheduleExpression, parse_expression
from eventproof_fakes.secretsmanager.secrets import (
    CURRENT,
    PENDING,
    Secret,
    invalid_parameter,
    invalid_request,
)

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


@dataclass
class Rotation:
    """One rotation attempt (inspection API): which steps ran and how it ended."""

    secret_name: str
    version_id: str
    started: datetime
    steps: list[str]
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.error is None and len(self.steps) == len(STEPS)


class RotationAPI:
    """``RotateSecret``, ``CancelRotateSecret``, ``GetRandomPassword``; mixed into the backend."""

    env: FakeAWS
    secrets: dict[str, Secret]

    if TYPE_CHECKING:

        def _secret(self, secret_id: str, *, allow_deleted: bool = False) -> Secret: ...

    def _init_rotation(self) -> None:
        self.rotations: list[Rotation] = []
        self._rotation_timers: dict[str, Timer] = {}

    @operation(refuses=("ExternalSecretRotationMetadata", "ExternalSecretRotationRoleArn"))
    def rotate_secret(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        if params.get("RotationLambdaARN"):
            self.env.lambda_.function(params["RotationLambdaARN"])  # must exist
            secret.rotation_lambda = params["RotationLambdaARN"]
        if params.get("RotationRules"):
            self._check_rules(params["RotationRules"])
            secret.rotation_rules = dict(params["RotationRules"])
        if secret.rotation_lambda is None:
            raise invalid_request("No Lambda rotation function ARN is associated with this secret.")
        secret.rotation_enabled = True
        pending, current = secret.holder(PENDING), secret.holder(CURRENT)
        if pending is not None and pending is not current:
            raise invalid_request(
                "A previous rotation isn't complete. That rotation will be reattempted."
            )
        response: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
        if params.get("RotateImmediately", True):
            version_id = params.get("ClientRequestToken") or self.env.ids.uuid()
            self.env.clock.call_later(
                0,
                lambda: self._rotate(secret, version_id),
                label=f"secretsmanager rotates {secret.name}",
            )
            response["VersionId"] = version_id
        else:
            self._schedule_next(secret, self.env.clock.now_datetime())
        return response

    @operation
    def cancel_rotate_secret(self, params: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret(params["SecretId"])
        secret.rotation_enabled = False
        self._cancel_rotation(secret.name)
        return {"ARN": secret.arn, "Name": secret.name}

    @operation
    def get_random_password(self, params: dict[str, Any]) -> dict[str, Any]:
        length = params.get("PasswordLength", 32)
        excluded = set(params.get("ExcludeCharacters", ""))
        classes = [
            chars
            for chars, flag in (
                (string.ascii_lowercase, "ExcludeLowercase"),
                (string.ascii_uppercase, "ExcludeUppercase"),
                (string.digits, "ExcludeNumbers"),
                (_PUNCTUATION, "ExcludePunctuation"),
                (" ", "IncludeSpace"),
            )
            if (params.get(flag, False) if flag == "IncludeSpace" else not params.get(flag, False))
        ]
        allowed = ["".join(c for c in chars if c not in excluded) for chars in classes]
        classes = [chars for chars in allowed if chars]
        if not classes:
            raise invalid_parameter("The password has no characters left to choose from.")
        chooser = self.env.ids.random()
        alphabet = [c for chars in classes for c in chars]
        password = [chooser.choice(alphabet) for _ in range(length)]
        if params.get("RequireEachIncludedType", True) and length >= len(classes):
            for position, chars in zip(chooser.sample(range(length), len(classes)), classes, strict=True):
                password[position] = chooser.choice(chars)
        return {"RandomPassword": "".join(password)}

    # --- the rotation -----------------------------------------------------
    def _rotate(self, secret: Secret, version_id: str) -> None:
        if self.secrets.get(secret.name) is not secret or secret.deleted is not None:
            return
        rotation = Rotation(secret.name, version_id, self.env.clock.now_datetime(), [])
        self.rotations.append(rotation)
        function = secret.rotation_lambda
        assert function is not None
        for step in STEPS:
            event = {
                "Step": step,
                "SecretId": secret.arn,
                "ClientRequestToken": version_id,
                "RotationToken": self.env.ids.uuid(),
            }
            result = self.env.lambda_.invoke_sync(function, event)
            rotation.steps.append(step)
            if result.error is not None:
                rotation.error = f"{step}: {result.error}: {result.payload}"
                return
        secret.last_rotated = self.env.clock.now_datetime()
        self._schedule_next(secret, secret.last_rotated)

    def _schedule_next(self, secret: Secret, after: datetime) -> None:
        self._cancel_rotation(secret.name)
        rules = secret.rotation_rules or {}
        when: datetime | None = None
        if rules.get("ScheduleExpression"):
            expression = parse_expression(rules["ScheduleExpression"], allow_at=False)
            when = expression.next_after(after)
        elif rules.get("AutomaticallyAfterDays"):
            when = after + timedelta(days=rules["AutomaticallyAfterDays"])
        secret.next_rotation = when
        if when is None:
            return
        self._rotation_timers[secret.name] = self.env.clock.call_at(
            when.timestamp(),
            lambda: self._rotate(secret, self.env.ids.uuid()),
            label=f"secretsmanager rotates {secret.name} on schedule",
            background=True,
        )

    def _cancel_rotation(self, name: str) -> None:
        timer = self._rotation_timers.pop(name, None)
        if timer is not None:
            timer.cancel()

    @staticmethod
    def _check_rules(rules: dict[str, Any]) -> None:
        days, expression = rules.get("AutomaticallyAfterDays"), rules.get("ScheduleExpression")
        if days is not None and expression is not None:
            raise invalid_parameter(
                "You can't specify both AutomaticallyAfterDays and ScheduleExpression."
            )
        if days is not None and not 1 <= days <= 1000:
            raise invalid_parameter("AutomaticallyAfterDays must be between 1 and 1000.")
        if expression is not None:
            try:
                parse_expression(expression, allow_at=False)
            except InvalidScheduleExpression as error:
                raise invalid_parameter(f"Invalid ScheduleExpression: {error.reason}") from None
