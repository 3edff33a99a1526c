"""The audit checks: registry (id, severity, platforms, remediation) and one module per concern."""
