"""SES (v1, the ``ses`` API): identities, templates, SendEmail/SendRawEmail/SendTemplatedEmail."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.pagination import InvalidToken, page
from eventproof_fakes.ses.mail import SentMail, check_addresses, parse_raw, simple_content
from eventproof_fakes.ses.store import MailStore
from eventproof_fakes.ses.templates import Template

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["SES"]

_ARNS = ("SourceArn", "ReturnPathArn", "ConfigurationSetName")


def _destination(params: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    destination = params.get("Destination") or {}
    to, cc, bcc = (list(destination.get(k) or []) for k in ("ToAddresses", "CcAddresses", "BccAddresses"))
    check_addresses([*to, *cc, *bcc])
    return to, cc, bcc


def _tags(params: dict[str, Any]) -> dict[str, str]:
    return {tag["Name"]: tag["Value"] for tag in params.get("Tags") or []}


class SES:
    """SES v1, sharing identities, templates and the outbox with SES v2 (``eventproof_fakes.ses.store``).

    Read what was sent with ``sent()``. Not modelled (refused): sending
    authorisation (``SourceArn``, ``FromArn``, ``ReturnPathArn``,
    ``TemplateArn``) and configuration sets; no bounces, complaints or
    delivery notifications are produced.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.store = MailStore(env)

    # --- Python API -------------------------------------------------------
    def sent(self, *, to: str | None = None) -> list[SentMail]:
        """Every message accepted through SES v1 or v2, oldest first (optionally to one address)."""
        return self.store.sent(to=to)

    def verify_later(self, identity: str, seconds: float) -> None:
        """Make a registered identity wait ``seconds`` more (virtual time) before it is verified."""
        self.store.identities[identity].verified_at = self.env.clock.now() + seconds

    @property
    def sandbox(self) -> bool:
        return self.store.sandbox

    @sandbox.setter
    def sandbox(self, value: bool) -> None:
        self.store.sandbox = value

    # --- identities -------------------------------------------------------
    @operation
    def verify_email_identity(self, params: dict[str, Any]) -> dict[str, Any]:
        check_addresses([params["EmailAddress"]])
        self.store.register(params["EmailAddress"], "EmailAddress")
        return {}

    @operation
    def verify_domain_identity(self, params: dict[str, Any]) -> dict[str, Any]:
        identity = self.store.register(params["Domain"].lower(), "Domain")
        return {"VerificationToken": identity.token}

    @operation
    def list_identities(self, params: dict[str, Any]) -> dict[str, Any]:
        kind = params.get("IdentityType")
        names = [i.name for i in self.store.identities.values() if kind in (None, i.kind)]
        try:
            items, token = page(names, params.get("MaxItems", 1000), params.get("NextToken"))
        except InvalidToken:
            raise AWSError("InvalidParameterValue", "Invalid NextToken") from None
        return {"Identities": items, **({"NextToken": token} if token else {})}

    @operation
    def get_identity_verification_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        for name in params["Identities"]:
            identity = self.store.identities.get(name)
            if identity is None:
                continue
            entry = {"VerificationStatus": "Success" if self.store.is_verified(identity) else "Pending"}
            if identity.kind == "Domain":
                entry["VerificationToken"] = identity.token
            attributes[name] = entry
        return {"VerificationAttributes": attributes}

    @operation
    def delete_identity(self, params: dict[str, Any]) -> dict[str, Any]:
        self.store.identities.pop(params["Identity"], None)
        return {}

    @operation
    def get_send_quota(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "Max24HourSend": float(self.store.daily_quota()),
            "MaxSendRate": 1.0 if self.store.sandbox else 14.0,
            "SentLast24Hours": float(self.store.sent_last_24_hours()),
        }

    # --- templates --------------------------------------------------------
    @operation
    def create_template(self, params: dict[str, Any]) -> dict[str, Any]:
        spec = params["Template"]
        name = spec["TemplateName"]
        if name in self.store.templates:
            raise AWSError("AlreadyExists", f"Template {name} already exists for account id {self.env.account_id}")
        self.store.templates[name] = Template.checked(
            name, spec.get("SubjectPart"), spec.get("TextPart"), spec.get("HtmlPart")
        )
        self.store.templates[name].created = self.env.clock.now_datetime()
        return {}

    @operation
    def update_template(self, params: dict[str, Any]) -> dict[str, Any]:
        spec = params["Template"]
        self._template(spec["TemplateName"])
        self.store.templates[spec["TemplateName"]] = Template.checked(
            spec["TemplateName"], spec.get("SubjectPart"), spec.get("TextPart"), spec.get("HtmlPart")
        )
        return {}

    @operation
    def get_template(self, params: dict[str, Any]) -> dict[str, Any]:
        template = self._template(params["TemplateName"])
        shown = {"TemplateName": template.name}
        for key, value in (("SubjectPart", template.subject), ("TextPart", template.text), ("HtmlPart", template.html)):
            if value is not None:
                shown[key] = value
        return {"Template": shown}

    @operation
    def delete_template(self, params: dict[str, Any]) -> dict[str, Any]:
        self.store.templates.pop(params["TemplateName"], None)  # AWS: deleting a missing one succeeds
        return {}

    @operation
    def list_templates(self, params: dict[str, Any]) -> dict[str, Any]:
        listed = [
            {"Name": name, "CreatedTimestamp": template.created}
            for name, template in sorted(self.store.templates.items())
        ]
        try:
            items, token = page(listed, params.get("MaxItems", 10), params.get("NextToken"))
        except InvalidToken:
            raise AWSError("InvalidParameterValue", "Invalid NextToken") from None
        return {"TemplatesMetadata": items, **({"NextToken": token} if token else {})}

    # --- sending ----------------------------------------------------------
    @operation(refuses=_ARNS)
    def send_email(self, params: dict[str, Any]) -> dict[str, Any]:
        to, cc, bcc = _destination(params)
        source = params["Source"]
        self.store.check_can_send(source, [*to, *cc, *bcc])
        message = params["Message"]
        mail = self.store.accept(
            "ses",
            source=source,
            to=to,
            cc=cc,
            bcc=bcc,
            **simple_content(message.get("Subject"), message.get("Body")),
            reply_to=list(params.get("ReplyToAddresses") or []),
            return_path=params.get("ReturnPath"),
            tags=_tags(params),
        )
        return {"MessageId": mail.message_id}

    @operation(refuses=(*_ARNS, "FromArn"))
    def send_raw_email(self, params: dict[str, Any]) -> dict[str, Any]:
        data = params["RawMessage"]["Data"]
        parsed = parse_raw(data)
        source = params.get("Source") or parsed["from"]
        if not source:
            raise AWSError("InvalidParameterValue", "Missing required header 'From'.")
        destinations = list(params.get("Destinations") or [])
        to, cc, bcc = (destinations, [], []) if destinations else (parsed["to"], parsed["cc"], parsed["bcc"])
        recipients = [*to, *cc, *bcc]
        if not recipients:
            raise AWSError("InvalidParameterValue", "Missing required header 'To'.")
        check_addresses(recipients)
        self.store.check_can_send(source, recipients)
        mail = self.store.accept(
            "ses", source=source, to=to, cc=cc, bcc=bcc, subject=parsed["subject"],
            text=parsed["text"], html=parsed["html"], raw=data, tags=_tags(params),
        )
        return {"MessageId": mail.message_id}

    @operation(refuses=(*_ARNS, "TemplateArn"))
    def send_templated_email(self, params: dict[str, Any]) -> dict[str, Any]:
        to, cc, bcc = _destination(params)
        source = params["Source"]
        template = self._template(params["Template"])
        try:
            data = json.loads(params["TemplateData"])
        except ValueError:
            raise AWSError("InvalidParameterValue", "Template data must be valid JSON.") from None
        self.store.check_can_send(source, [*to, *cc, *bcc])
        message_id = self.store.send_templated(
            "ses", template, data if isinstance(data, dict) else {}, source=source, to=to, cc=cc,
            bcc=bcc, reply_to=list(params.get("ReplyToAddresses") or []), tags=_tags(params),
            return_path=params.get("ReturnPath"),
        )
        return {"MessageId": message_id}

    def _template(self, name: str) -> Template:
        template = self.store.templates.get(name)
        if template is None:
            raise AWSError("TemplateDoesNotExist", f"Template {name} does not exist.")
        return template
