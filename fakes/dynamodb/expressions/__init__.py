"""DynamoDB expressions: tokenizer, recursive-descent parser and evaluation."""

from eventproof_fakes.dynamodb.expressions.evaluate import Bindings, ResolvedPath, get_path, matches
from eventproof_fakes.dynamodb.expressions.parser import parse
from eventproof_fakes.dynamodb.expressions.projection import project
from eventproof_fakes.dynamodb.expressions.reserved import RESERVED_WORDS, is_reserved
from eventproof_fakes.dynamodb.expressions.tree import Parsed
from eventproof_fakes.dynamodb.expressions.update import apply_update

__all__ = [
    "RESERVED_WORDS",
    "Bindings",
    "Parsed",
    "ResolvedPath",
    "apply_update",
    "get_path",
    "is_reserved",
    "matches",
    "parse",
    "project",
]
