"""Mapping templates: Velocity (rendered by ``airspeed``) with API Gateway's variables.

``$input`` (body, json, path, params), ``$util`` (escapeJavaScript,
parseJson, urlEncode/urlDecode, base64Encode/base64Decode), ``$context`` and
``$stageVariables``, as "Variables for data transformations" documents:
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
JSONPath expressions are evaluated by ``jsonpath-ng``.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import airspeed
from jsonpath_ng import parse as parse_jsonpath
from jsonpath_ng.exceptions import JsonPathParserError

__all__ = ["InputVariable", "TemplateError", "UtilVariable", "render"]


class TemplateError(Exception):
    """A mapping template that does not parse or fails while rendering."""


def _evaluate(document: Any, expression: str) -> Any:
    try:
        matches = parse_jsonpath(expression).find(document)
    except (JsonPathParserError, Exception) as error:  # jsonpath-ng raises plain Exceptions too
        raise TemplateError(f"invalid JSONPath {expression!r}: {error}") from None
    if not matches:
        return None
    if len(matches) == 1:
        return matches[0].value
    return [match.value for match in matches]


class InputVariable:
    """``$input``: the request (or, in a response template, the integration's) payload and parameters."""

    def __init__(self, body: str, params: dict[str, dict[str, str]]) -> None:
        self.body = body
        self._params = params
        self._parsed: Any = None
        self._parsed_done = False

    def _document(self) -> Any:
        if not self._parsed_done:
            try:
                self._parsed = json.loads(self.body) if self.body.strip() else {}
            except json.JSONDecodeError:
                self._parsed = self.body  # a JSONPath over a non-JSON body sees the string
            except RecursionError:
                raise TemplateError("the JSON body nests too deeply to evaluate JSONPath") from None
            self._parsed_done = True
        return self._parsed

    def json(self, expression: str) -> str:
        """The value at a JSONPath, as JSON text."""
        return json.dumps(_evaluate(self._document(), expression))

    def path(self, expression: str) -> Any:
        """The value at a JSONPath, as an object the template can walk."""
        return _evaluate(self._document(), expression)

    def params(self, name: str | None = None) -> Any:
        """All parameters (``path``, ``querystring``, ``header``), or one by name in that order."""
        if name is None:
            return self._params
        for location in ("path", "querystring", "header"):
            values = self._params.get(location, {})
            if location == "header":
                for key, value in values.items():
                    if key.lower() == name.lower():
                        return value
            elif name in values:
                return values[name]
        return ""


class UtilVariable:
    """``$util``: API Gateway's string helpers."""

    @staticmethod
    def escapeJavaScript(text: Any) -> str:
        escaped = []
        for char in str(text):
            if char in _JS_ESCAPES:
                escaped.append(_JS_ESCAPES[char])
            elif ord(char) < 0x20 or ord(char) > 0x7E:
                escaped.append(f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else _surrogates(char))
            else:
                escaped.append(char)
        return "".join(escaped)

    @staticmethod
    def parseJson(text: str) -> Any:
        try:
            return json.loads(text)
        except (TypeError, json.JSONDecodeError, RecursionError) as error:
            raise TemplateError(f"$util.parseJson: not JSON: {error}") from None

    @staticmethod
    def urlEncode(text: Any) -> str:
        return quote_plus(str(text))

    @staticmethod
    def urlDecode(text: Any) -> str:
        return unquote_plus(str(text))

    @staticmethod
    def base64Encode(text: Any) -> str:
        return base64.b64encode(str(text).encode("utf-8")).decode("ascii")

    @staticmethod
    def base64Decode(text: Any) -> str:
        return base64.b64decode(str(text)).decode("utf-8", errors="replace")


_JS_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "'": "\\'",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _surrogates(char: str) -> str:
    code = ord(char) - 0x10000
    return f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}"


def render(
    template: str,
    *,
    input_variable: InputVariable,
    context: dict[str, Any],
    stage_variables: dict[str, str],
) -> str:
    """Render one mapping template; ``TemplateError`` when it cannot be rendered."""
    namespace = {
        "input": input_variable,
        "util": UtilVariable(),
        "context": context,
        "stageVariables": stage_variables,
    }
    try:
        return str(airspeed.Template(template).merge(namespace))
    except TemplateError:
        raise
    except Exception as error:  # airspeed's TemplateSyntaxError, errors inside the template
        raise TemplateError(f"{type(error).__name__}: {error}") from None
