"""Outbound mail as the SES fake records it, and the address and MIME helpers both APIs share."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Any

from eventproof_fakes.errors import AWSError

MAX_RECIPIENTS = 50


@dataclass
class SentMail:
    """One message SES accepted: who, what, through which API, at what virtual time."""

    message_id: str
    api: str  # "ses" (v1) or "sesv2"
    source: str  # the From address as given, display name included
    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str | None
    text: str | None
    html: str | None
    sent_at: float
    reply_to: list[str] = field(default_factory=list)
    return_path: str | None = None  # where bounces go (v1 ReturnPath, v2 FeedbackForwardingEmailAddress)
    raw: bytes | None = None  # the MIME message, for raw sends
    template: str | None = None
    template_data: dict[str, Any] | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]

    @property
    def sender(self) -> str:
        """The bare address of ``source``."""
        return bare(self.source)


def simple_content(subject: Any, body: Any) -> dict[str, str | None]:
    """Subject, text and HTML of a simple message, as v1's Message and v2's Content.Simple give them."""
    body = body or {}
    return {
        "subject": (subject or {}).get("Data"),
        "text": (body.get("Text") or {}).get("Data"),
        "html": (body.get("Html") or {}).get("Data"),
    }


def bare(address: str) -> str:
    """``"Ann <ann@example.com>"`` -> ``ann@example.com``."""
    return parseaddr(address)[1] or address


def check_addresses(addresses: list[str], error_code: str = "InvalidParameterValue") -> None:
    if len(addresses) > MAX_RECIPIENTS:
        raise AWSError(error_code, f"Recipient count exceeds {MAX_RECIPIENTS}.")
    for address in addresses:
        local, at, domain = bare(address).rpartition("@")
        if not at or not local or not domain:
            raise AWSError(error_code, f"Missing final '@domain' in address {address!r}")


def parse_raw(data: bytes) -> dict[str, Any]:
    """From, To, Cc, Bcc, Subject and the text/HTML bodies of a MIME message."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)

    def addresses(header: str) -> list[str]:
        return [address for _, address in getaddresses(message.get_all(header, [])) if address]

    def body(kind: str) -> str | None:
        part = message.get_body(preferencelist=(kind,))
        return part.get_content() if part is not None else None

    return {
        "from": str(message.get("From") or ""),
        "to": addresses("To"),
        "cc": addresses("Cc"),
        "bcc": addresses("Bcc"),
        "subject": str(message["Subject"]) if message["Subject"] is not None else None,
        "text": body("plain"),
        "html": body("html"),
    }
