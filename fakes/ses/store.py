"""What SES v1 and v2 share in one account and region: identities, templates, the outbox.

As on AWS, an identity verified through one API is verified for the other,
and a template made with ``CreateTemplate`` is the one ``SendEmail`` (v2)
finds by name.

Sandbox (https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html):
a new account sends only from and to verified identities, at most 200
messages per 24 hours. ``sandbox = False`` models production access
(recipients are no longer checked, quota 50,000). The sending rate (1/s in
the sandbox) is not enforced: the virtual clock does not move during a burst.

Verification: an email address or domain is verified ``verification_delay``
seconds (virtual time) after it is registered, at once by default; no
email is clicked and no DNS record is looked up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.ses.mail import SentMail, bare
from eventproof_fakes.ses.templates import RenderingFailure, Template

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

SANDBOX_DAILY_QUOTA = 200
PRODUCTION_DAILY_QUOTA = 50_000
DAY = 86_400.0


@dataclass
class Identity:
    name: str
    kind: str  # "EmailAddress" or "Domain"
    verified_at: float
    token: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class RenderingFailureRecord:
    template: str
    error: str
    source: str
    at: float


class MailStore:
    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.identities: dict[str, Identity] = {}
        self.templates: dict[str, Template] = {}
        self.outbox: list[SentMail] = []
        self.rendering_failures: list[RenderingFailureRecord] = []
        self.sandbox = True
        self.verification_delay = 0.0

    # --- identities -------------------------------------------------------
    def register(self, name: str, kind: str) -> Identity:
        identity = self.identities.get(name)
        if identity is None:
            identity = Identity(
                name, kind, self.env.clock.now() + self.verification_delay, self.env.ids.token(44)
            )
            self.identities[name] = identity
        return identity

    def is_verified(self, identity: Identity) -> bool:
        return self.env.clock.now() >= identity.verified_at

    def address_verified(self, address: str) -> bool:
        """An address is verified itself, or through its domain or a parent domain."""
        address = bare(address)
        identity = self.identities.get(address) or self.identities.get(address.lower())
        if identity is not None and self.is_verified(identity):
            return True
        domain = address.rpartition("@")[2].lower()
        labels = domain.split(".")
        for start in range(len(labels) - 1):
            identity = self.identities.get(".".join(labels[start:]))
            if identity is not None and identity.kind == "Domain" and self.is_verified(identity):
                return True
        return False

    # --- sending ----------------------------------------------------------
    def daily_quota(self) -> int:
        return SANDBOX_DAILY_QUOTA if self.sandbox else PRODUCTION_DAILY_QUOTA

    def sent_last_24_hours(self) -> int:
        since = self.env.clock.now() - DAY
        return sum(len(mail.recipients) for mail in self.outbox if mail.sent_at > since)

    def check_can_send(self, source: str, recipients: list[str]) -> None:
        """AWS's MessageRejected for unverified identities; Throttling past the daily quota."""
        candidates = [source, *recipients] if self.sandbox else [source]
        # AWS names each identity as the request gave it, display name included.
        failed = list(dict.fromkeys(a for a in candidates if not self.address_verified(a)))
        if failed:
            raise AWSError(
                "MessageRejected",
                "Email address is not verified. The following identities failed the check in "
                f"region {self.env.region.upper()}: {', '.join(failed)}",
            )
        if self.sent_last_24_hours() + len(recipients) > self.daily_quota():
            raise AWSError("Throttling", "Daily message quota exceeded.")

    def accept(self, api: str, **fields: Any) -> SentMail:
        mail = SentMail(
            message_id=f"{self.env.ids.hex(16)}-{self.env.ids.uuid()}-000000",
            api=api,
            sent_at=self.env.clock.now(),
            **fields,
        )
        self.outbox.append(mail)
        return mail

    def send_templated(
        self, api: str, template: Template, data: dict[str, Any], **fields: Any
    ) -> str:
        """Render and record; a rendering failure is recorded instead and the id still returned."""
        try:
            subject, text, html_part = template.render(data)
        except RenderingFailure as failure:
            self.rendering_failures.append(
                RenderingFailureRecord(template.name, str(failure), fields["source"], self.env.clock.now())
            )
            return f"{self.env.ids.hex(16)}-{self.env.ids.uuid()}-000000"
        mail = self.accept(
            api, subject=subject, text=text, html=html_part, template=template.name,
            template_data=data, **fields,
        )
        return mail.message_id

    def sent(self, *, to: str | None = None, where: Callable[[SentMail], bool] | None = None) -> list[SentMail]:
        return [
            mail
            for mail in self.outbox
            if (to is None or to in [bare(r) for r in mail.recipients])
            and (where is None or where(mail))
        ]
