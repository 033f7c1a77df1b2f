"""Fake AWS Lambda: Python handlers run in-process, on the virtual clock."""

# Imported for its effect: it registers the fault channels the Lambda fake consults.
from fakes.lambda_ import fault_channels  # noqa: F401
from fakes.lambda_.backend import Lambda
from fakes.lambda_.code import package
from fakes.lambda_.context import LambdaContext
from fakes.lambda_.runtime import Invocation, InvocationResult, Throttled

__all__ = ["Invocation", "InvocationResult", "Lambda", "LambdaContext", "Throttled", "package"]
