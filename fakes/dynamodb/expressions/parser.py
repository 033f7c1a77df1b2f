"""A recursive-descent parser for DynamoDB's expression grammar.

Precedence, highest first, as AWS documents it
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html):
comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR.
Parses are cached by expression string: a service sees the same few
expressions over and over.
"""

from __future__ import annotations

from collections import OrderedDict

from eventproof_fakes.dynamodb.expressions.reserved import is_reserved
from eventproof_fakes.dynamodb.expressions.tokens import (
    EOF,
    IDENT,
    NAME_REF,
    NUMBER,
    OPERATOR,
    VALUE_REF,
    ExpressionError,
    Token,
    syntax_error,
    tokenize,
)
from eventproof_fakes.dynamodb.expressions.tree import (
    And,
    Arithmetic,
    Between,
    Compare,
    Condition,
    Function,
    IfNotExists,
    In,
    ListAppend,
    Not,
    Operand,
    Or,
    Parsed,
    Path,
    PathElement,
    Size,
    UpdateActions,
    UpdateValue,
    ValueRef,
)

COMPARATORS = frozenset({"=", "<>", "<", "<=", ">", ">="})
CONDITION_FUNCTIONS = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
}
UPDATE_CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")
_CACHE_SIZE = 512
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-expression-parameters
_MAX_OPERATORS = 300
_TOO_MANY_OPERATORS = (
    f"The expression contains too many operators or functions; the maximum is {_MAX_OPERATORS};"
)
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
_OPERATOR_SYMBOLS = frozenset({"=", "<>", "<", "<=", ">", ">=", "+", "-"})


def _check_structure(tokens: list[Token]) -> None:
    """Without recursion: AWS's operator limit and its redundant-parentheses rule.

    A group directly inside another group, ``((a < b))``, is redundant and AWS
    rejects the expression; so is a group whose parentheses add nothing. Both
    checks run before the recursive parse, so no input nests it deeper than
    AWS's limits allow.
    """
    operators = 0
    opened: list[int] = []
    closing: dict[int, int] = {}
    grouping: set[int] = set()
    for position, token in enumerate(tokens):
        if (token.kind == IDENT and token.text.upper() in _OPERATOR_WORDS) or (token.kind == OPERATOR and token.text in _OPERATOR_SYMBOLS):
            operators += 1
        elif token.kind == OPERATOR and token.text == "(":
            previous = tokens[position - 1] if position else None
            if previous is None or previous.kind != IDENT or previous.text.upper() in (
                "AND",
                "OR",
                "NOT",
            ):
                grouping.add(position)
            else:
                operators += 1  # a function call
            opened.append(position)
        elif token.kind == OPERATOR and token.text == ")" and opened:
            closing[opened.pop()] = position
    if operators > _MAX_OPERATORS:
        raise ExpressionError(_TOO_MANY_OPERATORS)
    for start in grouping:
        end = closing.get(start)
        if end is not None and start + 1 in grouping and closing.get(start + 1) == end - 1:
            raise ExpressionError("The expression has redundant parentheses;")
_cache: OrderedDict[tuple[str, str], Parsed] = OrderedDict()


def parse(kind: str, source: str) -> Parsed:
    """Parse ``source`` as ``kind`` (``ConditionExpression``, ``UpdateExpression``, ...).

    Raises AWS's ``ValidationException`` ("Invalid UpdateExpression: ...").
    """
    key = (kind, source)
    parsed = _cache.get(key)
    if parsed is not None:
        _cache.move_to_end(key)
        return parsed
    try:
        parsed = _Parser(kind, source).parse()
    except ExpressionError as error:
        raise error.for_expression(kind) from None
    except RecursionError:
        # Unreachable within AWS's limits (300 operators, no redundant parentheses)
        # on a default stack; a caller deep in its own stack still gets AWS's error.
        raise ExpressionError(_TOO_MANY_OPERATORS).for_expression(kind) from None
    _cache[key] = parsed
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return parsed


