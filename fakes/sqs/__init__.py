"""In-memory SQS: standard and FIFO queues on the virtual clock."""

from eventproof_fakes import fault_channels
from eventproof_fakes.sqs.backend import SQS
from eventproof_fakes.sqs.messages import Message, ReceivedMessage

__all__ = ["SQS", "Message", "ReceivedMessage"]


def _fifo_refused(kind: str, queue: str, env: object) -> str | None:
    if queue.endswith(".fifo"):
        return f"a FIFO queue delivers each message once, in order; the SQS fake never applies {kind} to it"
    return None


fault_channels.register_channel(
    "sqs", "<queue name>", ("duplicate", "reorder"),
    "a standard queue's receives, also by an event source mapping", excludes=_fifo_refused,
)
