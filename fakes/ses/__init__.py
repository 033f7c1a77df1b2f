"""SES v1 and v2 over one store: identities, templates and the outbox of sent mail."""

from __future__ import annotations

from eventproof_fakes.ses.mail import SentMail
from eventproof_fakes.ses.v1 import SES
from eventproof_fakes.ses.v2 import SESv2

__all__ = ["SES", "SESv2", "SentMail"]
