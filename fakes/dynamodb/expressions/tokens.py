"""The tokenizer shared by every kind of DynamoDB expression."""

from __future__ import annotations

from dataclasses import dataclass

from eventproof_fakes.errors import validation_error

IDENT = "IDENT"  # a bare attribute name, a keyword or a function name
NAME_REF = "NAME_REF"  # #name, from ExpressionAttributeNames
VALUE_REF = "VALUE_REF"  # :value, from ExpressionAttributeValues
NUMBER = "NUMBER"  # a list index inside [...]
OPERATOR = "OPERATOR"
EOF = "EOF"

_OPERATORS = ("<=", ">=", "<>", "=", "<", ">", "(", ")", "[", "]", ",", ".", "+", "-")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


class ExpressionError(Exception):
    """A malformed expression; the caller turns it into AWS's ValidationException."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def for_expression(self, kind: str) -> Exception:
        return validation_error(f"Invalid {kind}: {self.detail}")


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    position, length = 0, len(source)
    while position < length:
        char = source[position]
        if char.isspace():
            position += 1
            continue
        if char in "#:":
            end = _word_end(source, position + 1)
            if end == position + 1:
                raise _syntax_error(source, tokens, Token(OPERATOR, char, position, end))
            kind = NAME_REF if char == "#" else VALUE_REF
            tokens.append(Token(kind, source[position:end], position, end))
            position = end
            continue
        if char in _DIGITS:
            end = position
            while end < length and source[end] in _DIGITS:
                end += 1
            tokens.append(Token(NUMBER, source[position:end], position, end))
            position = end
            continue
        if char in _WORD_CHARS:
            end = _word_end(source, position)
            tokens.append(Token(IDENT, source[position:end], position, end))
            position = end
            continue
        for operator in _OPERATORS:
            if source.startswith(operator, position):
                end = position + len(operator)
                tokens.append(Token(OPERATOR, operator, position, end))
                position = end
                break
        else:
            raise _syntax_error(source, tokens, Token(OPERATOR, char, position, position + 1))
    tokens.append(Token(EOF, "<EOF>", length, length))
    return tokens


def _word_end(source: str, position: int) -> int:
    while position < len(source) and source[position] in _WORD_CHARS:
        position += 1
    return position


def _syntax_error(source: str, before: list[Token], bad: Token) -> ExpressionError:
    start = before[-1].start if before else bad.start
    return ExpressionError(f'Syntax error; token: "{bad.text}", near: "{source[start : bad.end]}"')


def syntax_error(source: str, tokens: list[Token], index: int) -> ExpressionError:
    """AWS names the offending token and the text around it (previous and next token)."""
    bad = tokens[index]
    start = tokens[index - 1].start if index > 0 else bad.start
    following = tokens[index + 1] if index + 1 < len(tokens) else bad
    end = following.end if following.kind != EOF else bad.end
    if bad.kind == EOF:
        end = len(source)
    return ExpressionError(f'Syntax error; token: "{bad.text}", near: "{source[start:end]}"')
