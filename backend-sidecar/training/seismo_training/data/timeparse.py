"""Timestamps as users and files write them: unix seconds/milliseconds or RFC 3339."""

from __future__ import annotations

from datetime import datetime, timezone

# Unix seconds stay below this until the year 5138; larger numbers are milliseconds.
_MILLISECONDS_ABOVE = 1e11


def parse_timestamp(text: str) -> float:
    """Return unix seconds. Raises ValueError with the offending text."""
    raw = text.strip()
    try:
        number = float(raw)
    except ValueError:
        number = None
    if number is not None:
        return number / 1000.0 if abs(number) > _MILLISECONDS_ABOVE else number
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"cannot parse timestamp {raw!r}") from exc
    if parsed.tzinfo is None:
        # Naive times are taken as UTC so a run does not depend on the machine's zone.
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def format_timestamp(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat().replace("+00:00", "Z")
