"""EventBridge Pipes: source → filter → enrichment → input template → target, on the virtual clock."""

from fakes.pipes.input_template import InputTemplate, InvalidInputTemplate, PipeVariables

__all__ = ["InputTemplate", "InvalidInputTemplate", "PipeVariables"]
