"""Fake CloudWatch Logs: log groups, streams, events, filter patterns; Lambda's logs."""

from eventproof_fakes.logs.backend import CloudWatchLogs
from eventproof_fakes.logs.filter_pattern import UnsupportedFilterPattern, compile_filter

__all__ = ["CloudWatchLogs", "UnsupportedFilterPattern", "compile_filter"]
