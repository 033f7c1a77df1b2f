"""The contracts eventproof ships: AWS's own record shapes (SQS record, EventBridge event, ...).

In the repository they are ``contracts/aws/``; an installed eventproof carries
them as package data in ``eventproof/aws_contracts/`` (see setup.py).
"""

from __future__ import annotations

from pathlib import Path

from eventproof.errors import ConfigError

__all__ = ["aws_contracts_dir"]

_PACKAGE = Path(__file__).resolve().parents[1]


def aws_contracts_dir() -> Path:
    """The folder of the built-in AWS contracts, installed or in a checkout."""
    for candidate in (_PACKAGE / "aws_contracts", _PACKAGE.parent / "contracts" / "aws"):
        if any(candidate.glob("*.schema.json")):
            return candidate
    raise ConfigError(
        "eventproof's AWS contracts are missing",
        hint=f"expected them in {_PACKAGE / 'aws_contracts'} (reinstall eventproof)",
    )
