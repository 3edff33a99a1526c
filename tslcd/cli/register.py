"""Imports every command module so each attaches its commands to the root app."""

from tslcd.cli import inventory  # noqa: F401
