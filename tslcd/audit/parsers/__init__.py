"""Per-platform parsers from stored configuration text into the rule model (named in tslcd.platforms)."""
