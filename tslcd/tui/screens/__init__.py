"""Modal screens of the TUI: help, error, confirmation."""
