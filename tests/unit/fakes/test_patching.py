"""boto3/botocore patches nest last in, first out, or fail loudly."""

from __future__ import annotations

import boto3
import botocore.session
import pytest

from eventproof.properties.system import reused_clients
from eventproof_fakes import FakeAWS, FakesError, PatchOrderError
from eventproof_fakes.patching import open_patches, patched

ORIGINAL_CREATE_CLIENT = botocore.session.Session.create_client


class Owner:
    value: object = "original"


def test_nested_patches_restore_everything_when_closed_in_reverse_order() -> None:
    default = boto3.DEFAULT_SESSION
    with FakeAWS().patch_boto3(), reused_clients(), FakeAWS().patch_boto3():
        assert botocore.session.Session.create_client is not ORIGINAL_CREATE_CLIENT
        assert len(open_patches()) == 3
    assert botocore.session.Session.create_client is ORIGINAL_CREATE_CLIENT
    assert boto3.DEFAULT_SESSION is default
    assert open_patches() == []


def test_closing_an_outer_patch_before_an_inner_one_is_refused() -> None:
    outer = FakeAWS().patch_boto3()
    inner = reused_clients()
    outer.__enter__()
    inner.__enter__()
    with pytest.raises(PatchOrderError, match=r"patch_boto3 .* while eventproof reused_clients"):
        outer.__exit__(None, None, None)
    inner.__exit__(None, None, None)
    outer.__exit__(None, None, None)  # in order now: everything comes back
    assert botocore.session.Session.create_client is ORIGINAL_CREATE_CLIENT
    assert open_patches() == []


def test_an_attribute_replaced_behind_a_patchs_back_is_reported_not_overwritten() -> None:
    def ours() -> None: ...

    def intruder() -> None: ...

    patch = patched("test patch", (Owner, "value", lambda _: ours))
    with pytest.raises(PatchOrderError, match=r"Owner\.value was replaced"):  # noqa: SIM117
        with patch:
            Owner.value = intruder
    assert Owner.value is intruder
    assert open_patches() == ["test patch"]  # refused: still open, nothing restored
    Owner.value = ours
    patch.__exit__(None, None, None)  # now it closes cleanly
    assert Owner.value == "original"
    assert open_patches() == []


def test_a_patch_restores_an_inherited_attribute_by_removing_its_override() -> None:
    class Child(Owner):
        pass

    with patched("test patch", (Child, "value", lambda _: "patched")):
        assert Child.value == "patched"
    assert "value" not in vars(Child)
    assert Child.value == "original"


def test_patch_order_errors_belong_to_the_fakes_error_root() -> None:
    assert issubclass(PatchOrderError, FakesError)


def test_a_client_made_inside_nested_patches_answers_to_the_innermost_environment() -> None:
    import boto3

    from eventproof_fakes import FakeAWS

    outer, inner = FakeAWS(), FakeAWS()
    with outer.patch_boto3():
        with inner.patch_boto3():
            boto3.client("sqs").create_queue(QueueName="inner-only")
            inner.client("sqs").create_queue(QueueName="inner-too")
        outer.client("sqs").create_queue(QueueName="outer-only")
    assert [u.rsplit("/", 1)[-1] for u in sorted(inner.client("sqs").list_queues()["QueueUrls"])] == [
        "inner-only", "inner-too"]
    assert [u.rsplit("/", 1)[-1] for u in outer.client("sqs").list_queues()["QueueUrls"]] == ["outer-only"]
