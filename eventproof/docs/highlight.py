"""JSON syntax highlighting for the raw schema: spans around keys, strings, numbers and literals.

Every piece of the text is escaped before it is wrapped, so a schema that
holds markup shows it as text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

__all__ = ["highlight_json"]

_TOKEN = re.compile(r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))|(?P<string>"(?:[^"\\]|\\.)*")'
                    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)")


def highlight_json(value: Any) -> Markup:
    """``value`` as indented JSON, tokens wrapped in ``<span class="j-...">``."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(str(escape(text[position:match.start()])))
        kind = match.lastgroup or "string"
        out.append(f'<span class="j-{kind}">{escape(match.group())}</span>')
        position = match.end()
    out.append(str(escape(text[position:])))
    return Markup("".join(out))
