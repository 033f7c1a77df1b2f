"""The STS fake: who is calling, and temporary credentials on the virtual clock."""

from __future__ import annotations

import re
import string
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["CALLER_USER", "STS", "caller_arn"]

CALLER_USER = "eventproof"
_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$")
_MFA = ("SerialNumber", "TokenCode")


def caller_arn(env: FakeAWS) -> str:
    """The IAM user every call to the fakes is made as."""
    return f"arn:aws:iam::{env.account_id}:user/{CALLER_USER}"


def _check_duration(value: int, low: int, high: int) -> None:
    if value < low:
        raise AWSError(
            "ValidationError",
            f"1 validation error detected: Value '{value}' at 'durationSeconds' failed to satisfy "
            f"constraint: Member must have value greater than or equal to {low}",
        )
    if value > high:
        raise AWSError(
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        )


class STS:
    """Identity without enforcement.

    Every call to the fakes is made as one IAM user, ``user/eventproof`` of
    the environment's account, whatever credentials the client holds.
    ``AssumeRole`` and ``GetSessionToken`` hand out well-formed temporary
    credentials that expire on the virtual clock, but nothing checks them:
    a client using them is still the same caller, and no trust policy,
    session policy, tag or external id restricts anything. MFA parameters
    are refused.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.sessions: list[dict[str, Any]] = []  # every AssumeRole answer, for tests

    @operation
    def get_caller_identity(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "UserId": "AIDA" + self._key(17),
            "Account": self.env.account_id,
            "Arn": caller_arn(self.env),
        }

    @operation(refuses=(*_MFA, "ProvidedContexts"))
    def assume_role(self, params: dict[str, Any]) -> dict[str, Any]:
        match = _ROLE_ARN.match(params["RoleArn"])
        if match is None:
            raise AWSError("ValidationError", f"{params['RoleArn']} is invalid")
        session_name = params["RoleSessionName"]
        if not _SESSION_NAME.match(session_name):
            raise AWSError(
                "ValidationError",
                f"1 validation error detected: Value '{session_name}' at 'roleSessionName' failed "
                "to satisfy constraint: Member must satisfy regular expression pattern: "
                "[\\w+=,.@-]*",
            )
        duration = params.get("DurationSeconds", 3600)
        _check_duration(duration, 900, 43200)
        account, role = match[1], match[2]
        role_id = "AROA" + self._key(17)
        response: dict[str, Any] = {
            "Credentials": self._credentials(duration),
            "AssumedRoleUser": {
                "AssumedRoleId": f"{role_id}:{session_name}",
                "Arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session_name}",
            },
        }
        if params.get("Policy") or params.get("PolicyArns") or params.get("Tags"):
            response["PackedPolicySize"] = 6
        if params.get("SourceIdentity"):
            response["SourceIdentity"] = params["SourceIdentity"]
        self.sessions.append(response)
        return response

    @operation(refuses=_MFA)
    def get_session_token(self, params: dict[str, Any]) -> dict[str, Any]:
        duration = params.get("DurationSeconds", 43200)
        _check_duration(duration, 900, 129600)
        return {"Credentials": self._credentials(duration)}

    def _credentials(self, duration: int) -> dict[str, Any]:
        return {
            "AccessKeyId": "ASIA" + self._key(16),
            "SecretAccessKey": self.env.ids.token(40),
            "SessionToken": "FwoGZXIvYXdzE" + self.env.ids.token(300),
            "Expiration": self.env.clock.now_datetime() + timedelta(seconds=duration),
        }

    def _key(self, length: int) -> str:
        alphabet = string.ascii_uppercase + string.digits
        chooser = self.env.ids.random()
        return "".join(chooser.choice(alphabet) for _ in range(length))
