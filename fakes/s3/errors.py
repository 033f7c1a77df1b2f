"""S3 errors (REST-XML protocol) with the codes, messages and extra fields AWS sends.

https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
A HEAD request has no response body, so botocore names its error after the
HTTP status ("404", "412"); ``head_error`` builds those.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from eventproof_fakes.errors import AWSError


def s3_error(code: str, message: str, status_code: int = 400, **fields: Any) -> AWSError:
    return AWSError(code, message, status_code=status_code, error_fields=fields)


def head_error(status_code: int) -> AWSError:
    """The error botocore builds from a body-less answer: code and message from the status."""
    return AWSError(str(status_code), HTTPStatus(status_code).phrase, status_code=status_code)


def no_such_bucket(bucket: str) -> AWSError:
    return s3_error("NoSuchBucket", "The specified bucket does not exist", 404, BucketName=bucket)


def no_such_key(key: str) -> AWSError:
    return s3_error("NoSuchKey", "The specified key does not exist.", 404, Key=key)


def no_such_version(key: str, version_id: str) -> AWSError:
    return s3_error(
        "NoSuchVersion",
        "The specified version does not exist.",
        404,
        Key=key,
        VersionId=version_id,
    )


def invalid_argument(message: str, name: str, value: Any) -> AWSError:
    return s3_error("InvalidArgument", message, 400, ArgumentName=name, ArgumentValue=str(value))


def invalid_request(message: str) -> AWSError:
    return s3_error("InvalidRequest", message, 400)


def malformed_xml() -> AWSError:
    return s3_error(
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our "
        "published schema",
    )


def precondition_failed(condition: str) -> AWSError:
    return s3_error(
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
        412,
        Condition=condition,
    )


def method_not_allowed(method: str) -> AWSError:
    return s3_error(
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        405,
        Method=method,
        ResourceType="DeleteMarker",
    )


def not_modelled(operation: str, what: str) -> AWSError:
    return s3_error(
        "NotImplemented",
        f"eventproof's fake s3 does not model {what} (in {operation})",
        501,
    )
