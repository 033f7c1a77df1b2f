"""The MD5 digests SQS returns: of the body, and of the message attributes.

The attribute digest is AWS's documented binary encoding: attributes sorted
by name; for each, the name, the data type (each as a 4-byte big-endian
length followed by its UTF-8 bytes), one transport byte (1 for String and
Number, 2 for Binary) and the value (length-prefixed likewise).
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from typing import Any

_STRING_TRANSPORT = b"\x01"
_BINARY_TRANSPORT = b"\x02"


def md5_of_body(body: str) -> str:
    return hashlib.md5(body.encode("utf-8")).hexdigest()


def _length_prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def md5_of_message_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> str:
    """Digest of attributes in API form ``{Name: {DataType, StringValue|BinaryValue}}``."""
    digest = hashlib.md5()
    for name in sorted(attributes):
        attribute = attributes[name]
        data_type = attribute["DataType"]
        digest.update(_length_prefixed(name.encode("utf-8")))
        digest.update(_length_prefixed(data_type.encode("utf-8")))
        if "BinaryValue" in attribute and attribute["BinaryValue"] is not None:
            value = attribute["BinaryValue"]
            digest.update(_BINARY_TRANSPORT)
            digest.update(_length_prefixed(value if isinstance(value, bytes) else value.encode()))
        else:
            digest.update(_STRING_TRANSPORT)
            digest.update(_length_prefixed(str(attribute["StringValue"]).encode("utf-8")))
    return digest.hexdigest()
