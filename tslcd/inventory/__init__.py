"""The agency network as a validated Nornir inventory."""

from tslcd.inventory.model import HostInfo, Inventory, load_inventory

__all__ = ["HostInfo", "Inventory", "load_inventory"]
