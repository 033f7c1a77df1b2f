"""ListSecrets ``Filters``, as https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Filter.html documents.

Each value is a prefix; ``description`` and ``all`` ignore case, the other
keys do not. A value starting with ``!`` negates. Values of one filter
are alternatives; all filters must hold. ``primary-region`` and
``owning-service`` are refused: the fake has neither replicas nor
managed secrets.
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.secretsmanager.secrets import Secret, invalid_parameter

_MODELLED = ("description", "name", "tag-key", "tag-value", "all")


def _attributes(secret: Secret, key: str) -> list[str]:
    if key == "name":
        return [secret.name]
    if key == "description":
        return [secret.description or ""]
    if key == "tag-key":
        return [tag["Key"] for tag in secret.tags]
    if key == "tag-value":
        return [tag["Value"] for tag in secret.tags]
    words = [secret.name, secret.description or ""]
    words += [tag["Key"] for tag in secret.tags] + [tag["Value"] for tag in secret.tags]
    return [word for text in words for word in text.split()]


def _holds(secret: Secret, key: str, values: list[str]) -> bool:
    ignore_case = key in ("description", "all")
    attributes = _attributes(secret, key)
    if ignore_case:
        attributes = [a.lower() for a in attributes]
    for raw in values:
        negated = raw.startswith("!")
        value = raw[1:] if negated else raw
        if ignore_case:
            value = value.lower()
        hit = any(attribute.startswith(value) for attribute in attributes)
        if hit != negated:
            return True
    return False


def matches_filters(secret: Secret, filters: list[dict[str, Any]]) -> bool:
    for spec in filters:
        key = spec["Key"]
        if key not in _MODELLED:
            raise invalid_parameter(
                f"eventproof's fake secretsmanager does not model the filter key {key}"
            )
        if not _holds(secret, key, spec.get("Values") or []):
            return False
    return True
