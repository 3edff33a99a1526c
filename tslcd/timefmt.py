"""Times as operators read them: in the configured zone (default Asia/Ho_Chi_Minh), while every
store keeps UTC (SQLite ISO 8601 UTC, git commit dates with their offset)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tslcd.errors import ConfigError


@cache
def zone(name: str) -> ZoneInfo:
    """The zone ``name`` (an IANA name); an unknown one is a config error naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"timezone {name!r} is not a known IANA time zone "
                          "(e.g. Asia/Ho_Chi_Minh)") from None


def local(iso: str | None, zone_name: str, seconds: bool = False) -> str:
    """``iso`` (UTC or with an offset; naive means UTC) shown in ``zone_name``: "2026-12-05 00:03"."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso  # not a time we wrote: shown as it is
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(zone_name)).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""))


def zone_label(zone_name: str) -> str:
    """The zone's current abbreviation or offset for column headers ("+07")."""
    return datetime.now(zone(zone_name)).strftime("%Z")


def format_uptime(seconds: int | None) -> str:
    """Uptime as days, hours and minutes ("" when unknown)."""
    if seconds is None:
        return ""
    days, rest = divmod(seconds, 86400)
    return f"{days}d {rest // 3600}h {rest % 3600 // 60}m"
