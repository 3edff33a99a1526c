"""Template push: render, plan (diff/remediation), group, roll out, verify, roll back, log."""
