"""Commit-time validation: PAN-OS accepts any name while a rule is typed and refuses, at commit,
a rule or group naming a zone, address or service that does not exist."""

from __future__ import annotations

from typing import Any

from tslcd.lab.models.panos_config import Tree
from tslcd.lab.models.panos_schema import valid

#: Services every firewall predefines, and the words PAN-OS accepts in place of a name.
PREDEFINED_SERVICES = frozenset({"any", "application-default", "service-http", "service-https"})


def _names(scope: dict[str, Any], shared: dict[str, Any], *kinds: str) -> set[str]:
    found: set[str] = set()
    for kind in kinds:
        for where in (scope, shared):
            entries = where.get(kind)
            if isinstance(entries, dict):
                found |= set(entries)
    return found


def _literal(value: str) -> bool:
    return (value[:1].isdigit() or ":" in value) and valid("addr", value) and (
        "." in value or ":" in value)


def _scope_errors(scope: dict[str, Any], shared: dict[str, Any]) -> list[str]:
    zones = set(scope.get("zone") or {}) | {"any"}
    addresses = _names(scope, shared, "address", "address-group", "region") | {"any"}
    services = _names(scope, shared, "service", "service-group") | PREDEFINED_SERVICES
    errors: list[str] = []
    for group, body in (scope.get("address-group") or {}).items():
        for member in (body or {}).get("static", []) if isinstance(body, dict) else []:
            if member not in addresses and not _literal(member):
                errors.append(f"address-group -> {group} -> static '{member}' is not a valid reference")
    rules = ((scope.get("rulebase") or {}).get("security") or {}).get("rules") or {}
    bad_rules = False
    for name, rule in rules.items():
        rule = rule if isinstance(rule, dict) else {}
        checks = (("from", zones), ("to", zones), ("source", addresses), ("destination", addresses),
                  ("service", services))
        for field, known in checks:
            for value in rule.get(field) or []:
                if value not in known and not (field in ("source", "destination") and _literal(value)):
                    errors.append(f"rulebase -> security -> rules -> {name} -> {field} "
                                  f"'{value}' is not a valid reference")
                    bad_rules = True
        for field in ("from", "to", "source", "destination", "application"):
            if not rule.get(field):
                errors.append(f"rulebase -> security -> rules -> {name} '{field}' is missing")
                bad_rules = True
    if bad_rules:
        errors.append("rulebase -> security -> rules is invalid")
    return errors


def validate(tree: Tree) -> list[str]:
    """Reference errors of a candidate configuration (empty: it may be committed)."""
    shared = tree.get("shared") if isinstance(tree.get("shared"), dict) else {}
    errors = _scope_errors(tree, shared)
    for vsys in (tree.get("vsys") or {}).values():
        if isinstance(vsys, dict):
            errors += _scope_errors(vsys, shared)
    return errors
