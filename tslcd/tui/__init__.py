"""The operator's terminal UI: a Textual front end over the same service functions as the CLI."""
