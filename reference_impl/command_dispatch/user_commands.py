"""CreateUser and DeleteUser: the article's first two commands, writing a Users table."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from reference_impl.command_dispatch.commands import CommandContext
from reference_impl.shared import load_validator
from reference_impl.shared.checks import is_uuid

_CREATE_USER_FIELDS = {"userId", "name", "email", "marketingOptIn"}


class CreateUser:
    """Register a user once; a repeated command with the same ``userId`` changes nothing."""

    command_type = "CREATE_USER"

    def __init__(self, users_table: Any) -> None:
        self.users = users_table

    def validate(self, payload: dict[str, Any]) -> list[str]:
        # CreateUser's contract is Avro (contracts/command_dispatch/CreateUser.avsc): checked by hand.
        problems = [f"/{field}: is not allowed" for field in sorted(set(payload) - _CREATE_USER_FIELDS)]
        if not is_uuid(payload.get("userId")):
            problems.append("/userId: expected a uuid string")
        for field in ("name", "email"):
            if not isinstance(payload.get(field), str):
                problems.append(f"/{field}: expected a string")
        if not isinstance(payload.get("marketingOptIn", False), bool):
            problems.append("/marketingOptIn: expected a boolean")
        return problems

    def execute(self, context: CommandContext) -> dict[str, Any]:
        user = {"marketingOptIn": False, **context.payload}
        try:
            self.users.put_item(Item=user, ConditionExpression="attribute_not_exists(userId)")
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return {"status": "ALREADY_DONE", "userId": user["userId"]}
        return {"status": "CREATED", "userId": user["userId"]}


class DeleteUser:
    """Delete a user; deleting one that is gone already is not an error (the command may repeat)."""

    command_type = "DELETE_USER"

    def __init__(self, users_table: Any) -> None:
        self.users = users_table
        self.contract = load_validator("command_dispatch/DeleteUser.schema.json")

    def validate(self, payload: dict[str, Any]) -> list[str]:
        return self.contract.violations(payload)

    def execute(self, context: CommandContext) -> dict[str, Any]:
        user_id = context.payload["userId"]
        old = self.users.delete_item(Key={"userId": user_id}, ReturnValues="ALL_OLD")
        return {"status": "DELETED" if old.get("Attributes") else "ALREADY_DONE", "userId": user_id}
