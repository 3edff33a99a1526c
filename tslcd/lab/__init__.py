"""The virtual-device lab: every inventory host as an SSH device on its own 127.x address.

``server`` (listeners, authentication) and ``session`` (terminal behaviour, faults) serve the
per-platform ``models``; ``sftp`` maps the flash file system for SCP; ``faults`` and ``topology``
say how devices misbehave and what they start with; ``assemble`` builds a lab from the project
config; ``process`` and ``control`` run it in the background and steer it; ``inprocess`` runs it
in a thread for tests; ``scale`` and ``export`` write larger inventories and containerlab files.
"""
