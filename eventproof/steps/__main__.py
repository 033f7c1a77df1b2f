"""``python -m eventproof.steps``: print the step reference (Markdown)."""

from __future__ import annotations

import sys

from eventproof.steps.reference import markdown

sys.stdout.write(markdown())