class _Parser:
    def __init__(self, kind: str, source: str) -> None:
        self.kind = kind
        self.source = source
        self.tokens: list[Token] = []
        self.position = 0
        self.names: set[str] = set()
        self.values: set[str] = set()

    # --- entry --------------------------------------------------------------
    def parse(self) -> Parsed:
        if not self.source.strip():
            raise ExpressionError("The expression can not be empty;")
        self.tokens = tokenize(self.source)
        _check_structure(self.tokens)
        tree: Condition | UpdateActions | tuple[Path, ...]
        if self.kind == "UpdateExpression":
            tree = self.update()
        elif self.kind == "ProjectionExpression":
            tree = self.projection()
        else:
            tree = self.condition()
        self.expect_end()
        return Parsed(self.kind, tree, frozenset(self.names), frozenset(self.values))

    # --- token helpers ------------------------------------------------------
    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.position + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def at_operator(self, text: str) -> bool:
        token = self.peek()
        return token.kind == OPERATOR and token.text == text

    def at_keyword(self, word: str) -> bool:
        token = self.peek()
        return token.kind == IDENT and token.text.upper() == word

    def expect_operator(self, text: str) -> None:
        if not self.at_operator(text):
            raise self.error()
        self.position += 1

    def expect_end(self) -> None:
        if self.peek().kind != EOF:
            raise self.error()

    def error(self) -> ExpressionError:
        return syntax_error(self.source, self.tokens, min(self.position, len(self.tokens) - 1))

    # --- conditions ---------------------------------------------------------
    def condition(self) -> Condition:
        left = self.conjunction()
        while self.at_keyword("OR"):
            self.advance()
            left = Or(left, self.conjunction())
        return left

    def conjunction(self) -> Condition:
        left = self.negation()
        while self.at_keyword("AND"):
            self.advance()
            left = And(left, self.negation())
        return left

    def negation(self) -> Condition:
        if self.at_keyword("NOT"):
            self.advance()
            return Not(self.negation())
        return self.predicate()

    def predicate(self) -> Condition:
        if self.at_operator("("):
            self.advance()
            inner = self.condition()
            self.expect_operator(")")
            return inner
        token = self.peek()
        following = self.peek(1)
        is_call = token.kind == IDENT and following.kind == OPERATOR and following.text == "("
        if is_call and token.text != "size":
            return self.function_call()
        operand = self.operand()
        token = self.peek()
        if token.kind == OPERATOR and token.text in COMPARATORS:
            self.advance()
            return Compare(token.text, operand, self.operand())
        if self.at_keyword("BETWEEN"):
            self.advance()
            low = self.operand()
            if not self.at_keyword("AND"):
                raise self.error()
            self.advance()
            return Between(operand, low, self.operand())
        if self.at_keyword("IN"):
            self.advance()
            self.expect_operator("(")
            options = [self.operand()]
            while self.at_operator(","):
                self.advance()
                options.append(self.operand())
            self.expect_operator(")")
            return In(operand, tuple(options))
        raise self.error()

    def function_call(self) -> Function:
        name = self.advance().text
        if name not in CONDITION_FUNCTIONS:
            if name in ("if_not_exists", "list_append"):
                raise ExpressionError(
                    f"The function is not allowed in a condition expression; function: {name}"
                )
            raise ExpressionError(f"Invalid function name; function: {name}")
        self.expect_operator("(")
        args = [self.operand()]
        while self.at_operator(","):
            self.advance()
            args.append(self.operand())
        self.expect_operator(")")
        if len(args) != CONDITION_FUNCTIONS[name]:
            raise ExpressionError(
                f"Incorrect number of operands for operator or function; "
                f"operator or function: {name}, number of operands: {len(args)}"
            )
        if not isinstance(args[0], Path):
            raise ExpressionError(
                f"Operator or function requires a document path; operator or function: {name}"
            )
        return Function(name, tuple(args))

    def operand(self) -> Operand:
        token = self.peek()
        if token.kind == VALUE_REF:
            self.advance()
            self.values.add(token.text)
            return ValueRef(token.text)
        if token.kind == IDENT and token.text == "size" and self.peek(1).text == "(":
            self.advance()
            self.advance()
            path = self.path()
            self.expect_operator(")")
            return Size(path)
        if token.kind == IDENT and self.peek(1).kind == OPERATOR and self.peek(1).text == "(":
            raise ExpressionError(f"Invalid function name; function: {token.text}")
        return self.path()

    def path(self) -> Path:
        elements: list[PathElement] = [self.path_name()]
        while True:
            if self.at_operator("."):
                self.advance()
                elements.append(self.path_name())
            elif self.at_operator("["):
                self.advance()
                token = self.peek()
                if token.kind != NUMBER:
                    raise self.error()
                self.advance()
                self.expect_operator("]")
                elements.append(("index", int(token.text)))
            else:
                return Path(tuple(elements))

    def path_name(self) -> PathElement:
        token = self.peek()
        if token.kind == NAME_REF:
            self.advance()
            self.names.add(token.text)
            return ("ref", token.text)
        if token.kind == IDENT:
            if is_reserved(token.text):
                raise ExpressionError(
                    f"Attribute name is a reserved keyword; reserved keyword: {token.text}"
                )
            self.advance()
            return ("name", token.text)
        raise self.error()

    # --- projections --------------------------------------------------------
    def projection(self) -> tuple[Path, ...]:
        paths = [self.path()]
        while self.at_operator(","):
            self.advance()
            paths.append(self.path())
        return tuple(paths)

    # --- updates ------------------------------------------------------------
    def update(self) -> UpdateActions:
        sets: list[tuple[Path, UpdateValue]] = []
        removes: list[Path] = []
        adds: list[tuple[Path, ValueRef]] = []
        deletes: list[tuple[Path, ValueRef]] = []
        seen: set[str] = set()
        while self.peek().kind != EOF:
            token = self.peek()
            clause = token.text.upper() if token.kind == IDENT else ""
            if clause not in UPDATE_CLAUSES:
                raise self.error()
            if clause in seen:
                raise ExpressionError(
                    f'The "{clause}" section can only be used once in an update expression;'
                )
            seen.add(clause)
            self.advance()
            while True:
                if clause == "SET":
                    path = self.path()
                    self.expect_operator("=")
                    sets.append((path, self.set_value()))
                elif clause == "REMOVE":
                    removes.append(self.path())
                else:
                    path = self.path()
                    if self.peek().kind != VALUE_REF:
                        raise self.error()
                    value = self.operand()
                    assert isinstance(value, ValueRef)
                    (adds if clause == "ADD" else deletes).append((path, value))
                if not self.at_operator(","):
                    break
                self.advance()
        return UpdateActions(tuple(sets), tuple(removes), tuple(adds), tuple(deletes))

    def set_value(self) -> UpdateValue:
        left = self.set_term()
        token = self.peek()
        if token.kind == OPERATOR and token.text in ("+", "-"):
            self.advance()
            return Arithmetic(token.text, left, self.set_term())
        return left

    def set_term(self) -> UpdateValue:
        token = self.peek()
        following = self.peek(1)
        if token.kind == IDENT and following.kind == OPERATOR and following.text == "(":
            name = token.text
            self.advance()
            self.advance()
            if name == "if_not_exists":
                path = self.path()
                self.expect_operator(",")
                default = self.set_value()
                self.expect_operator(")")
                return IfNotExists(path, default)
            if name == "list_append":
                first = self.set_value()
                self.expect_operator(",")
                second = self.set_value()
                self.expect_operator(")")
                return ListAppend(first, second)
            if name in CONDITION_FUNCTIONS or name == "size":
                raise ExpressionError(
                    f"The function is not allowed in an update expression; function: {name}"
                )
            raise ExpressionError(f"Invalid function name; function: {name}")
        if token.kind == VALUE_REF:
            self.advance()
            self.values.add(token.text)
            return ValueRef(token.text)
        return self.path()
