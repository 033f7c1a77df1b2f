"""Fake AWS Lambda: Python handlers run in-process, on the virtual clock."""

# Imported for its effect: it registers the fault channels the Lambda fake consults.
from eventproof_fakes.lambda_ import fault_channels  # noqa: F401
from eventproof_fakes.lambda_.backend import Lambda
from eventproof_fakes.lambda_.code import package
from eventproof_fakes.lambda_.context import LambdaContext
from eventproof_fakes.lambda_.runtime import Invocation, InvocationResult, Throttled

__all__ = ["Invocation", "InvocationResult", "Lambda", "LambdaContext", "Throttled", "package"]
