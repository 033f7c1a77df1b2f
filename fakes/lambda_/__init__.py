"""Fake AWS Lambda: Python handlers run in-process, on the virtual clock."""

from fakes.lambda_.backend import Lambda
from fakes.lambda_.code import package
from fakes.lambda_.context import LambdaContext
from fakes.lambda_.runtime import Invocation, InvocationResult, Throttled

__all__ = ["Invocation", "InvocationResult", "Lambda", "LambdaContext", "Throttled", "package"]
