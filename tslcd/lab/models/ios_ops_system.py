"""Platform and system show commands of the lab IOS device: CPU, memory, environment, inventory,
VLANs, logging, users, SNMP chassis, in the layouts real IOS-XE prints (see ``ios_ops``)."""

from __future__ import annotations

from tslcd.lab.models import ios_state as st
from tslcd.lab.models.ios_api import IosDeviceView
from tslcd.lab.models.ios_initial import serial_number
from tslcd.lab.models.ios_ops import has_line, short_name


def show_proc_cpu(device: IosDeviceView) -> str:
    """``show processes cpu``: the utilisation line and a few processes."""
    procs = [(1, 10, 193, 51, "Chunk Manager"), (2, 5032, 3335727, 1, "Load Meter"),
             (3, 0, 1, 0, "Connection Mgr"), (4, 134047, 7159038, 18, "Check heaps"),
             (5, 333, 277978, 1, "Pool Manager"), (12, 356620, 1375208, 259, "ARP Input"),
             (88, 4120, 55873, 73, "SSH Process")]
    lines = ["CPU utilization for five seconds: 3%/0%; one minute: 2%; five minutes: 2%",
             " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process "]
    lines += [f"{pid:>4}{rt:>12}{inv:>12}{us:>11}  0.00%  0.00%  0.00%   0 {name:<16} "
              for pid, rt, inv, us, name in procs]
    return "\n".join(lines) + "\n"


def show_memory_statistics(device: IosDeviceView) -> str:
    """``show memory statistics``: processor and I/O pools."""
    return ("                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)\n"
            "Processor  7F2D5A8010   1838983552   312894816  1526088736  1482736944  1524615180\n"
            "      I/O  7F2E1C1000     6291456     2475392     3816064     3807360     3813212\n")


def show_env_temperature(device: IosDeviceView) -> str:
    """``show env temperature status``."""
    return ("System Temperature Value: 38 Degree Celsius\n"
            "System Temperature State: GREEN\n"
            "Yellow Threshold : 88 Degree Celsius\n"
            "Red Threshold    : 93 Degree Celsius\n")


def show_inventory(device: IosDeviceView) -> str:
    """``show inventory``: chassis, power supply and built-in ports."""
    hw = device.hardware
    pid = hw.model
    sn = serial_number(device.name)
    rows = [("Chassis", f"Cisco {pid.split('/')[0]} Chassis", pid, "V04", sn)]
    if pid.startswith("ISR"):
        rows += [("Power Supply Module 0", "250W AC Power Supply for Cisco ISR 4330", "PWR-4330-AC",
                  "V02", "PST" + sn[3:]),
                 ("module 0", f"Cisco {pid.split('/')[0]} Built-In NIM controller", pid, "", ""),
                 ("NIM subslot 0/0", "Front Panel 3 ports Gigabitethernet Module", "ISR4331-3x1GE",
                  "V01", ""),
                 ("module R0", f"Cisco {pid.split('/')[0]} Route Processor", pid, "V04", "FOC" + sn[3:]),
                 ("module F0", f"Cisco {pid.split('/')[0]} Forwarding Processor", pid, "", "")]
    else:
        rows += [("Switch 1", "C9300-24T", pid, "V02", sn),
                 ("Switch 1 - Power Supply A", "Switch 1 - Power Supply A", "PWR-C1-350WAC-P",
                  "V01", "DCC" + sn[3:])]
    out = []
    for name, descr, p, vid, serial in rows:
        out += [f"NAME: \"{name}\", DESCR: \"{descr}\"",
                f"PID: {p:<18}, VID: {vid:<5}, SN: {serial}", ""]
    return "\n".join(out) + "\n"


