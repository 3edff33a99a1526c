"""Compliance packs (operator data) and their evaluation on stored configurations."""
