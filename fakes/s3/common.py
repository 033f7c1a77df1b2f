"""What every part of the S3 fake shares: the bucket table, owner, times, unmodelled parameters."""

from __future__ import annotations

import functools
import hashlib
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

import botocore.session
from dateutil.tz import tzutc

from eventproof_fakes.s3.errors import no_such_bucket, s3_error
from eventproof_fakes.s3.model import Bucket

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

_UTC = tzutc()


@functools.cache
def _input_members(operation: str) -> frozenset[str]:
    model = botocore.session.get_session().get_service_model("s3")
    shape = model.operation_model(operation).input_shape
    return frozenset(shape.members) if shape is not None else frozenset()


def unmodelled(operation: str, *modelled: str) -> tuple[str, ...]:
    """The request parameters of ``operation`` not in ``modelled``: for ``@operation(refuses=...)``.

    Computed from botocore's model, so a parameter AWS adds later is refused
    until the fake learns it, never silently dropped.
    """
    return tuple(sorted(_input_members(operation) - set(modelled)))


def timestamp(seconds: float) -> datetime:
    """A botocore-parsed timestamp: aware, UTC, as botocore's parser returns it."""
    return datetime.fromtimestamp(seconds, tz=_UTC)


def http_timestamp(seconds: float) -> datetime:
    """``Last-Modified`` travels as an HTTP date: whole seconds."""
    return datetime.fromtimestamp(int(seconds), tz=_UTC)


def iso_millis(seconds: float) -> str:
    """``2026-01-01T00:00:00.000Z``: the eventTime form of S3 notifications."""
    whole, millis = divmod(round(seconds * 1000), 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}Z"


class S3Base:
    """State and lookups the operation mixins share."""

    env: FakeAWS
    buckets: dict[str, Bucket]

    def _bucket(self, name: str) -> Bucket:
        bucket = self.buckets.get(name)
        if bucket is None:
            raise no_such_bucket(name)
        return bucket

    def _check_owner(self, params: dict[str, Any]) -> None:
        expected = params.get("ExpectedBucketOwner")
        if expected is not None and expected != self.env.account_id:
            raise s3_error("AccessDenied", "Access Denied", 403)

    @property
    def owner(self) -> dict[str, str]:
        """The bucket owner's canonical user: 64 hex digits derived from the account."""
        return {"ID": hashlib.sha256(self.env.account_id.encode()).hexdigest()}

    @property
    def owner_principal(self) -> str:
        """The short owner id S3 puts in notification records (``ownerIdentity``)."""
        return "A" + hashlib.md5(self.env.account_id.encode()).hexdigest()[:13].upper()
