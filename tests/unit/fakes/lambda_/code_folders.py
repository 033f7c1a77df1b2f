"""Writing a team's code folder in a test, and deploying it through boto3."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from eventproof_fakes import FakeAWS
from eventproof_fakes.lambda_.code import package

ROLE = "arn:aws:iam::123456789012:role/lambda-role"


def write_folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def deploy(aws: FakeAWS, name: str, folder: Path, handler: str = "app.lambda_handler",
           **options: Any) -> Any:
    client = aws.client("lambda")
    client.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler=handler,
                           Code={"ZipFile": package(folder)}, **options)
    return client


def invoke(client: Any, name: str, event: Any = None) -> tuple[Any, str | None]:
    response = client.invoke(FunctionName=name, Payload=json.dumps(event or {}).encode())
    return json.loads(response["Payload"].read()), response.get("FunctionError")
