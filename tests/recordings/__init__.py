"""Behaviour recorded from real AWS, kept in this folder: ground truth for the fakes.

The data comes from ../shared/aws-recordings (LocalStack's AWS-validated
parity snapshots, Apache License 2.0: see LICENSE-localstack.txt and
README.md here) and is copied into the repository so the tests need nothing
outside it.
"""

from __future__ import annotations

from pathlib import Path

RECORDINGS = Path(__file__).resolve().parent
SNAPSHOTS = RECORDINGS / "snapshots"

