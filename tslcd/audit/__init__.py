"""Firewall and ACL audit: parsers into one rule model, exact reachability, checks, zone policy, reports."""
