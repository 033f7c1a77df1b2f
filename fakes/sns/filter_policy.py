"""Subscription filter policies, matched by the shared engine in ``eventproof_fakes.event_patterns``.

For the ``MessageAttributes`` scope the attributes become ``{name: value}``
(numbers as numbers, String.Array as its list); for ``MessageBody`` the
message is parsed as JSON and a body that is not a JSON object never matches.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from eventproof_fakes.event_patterns import CompiledPattern, InvalidPatternError, compile_pattern
from eventproof_fakes.sns.errors import invalid_parameter
from eventproof_fakes.sns.message_attributes import filter_number, matching_form

SCOPES = ("MessageAttributes", "MessageBody")


def compiled_policy(policy: str, scope: str, *, at_subscribe: bool) -> CompiledPattern | None:
    """Compile a FilterPolicy for a scope; an empty policy means no filtering."""
    prefix = "Attributes Reason: " if at_subscribe else ""
    if not policy or policy.strip() in ("", "{}"):
        return None
    try:
        compiled = compile_pattern(_with_filter_numbers(policy), dialect="sns")
    except InvalidPatternError as error:
        raise invalid_parameter(prefix + error.message) from None
    if scope == "MessageAttributes" and _is_nested(json.loads(policy)):
        raise invalid_parameter(
            "Filter policy scope MessageAttributes does not support nested filter policy"
        )
    return compiled


def _with_filter_numbers(policy: str) -> str:
    """The policy with every number cut to SNS's five decimal places (invalid JSON as given)."""
    try:
        parsed = json.loads(policy, parse_float=lambda text: filter_number(Decimal(text)))
    except ValueError:
        return policy  # compile_pattern reports the JSON error AWS reports
    return json.dumps(parsed)


def _is_nested(policy: Any) -> bool:
    return isinstance(policy, dict) and any(isinstance(v, dict) for v in policy.values())


def check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise invalid_parameter(
            f"FilterPolicyScope: Invalid value [{scope}]. "
            "Please use either MessageBody or MessageAttributes"
        )


def accepts(
    policy: CompiledPattern | None,
    scope: str,
    message: str,
    attributes: Mapping[str, Mapping[str, Any]],
) -> bool:
    if policy is None:
        return True
    if scope == "MessageBody":
        try:
            body = json.loads(message, parse_float=lambda text: filter_number(Decimal(text)))
        except ValueError:
            return False
        return isinstance(body, dict) and policy.matches(body)
    return policy.matches(matching_form(attributes))
