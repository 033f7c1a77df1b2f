"""Check an AsyncAPI document against the official AsyncAPI JSON Schema of its version.

The schemas are the ones the AsyncAPI Initiative publishes in the npm package
``@asyncapi/specs`` (``schemas/2.6.0.json`` and ``schemas/3.0.0.json``, Apache
2.0, see ``specs/LICENSE`` and ``specs/NOTICE``), shipped as package data.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from eventproof.catalog.jsonschema_contract import escape_pointer
from eventproof.errors import SchemaError, short_repr

__all__ = ["SUPPORTED_VERSIONS", "check_asyncapi", "spec_version"]

SUPPORTED_VERSIONS = {"2.6.0": "asyncapi-2.6.0.json", "3.0.0": "asyncapi-3.0.0.json"}


@functools.cache
def _validator(version: str) -> jsonschema.Draft7Validator:
    text = resources.files("eventproof.catalog.sources").joinpath(
        "specs", SUPPORTED_VERSIONS[version]).read_text(encoding="utf-8")
    return jsonschema.Draft7Validator(json.loads(text))


def spec_version(document: dict[str, Any], path: Path) -> str:
    """The document's ``asyncapi`` version if eventproof reads it; else a clear error."""
    version = document.get("asyncapi")
    if version not in SUPPORTED_VERSIONS:
        raise SchemaError(
            f"unsupported AsyncAPI version {version!r}",
            file=path, pointer="/asyncapi",
            hint="eventproof reads AsyncAPI " + " and ".join(SUPPORTED_VERSIONS)
            + " (convert older documents with the AsyncAPI CLI: asyncapi convert)",
        )
    return str(version)


def _deepest(error: ValidationError) -> ValidationError:
    # oneOf/anyOf over alternatives (a Reference or a Message, ...): the error
    # that reaches deepest into the document says best what is wrong there.
    while error.context:
        deepest = max(len(e.absolute_path) for e in error.context)
        if deepest < len(error.absolute_path):
            break
        candidate = best_match(e for e in error.context if len(e.absolute_path) == deepest)
        if candidate is None:
            break
        error = candidate
    return error


def check_asyncapi(document: dict[str, Any], path: Path, *, line_of: Any = None) -> str:
    """Raise SchemaError (file, JSON pointer, what was expected) unless ``document`` is valid."""
    version = spec_version(document, path)
    try:
        error = best_match(_validator(version).iter_errors(document))
    except RecursionError:
        raise SchemaError("AsyncAPI document nests too deeply to check", file=path) from None
    if error is None:
        return version
    error = _deepest(error)
    parts = list(error.absolute_path)
    line = line_of(*parts) if line_of is not None else None
    expected = _expectation(error)
    raise SchemaError(
        f"not a valid AsyncAPI {version} document: {expected}",
        file=path, line=line, pointer=escape_pointer(parts),
        hint="checked against the official AsyncAPI JSON Schema (@asyncapi/specs)",
    )


def _expectation(error: ValidationError) -> str:
    keyword = error.validator
    if keyword == "required":
        return error.message.replace("is a required property", "is required here")
    if keyword == "additionalProperties":
        return f"{error.message} (unknown keys must start with x-)"
    if keyword == "type":
        return f"expected {error.validator_value}, found {short_repr(error.instance, 60)}"
    if keyword == "enum":
        return f"expected one of {short_repr(error.validator_value, 120)}, found {short_repr(error.instance, 60)}"
    return short_repr(error.message, 200)
