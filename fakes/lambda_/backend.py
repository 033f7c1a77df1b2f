"""``Lambda``: the fake Lambda service, assembled from one part per concept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventproof_fakes.lambda_.async_invoke import AsyncInvokeAPI
from eventproof_fakes.lambda_.event_source_mappings import EventSourceMappingAPI
from eventproof_fakes.lambda_.functions import Function
from eventproof_fakes.lambda_.invoke import InvokeAPI
from eventproof_fakes.lambda_.invoke_config import EventInvokeConfigAPI
from eventproof_fakes.lambda_.runtime import Invocation
from eventproof_fakes.records import Records

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS


class Lambda(InvokeAPI, AsyncInvokeAPI, EventInvokeConfigAPI, EventSourceMappingAPI):
    """Functions run in-process on the virtual clock, each in its own execution environment.

    ``Code.ZipFile`` is the code: the handler module is imported from it on
    the first invocation (Lambda's init), isolated from other functions'
    modules, with AWS's ``Runtime.*`` errors when it cannot be (see
    ``eventproof_fakes.lambda_.code``, ``eventproof_fakes.lambda_.modules``). During init and
    each invocation, ``os.environ`` is the function's Lambda environment,
    boto3 clients bind to the fakes, ``time.time()``/``datetime.now()``
    read the virtual clock, and what the handler prints or logs goes to
    CloudWatch Logs ``/aws/lambda/<name>`` (``eventproof_fakes.lambda_.sandbox``,
    ``eventproof_fakes.wall_time``). ``register`` runs a Python callable the same way.

    Simplified: only ``$LATEST`` (no versions, aliases, layers); one
    execution environment per function (concurrent calls share it); the
    handler runs in the test's process, so environment variables, modules
    and the wall clock are swapped process-wide while it runs (other
    threads see them), and memory is not measured. Everything else
    (payload limits, error payloads, async retries, destinations, event
    source mappings) follows AWS's documentation.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.functions: dict[str, Function] = {}
        self._invocations: dict[str, Records[Invocation]] = {}
        self._init_async()
        self._init_event_source_mappings()

    def __repr__(self) -> str:
        return f"<fake Lambda: {len(self.functions)} functions>"
