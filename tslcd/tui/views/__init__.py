"""One view per tab: Inventory, Backups, Audit, Push, Lab."""
