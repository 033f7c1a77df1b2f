"""The SAM transform, applied with AWS's own ``aws-sam-translator``, offline.

The translator accepts only ``s3://`` code locations, so every local
``CodeUri`` (and ``ContentUri``/``DefinitionUri``) is swapped for a
placeholder before the transform and mapped back to its folder afterwards:
the translated ``AWS::Lambda::Function`` then carries
``Code: {S3Bucket: PLACEHOLDER_BUCKET, S3Key: <n>}`` and ``code_folders[n]``
is the folder on disk. Managed policies are not looked up (no IAM here).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from eventproof_fakes.cloudformation.errors import TemplateError

__all__ = ["PLACEHOLDER_BUCKET", "SAM_TRANSFORM", "translate"]

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
PLACEHOLDER_BUCKET = "eventproof-local-code"
_CODE_PROPERTIES = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}

_translator_parts: tuple[Any, Any, Any] | None = None


def _translator() -> tuple[Any, Any, Any]:
    # Importing samtranslator costs ~0.4 s: only templates that use SAM pay it, once.
    global _translator_parts
    if _translator_parts is None:
        from samtranslator.metrics.metrics import DummyMetricsPublisher, Metrics
        from samtranslator.parser.parser import Parser
        from samtranslator.translator.translator import Translator

        _translator_parts = (Translator, Parser, lambda: Metrics(metrics_publisher=DummyMetricsPublisher()))
    return _translator_parts


def translate(
    template: dict[str, Any],
    parameters: dict[str, Any],
    base_dir: Path,
    session: Any,
    source: str,
) -> tuple[dict[str, Any], dict[str, Path]]:
    """The plain CloudFormation of a SAM template, and the local folder of each code placeholder."""
    document = copy.deepcopy(template)
    folders: dict[str, Path] = {}

    def placeholder(location: Any) -> Any:
        if isinstance(location, str) and not location.startswith("s3://"):
            key = str(len(folders))
            folders[key] = (base_dir / location).resolve()
            return f"s3://{PLACEHOLDER_BUCKET}/{key}"
        return location

    globals_function = (document.get("Globals") or {}).get("Function") or {}
    if "CodeUri" in globals_function:
        globals_function["CodeUri"] = placeholder(globals_function["CodeUri"])
    for resource in (document.get("Resources") or {}).values():
        if not isinstance(resource, dict):
            continue
        code_property = _CODE_PROPERTIES.get(resource.get("Type", ""))
        if code_property is None:
            continue
        properties = resource.setdefault("Properties", {})
        if code_property in properties:
            properties[code_property] = placeholder(properties[code_property])
        elif (
            resource["Type"] == "AWS::Serverless::Function"
            and "InlineCode" not in properties
            and "ImageUri" not in properties
            and "CodeUri" not in globals_function
        ):
            # sam build's default: the function's code is the template's folder.
            properties["CodeUri"] = placeholder(".")
    translator_class, parser_class, new_metrics = _translator()
    # The translator records usage metrics; published to nowhere, so none is left unpublished.
    metrics = new_metrics()
    try:
        translated = translator_class(None, parser_class(), boto_session=session,
                                      metrics=metrics).translate(
            _plain(document), parameters, get_managed_policy_map=lambda: {}
        )
    except Exception as error:  # the translator's InvalidDocumentException and kin
        causes = getattr(error, "causes", None) or [error]
        message = "; ".join(str(getattr(c, "message", c)) for c in causes)
        raise TemplateError(source, None, f"the SAM transform rejected the template: {message}") from None
    finally:
        metrics.publish()
    return translated, folders


def _plain(value: Any) -> Any:
    """Plain dicts and lists: the translator copies and compares with ``type(x) is dict``."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
