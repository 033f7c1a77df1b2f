"""Creating a Lambda function through boto3 on either backend of the behaviour suites."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any


def create_function(aws: Any, name: str = "consumer") -> Any:
    """Create ``name`` (its handler is never run by moto) and return the lambda client."""
    client = aws.client("lambda")
    role = "arn:aws:iam::123456789012:role/lambda-role"
    if not hasattr(aws, "env"):  # moto checks that the role exists
        role = aws.client("iam").create_role(
            RoleName="lambda-role",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
    client.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="json.dumps",
        Code={"ZipFile": _package()},
    )
    return client


def _package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()
