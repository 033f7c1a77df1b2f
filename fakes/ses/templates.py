"""SES email templates: ``{{name}}`` placeholders filled from ``TemplateData``.

SES renders templates with Handlebars
(https://docs.aws.amazon.com/ses/latest/dg/send-personalized-email-advanced.html).
The fake renders ``{{name}}``, ``{{person.name}}`` and ``{{{raw}}}``
(HTML-escaped in the HTML part, as Handlebars does, except the triple
form); it refuses templates with block helpers (``{{#if}}``, ``{{#each}}``)
or partials when they are created, rather than render them wrongly. A
placeholder without data is a rendering failure: as on AWS, the send call
succeeds and the message is not delivered (see ``MailStore.rendering_failures``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventproof_fakes.errors import AWSError

_PLACEHOLDER = re.compile(r"\{\{\{\s*([\w.]+)\s*\}\}\}|\{\{\s*([\w.]+)\s*\}\}")
_BLOCK = re.compile(r"\{\{\s*[#/>^!]")


class RenderingFailure(Exception):
    def __init__(self, attribute: str) -> None:
        super().__init__(f"Attribute '{attribute}' is not present in the rendering data.")
        self.attribute = attribute


@dataclass
class Template:
    name: str
    subject: str | None
    text: str | None
    html: str | None
    created: datetime | None = None

    @classmethod
    def checked(cls, name: str, subject: str | None, text: str | None, html_part: str | None,
                error_code: str = "InvalidTemplate") -> Template:
        for part in (subject, text, html_part):
            if part and _BLOCK.search(part):
                raise AWSError(
                    error_code,
                    f"Template {name}: eventproof's fake SES renders {{{{name}}}} placeholders only; "
                    "block helpers and partials are not modelled",
                )
        return cls(name, subject, text, html_part)

    def render(self, data: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
        """(subject, text, html) with the data filled in; ``RenderingFailure`` if some is missing."""
        return (
            _fill(self.subject, data, escape=False),
            _fill(self.text, data, escape=False),
            _fill(self.html, data, escape=True),
        )


def _lookup(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise RenderingFailure(path)
        value = value[key]
    return value


def _fill(part: str | None, data: dict[str, Any], *, escape: bool) -> str | None:
    if part is None:
        return None

    def replace(match: re.Match[str]) -> str:
        raw_path, path = match[1], match[2]
        value = _lookup(data, raw_path or path)
        text = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
        return html.escape(text) if escape and path else text

    return _PLACEHOLDER.sub(replace, part)
