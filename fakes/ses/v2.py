"""SES v2 (the ``sesv2`` API): email identities, email templates, SendEmail with three contents."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.pagination import InvalidToken, page
from eventproof_fakes.ses.mail import check_addresses, parse_raw, simple_content
from eventproof_fakes.ses.store import Identity, MailStore
from eventproof_fakes.ses.templates import Template

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["SESv2"]

_REFUSED_SEND = (
    "FromEmailAddressIdentityArn",
    "FeedbackForwardingEmailAddressIdentityArn",
    "ConfigurationSetName",
    "EndpointId",
    "TenantName",
    "ListManagementOptions",
    "ConfigurationOverrides",
)
_KINDS = {"EmailAddress": "EMAIL_ADDRESS", "Domain": "DOMAIN"}


def _bad_request(message: str) -> AWSError:
    return AWSError("BadRequestException", message)


def _unsupported(name: str) -> AWSError:
    return AWSError(
        "UnsupportedParameter",
        f"eventproof's fake sesv2 does not model the parameter {name} of SendEmail",
    )


class SESv2:
    """SES v2 over the same identities, templates and outbox as SES v1 (``env.ses.sent()``).

    Not modelled (refused): sending authorisation ARNs, configuration sets,
    tenants, list management, custom headers and attachments, DKIM signing
    attributes.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env

    @property
    def store(self) -> MailStore:
        return self.env.ses.store

    # --- identities -------------------------------------------------------
    @operation(refuses=("DkimSigningAttributes", "ConfigurationSetName"))
    def create_email_identity(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["EmailIdentity"]
        if name in self.store.identities:
            raise AWSError("AlreadyExistsException", f"Email identity {name} already exist.")
        if "@" in name:
            check_addresses([name], "BadRequestException")
        identity = self.store.register(
            name if "@" in name else name.lower(), "EmailAddress" if "@" in name else "Domain"
        )
        identity.tags = {tag["Key"]: tag["Value"] for tag in params.get("Tags") or []}
        return {
            "IdentityType": _KINDS[identity.kind],
            "VerifiedForSendingStatus": self.store.is_verified(identity),
            "DkimAttributes": self._dkim(identity),
        }

    @operation
    def get_email_identity(self, params: dict[str, Any]) -> dict[str, Any]:
        identity = self._identity(params["EmailIdentity"])
        verified = self.store.is_verified(identity)
        return {
            "IdentityType": _KINDS[identity.kind],
            "FeedbackForwardingStatus": True,
            "VerifiedForSendingStatus": verified,
            "VerificationStatus": "SUCCESS" if verified else "PENDING",
            "DkimAttributes": self._dkim(identity),
            "Policies": {},
            "Tags": [{"Key": k, "Value": v} for k, v in identity.tags.items()],
        }

    @operation(refuses=("Filter",))
    def list_email_identities(self, params: dict[str, Any]) -> dict[str, Any]:
        listed = [
            {
                "IdentityType": _KINDS[identity.kind],
                "IdentityName": identity.name,
                "SendingEnabled": True,
                "VerificationStatus": "SUCCESS" if self.store.is_verified(identity) else "PENDING",
            }
            for identity in self.store.identities.values()
        ]
        try:
            items, token = page(listed, params.get("PageSize", 100), params.get("NextToken"))
        except InvalidToken:
            raise _bad_request("Invalid NextToken") from None
        return {"EmailIdentities": items, **({"NextToken": token} if token else {})}

    @operation
    def delete_email_identity(self, params: dict[str, Any]) -> dict[str, Any]:
        self._identity(params["EmailIdentity"])
        del self.store.identities[params["EmailIdentity"]]
        return {}

    # --- templates --------------------------------------------------------
    @operation(refuses=("Tags",))
    def create_email_template(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["TemplateName"]
        if name in self.store.templates:
            raise AWSError("AlreadyExistsException", f"Template {name} already exists.")
        content = params["TemplateContent"]
        self.store.templates[name] = Template.checked(
            name,
            content.get("Subject"),
            content.get("Text"),
            content.get("Html"),
            "BadRequestException",
        )
        return {}

    @operation
    def get_email_template(self, params: dict[str, Any]) -> dict[str, Any]:
        template = self._template(params["TemplateName"])
        content = {
            k: v
            for k, v in (
                ("Subject", template.subject),
                ("Text", template.text),
                ("Html", template.html),
            )
            if v is not None
        }
        return {"TemplateName": template.name, "TemplateContent": content}

    @operation
    def delete_email_template(self, params: dict[str, Any]) -> dict[str, Any]:
        self._template(params["TemplateName"])
        del self.store.templates[params["TemplateName"]]
        return {}

    # --- sending ----------------------------------------------------------
    @operation(refuses=_REFUSED_SEND)
    def send_email(self, params: dict[str, Any]) -> dict[str, Any]:
        content = params["Content"]
        kinds = [kind for kind in ("Simple", "Raw", "Template") if kind in content]
        if len(kinds) != 1:
            raise _bad_request("Exactly one of Simple, Raw or Template content must be specified.")
        destination = params.get("Destination") or {}
        to, cc, bcc = (
            list(destination.get(k) or []) for k in ("ToAddresses", "CcAddresses", "BccAddresses")
        )
        common = {
            "reply_to": list(params.get("ReplyToAddresses") or []),
            "tags": {t["Name"]: t["Value"] for t in params.get("EmailTags") or []},
        }
        source = params.get("FromEmailAddress")
        if kinds[0] == "Raw":
            data = content["Raw"]["Data"]
            parsed = parse_raw(data)
            source = source or parsed["from"]
            if not (to or cc or bcc):
                to, cc, bcc = parsed["to"], parsed["cc"], parsed["bcc"]
            self._check(source, to, cc, bcc)
            mail = self.store.accept(
                "sesv2",
                source=source,
                to=to,
                cc=cc,
                bcc=bcc,
                subject=parsed["subject"],
                text=parsed["text"],
                html=parsed["html"],
                raw=data,
                **common,
            )
            return {"MessageId": mail.message_id}
        if not source:
            raise _bad_request("FromEmailAddress is required for Simple and Template content.")
        self._check(source, to, cc, bcc)
        if kinds[0] == "Simple":
            simple = content["Simple"]
            for unmodelled in ("Headers", "Attachments"):
                if unmodelled in simple:
                    raise _unsupported(f"Content.Simple.{unmodelled}")
            mail = self.store.accept(
                "sesv2",
                source=source,
                to=to,
                cc=cc,
                bcc=bcc,
                **simple_content(simple.get("Subject"), simple.get("Body")),
                **common,
            )
            return {"MessageId": mail.message_id}
        spec = content["Template"]
        for unmodelled in ("TemplateArn", "Headers", "Attachments"):
            if unmodelled in spec:
                raise _unsupported(f"Content.Template.{unmodelled}")
        if "TemplateContent" in spec:
            inline = spec["TemplateContent"]
            template = Template.checked(
                "inline",
                inline.get("Subject"),
                inline.get("Text"),
                inline.get("Html"),
                "BadRequestException",
            )
        else:
            template = self._template(spec.get("TemplateName") or "")
        try:
            data = json.loads(spec.get("TemplateData") or "{}")
        except ValueError:
            raise _bad_request("Template data must be valid JSON.") from None
        message_id = self.store.send_templated(
            "sesv2",
            template,
            data if isinstance(data, dict) else {},
            source=source,
            to=to,
            cc=cc,
            bcc=bcc,
            **common,
        )
        return {"MessageId": message_id}

    # --- helpers ----------------------------------------------------------
    def _check(self, source: str, to: list[str], cc: list[str], bcc: list[str]) -> None:
        recipients = [*to, *cc, *bcc]
        if not recipients:
            raise _bad_request("Missing required field Destination.")
        check_addresses(recipients, "BadRequestException")
        self.store.check_can_send(source, recipients)

    def _identity(self, name: str) -> Identity:
        identity = self.store.identities.get(name) or self.store.identities.get(name.lower())
        if identity is None:
            raise AWSError("NotFoundException", f"Email identity {name} does not exist.")
        return identity

    def _template(self, name: str) -> Template:
        template = self.store.templates.get(name)
        if template is None:
            raise AWSError("NotFoundException", f"Template {name} does not exist.")
        return template

    def _dkim(self, identity: Identity) -> dict[str, Any]:
        if identity.kind != "Domain":
            return {"SigningEnabled": False, "Status": "NOT_STARTED"}
        status = "SUCCESS" if self.store.is_verified(identity) else "PENDING"
        return {"SigningEnabled": True, "Status": status, "Tokens": [identity.token[:32]]}
