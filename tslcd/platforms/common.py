"""Patterns several platforms share."""

from __future__ import annotations

# An SNMP community other than the well-known defaults (those are findings, not secrets).
COMMUNITY = r"(?!(?i:public|private)(?:\s|$))\S+"
