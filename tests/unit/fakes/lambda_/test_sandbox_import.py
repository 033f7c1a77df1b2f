"""The sandbox binds handler clients with botocore's own create_client, whatever is patched in."""

from __future__ import annotations

import botocore.session

from eventproof.properties.system import reused_clients
from eventproof_fakes import FakeAWS
from eventproof_fakes.patching import unpatched

RAW = botocore.session.Session.create_client


def test_unpatched_sees_through_nested_patches_to_botocores_own_function() -> None:
    # The sandbox captures unpatched(Session.create_client) when first imported; were that
    # inside patch_boto3(), a plain capture would bind every later handler's clients to
    # that first environment.
    with FakeAWS().patch_boto3(), reused_clients():
        assert botocore.session.Session.create_client is not RAW
        assert unpatched(botocore.session.Session.create_client) is RAW
    assert unpatched(RAW) is RAW  # botocore's own decorator (__wrapped__) is not a patch
