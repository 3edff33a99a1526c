"""Unattended runs: the run lock, the run log, and the systemd/cron units that start them."""
