"""Per-run reports of unattended runs (JSON + HTML) and the index page with trends."""
