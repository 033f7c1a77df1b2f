"""Where the AWS recordings live: ../shared/aws-recordings beside the checkout.

``EVENTPROOF_RECORDINGS`` overrides the place. CI sets it, and then a
missing folder is an error rather than a skip, so the recorded cases can
never silently stop running.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "aws-recordings"
RECORDINGS = Path(os.environ.get("EVENTPROOF_RECORDINGS", _DEFAULT))
SNAPSHOTS = RECORDINGS / "snapshots"


def require_recordings() -> pytest.MarkDecorator:
    """A skip marker for machines without the recordings; never a skip in CI."""
    if "EVENTPROOF_RECORDINGS" in os.environ and not RECORDINGS.is_dir():
        raise RuntimeError(f"EVENTPROOF_RECORDINGS points to {RECORDINGS}, which does not exist")
    return pytest.mark.skipif(not RECORDINGS.is_dir(), reason=f"no AWS recordings at {RECORDINGS}")
