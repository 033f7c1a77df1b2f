"""A bound client accepts ``str`` where a blob is expected, as botocore's serializer does."""

from __future__ import annotations

import botocore.session

from eventproof_fakes.binding import _blob_paths, _encode_blobs

MODELS = botocore.session.get_session()


def test_sqs_message_attribute_blobs_are_on_the_plan() -> None:
    shape = MODELS.get_service_model("sqs").operation_model("SendMessage").input_shape
    assert ("MessageAttributes", "\x00each", "BinaryValue") in _blob_paths(shape)


def test_recursive_shapes_are_left_to_their_fake() -> None:
    shape = MODELS.get_service_model("dynamodb").operation_model("PutItem").input_shape
    assert _blob_paths(shape) == ()


def test_strings_on_blob_paths_become_utf8_and_the_input_is_not_mutated() -> None:
    plan = (("Attrs", "\x00each", "BinaryValue"),)
    params = {"Attrs": {"a": {"BinaryValue": "é"}, "b": {"BinaryValue": b"\x00"}}, "Other": "x"}
    encoded = _encode_blobs(params, plan)
    assert encoded["Attrs"]["a"]["BinaryValue"] == "é".encode()
    assert encoded["Attrs"]["b"]["BinaryValue"] == b"\x00"
    assert params["Attrs"]["a"]["BinaryValue"] == "é"
    assert encoded["Other"] == "x"
