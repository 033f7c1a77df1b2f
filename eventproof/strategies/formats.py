"""Strategies for the JSON Schema ``format`` values eventproof understands.

Each strategy yields strings that the format checks of ``jsonschema``'s
``FormatChecker`` (and RFC 3339 / RFC 4122 / RFC 5321 in general) accept,
in their plainest spelling: ``2000-01-01T00:00:00Z``, lowercase UUIDs,
``name@example.com``. Examples shrink toward 2000-01-01 (hypothesis's choice) and toward short,
lowercase ASCII names.
"""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import strategies as st

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Years 1970..2099 keep examples recognisable and clear of calendar edge cases
# (year 0, leap seconds) that RFC 3339 allows but many consumers reject.
_LAST_DAY = dt.date(2099, 12, 31)
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_LABEL_CHARS = _LOWER + "0123456789"


def _label() -> st.SearchStrategy[str]:
    return st.text(alphabet=_LOWER, min_size=1, max_size=10)


def dates() -> st.SearchStrategy[str]:
    """``YYYY-MM-DD`` full-dates (RFC 3339), shrinking toward 2000-01-01."""
    return st.dates(min_value=_EPOCH.date(), max_value=_LAST_DAY).map(dt.date.isoformat)


def date_times() -> st.SearchStrategy[str]:
    """RFC 3339 date-times in UTC with a ``Z``, milliseconds only when non-zero."""

    def spell(moment: dt.datetime) -> str:
        text = moment.strftime("%Y-%m-%dT%H:%M:%S")
        if moment.microsecond:
            text += f".{moment.microsecond // 1000:03d}"
        return text + "Z"

    return st.datetimes(
        min_value=_EPOCH.replace(tzinfo=None),
        max_value=dt.datetime(2099, 12, 31, 23, 59, 59),
    ).map(lambda moment: spell(moment.replace(microsecond=moment.microsecond // 1000 * 1000)))


def times() -> st.SearchStrategy[str]:
    """RFC 3339 full-times in UTC (``HH:MM:SSZ``)."""
    return st.times().map(lambda t: t.strftime("%H:%M:%S") + "Z")


def uuids() -> st.SearchStrategy[str]:
    """Lowercase hyphenated UUIDs (version 4), shrinking toward all zeros."""
    return st.uuids(version=4).map(str)


def emails() -> st.SearchStrategy[str]:
    """Addresses ``local@domain.tld`` made of lowercase letters."""
    return st.builds(
        lambda local, domain, tld: f"{local}@{domain}.{tld}",
        _label(),
        _label(),
        st.sampled_from(["com", "org", "net", "example"]),
    )


def hostnames() -> st.SearchStrategy[str]:
    """Dotted DNS names of lowercase labels."""
    return st.lists(_label(), min_size=1, max_size=3).map(".".join)


def uris() -> st.SearchStrategy[str]:
    """Absolute ``https`` URIs with a plain path."""
    return st.builds(
        lambda host, path: f"https://{host}/{path}",
        hostnames(),
        st.text(alphabet=_LABEL_CHARS, max_size=10),
    )


def ipv4s() -> st.SearchStrategy[str]:
    return st.ip_addresses(v=4).map(str)


FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date": dates(),
    "date-time": date_times(),
    "time": times(),
    "uuid": uuids(),
    "email": emails(),
    "hostname": hostnames(),
    "uri": uris(),
    "ipv4": ipv4s(),
}
"""Format name -> strategy of strings in that format."""


def is_uuid(text: str) -> bool:
    """True for a hyphenated UUID string (the spelling the contracts use)."""
    try:
        return str(uuid.UUID(text)) == text.lower() and len(text) == 36
    except ValueError:
        return False
