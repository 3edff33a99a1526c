"""tslcd: operations tool for a province's TSLCD network and its firewalls."""

__version__ = "0.1.0"
