"""EventBridge Pipes: source → filter → enrichment → input template → target, on the virtual clock."""

from eventproof_fakes import fault_channels
from eventproof_fakes.pipes.input_template import InputTemplate, InvalidInputTemplate, PipeVariables
from eventproof_fakes.pipes.pipes import Pipes
from eventproof_fakes.pipes.runtime import PipeRuntime

__all__ = ["InputTemplate", "InvalidInputTemplate", "PipeRuntime", "PipeVariables", "Pipes"]

fault_channels.register_channel("pipe", "<pipe name>", ("duplicate",), "a pipe delivering a batch to its target")