def show_vlan_brief(device: IosDeviceView) -> str | None:
    """``show vlan brief`` (switches only; None on a router, where the command does not exist)."""
    if not device.hardware.model.startswith("C9"):
        return None
    vlans: dict[int, tuple[str, list[str]]] = {1: ("default", [])}
    for n in device.root.children:
        if n.mode == "vlan":
            name = next((c.text.split(None, 1)[1] for c in n.children if c.text.startswith("name ")),
                        f"VLAN{int(n.text.split()[1]):04d}")
            vlans[int(n.text.split()[1])] = (name, [])
    for i in st.interfaces(device):
        if not i.name.startswith("GigabitEthernet1/"):
            continue
        w = next((c.text.split() for c in i.node.children if c.text.startswith("switchport access vlan ")),
                 None)
        trunk = has_line(i, "switchport mode trunk")
        if not trunk:
            vid = int(w[-1]) if w else 1
            vlans.setdefault(vid, (f"VLAN{vid:04d}", []))[1].append(short_name(i.name))
    lines = ["", "VLAN Name                             Status    Ports",
             "---- -------------------------------- --------- -------------------------------"]
    for vid in sorted(vlans):
        name, ports = vlans[vid]
        chunks = [", ".join(ports[k:k + 4]) for k in range(0, len(ports), 4)] or [""]
        lines.append(f"{vid:<4} {name[:32]:<32} {'active':<9} {chunks[0]}".rstrip())
        lines += [" " * 48 + c for c in chunks[1:]]
    for vid, name in ((1002, "fddi-default"), (1003, "token-ring-default"), (1004, "fddinet-default"),
                      (1005, "trnet-default")):
        lines.append(f"{vid:<4} {name:<32} act/unsup ")
    return "\n".join(lines) + "\n"


def show_logging(device: IosDeviceView) -> str:
    """``show logging``: settings from the configuration, then the log buffer."""
    cfg = [n.text for n in device.root.children]
    buffered = next((t for t in cfg if t.startswith("logging buffered")), None)
    size = buffered.split()[2] if buffered and len(buffered.split()) > 2 and buffered.split()[2].isdigit() \
        else "8192"
    hosts = [t.split()[-1] for t in cfg if t.startswith("logging host ")]
    src = next((t.split()[2] for t in cfg if t.startswith("logging source-interface ")), "")
    messages = device.log_buffer()
    console = ("disabled" if "no logging console" in cfg
               else "level debugging, 0 messages logged, xml disabled,")
    lines = ["Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, "
             "0 overruns, xml disabled, filtering disabled)", "",
             "No Active Message Discriminator.", "", "", "", "No Inactive Message Discriminator.", "", "",
             f"    Console logging: {console}",
             "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
             "                     filtering disabled",
             f"    Buffer logging:  level informational, {len(messages)} messages logged, xml disabled,",
             "                    filtering disabled",
             "    Exception Logging: size (4096 bytes)",
             "    Count and timestamp logging messages: disabled",
             "    Persistent logging: disabled", "", "No active filter modules.", "",
             f"    Trap logging: level informational, {len(messages)} message lines logged"]
    for h in hosts:
        lines += [f"        Logging to {h}  (udp port 514, audit disabled,", "              link up),",
                  f"              {len(messages)} message lines logged,",
                  "              0 message lines rate-limited,",
                  "              0 message lines dropped-by-MD,",
                  "              xml disabled, sequence number disabled",
                  "              filtering disabled"]
    lines.append("        Logging Source-Interface:       VRF Name:")
    if src:
        lines.append(f"        {src:<32}")
    lines += ["", f"Log Buffer ({size} bytes):", "", *messages]
    return "\n".join(lines) + "\n"


def show_users(device: IosDeviceView, username: str, line_no: int, peer: str) -> str:
    """``show users``: this login on its vty line."""
    return ("    Line       User       Host(s)              Idle       Location\n"
            f"*{line_no:>3} vty {line_no - 2:<5} {username:<10} idle                 00:00:00   {peer}\n"
            "\n  Interface    User               Mode         Idle     Peer Address\n\n")


def show_snmp_chassis(device: IosDeviceView) -> str:
    """``show snmp chassis``: the configured chassis-id, else the serial number."""
    configured = next((n.text.split(None, 2)[2] for n in device.root.children
                       if n.text.startswith("snmp-server chassis-id ")), None)
    return (configured or serial_number(device.name)) + "\n"
