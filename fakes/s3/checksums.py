"""Content-MD5 and the flexible checksums (``ChecksumAlgorithm``, ``Checksum<ALG>``).

https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
botocore >= 1.36 sends a CRC32 with every upload by default; the binding hands
the algorithm botocore chose to the fake as ``ChecksumAlgorithm`` (that is the
``x-amz-sdk-checksum-algorithm`` header on the wire). The fake computes the
checksum itself, checks any value the caller supplied, stores it with the
object and returns it, as S3 does. Algorithms without a standard-library
implementation (CRC32C, CRC64NVME, XXHASH*) are refused by name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from eventproof_fakes.s3.errors import invalid_request, s3_error

_DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    "CRC32": lambda data: zlib.crc32(data).to_bytes(4, "big"),
    "SHA1": lambda data: hashlib.sha1(data).digest(),
    "SHA256": lambda data: hashlib.sha256(data).digest(),
    "SHA512": lambda data: hashlib.sha512(data).digest(),
    "MD5": lambda data: hashlib.md5(data).digest(),
}
ALL_ALGORITHMS = (
    "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5",
    "XXHASH64", "XXHASH3", "XXHASH128",
)
CHECKSUM_PARAMETERS = tuple(f"Checksum{name}" for name in ALL_ALGORITHMS)


def b64_digest(algorithm: str, data: bytes) -> str:
    return base64.b64encode(_DIGESTS[algorithm](data)).decode()


def check_algorithm(algorithm: str) -> str:
    name = algorithm.upper()
    if name not in _DIGESTS:
        raise invalid_request(
            f"eventproof's fake s3 does not model the checksum algorithm {algorithm}"
        )
    return name


def verify_content_md5(params: dict[str, Any], data: bytes) -> None:
    supplied = params.get("ContentMD5")
    if supplied is None:
        return
    try:
        expected = base64.b64decode(supplied, validate=True)
    except (binascii.Error, ValueError):
        expected = b""
    if len(expected) != 16:
        raise s3_error("InvalidDigest", "The Content-MD5 you specified was invalid.")
    if hashlib.md5(data).digest() != expected:
        raise s3_error(
            "BadDigest",
            "The Content-MD5 you specified did not match what we received.",
            ExpectedDigest=expected.hex(),
            CalculatedDigest=base64.b64encode(hashlib.md5(data).digest()).decode(),
        )


def object_checksums(params: dict[str, Any], data: bytes) -> dict[str, str]:
    """The checksums to store with an upload: the requested algorithm's, each supplied one checked."""
    supplied = {
        name[len("Checksum"):]: params[name] for name in CHECKSUM_PARAMETERS if name in params
    }
    if len(supplied) > 1:
        raise invalid_request("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
    algorithm = params.get("ChecksumAlgorithm")
    if algorithm is None and supplied:
        algorithm = next(iter(supplied))
    if algorithm is None:
        return {}
    name = check_algorithm(algorithm)
    computed = b64_digest(name, data)
    for supplied_name, value in supplied.items():
        if supplied_name != name:
            raise invalid_request(
                f"Value for x-amz-sdk-checksum-algorithm header is invalid: the "
                f"x-amz-checksum-{supplied_name.lower()} header does not match {name}."
            )
        if value != computed:
            raise s3_error(
                "BadDigest", f"The {name} you specified did not match the calculated checksum."
            )
    return {name: computed}


def response_checksums(checksums: dict[str, str], checksum_type: str | None) -> dict[str, Any]:
    response: dict[str, Any] = {f"Checksum{name}": value for name, value in checksums.items()}
    if checksums and checksum_type:
        response["ChecksumType"] = checksum_type
    return response
