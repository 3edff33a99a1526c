"""Management-plane facts of a VRP configuration, for the checks in tslcd.audit.checks.management.

Telnet and HTTP servers, vty lines without an inbound ACL, SSH 1 compatibility, SNMP communities
shown in clear or with write access, weak IKE/IPsec proposals, clear-text passwords (``simple``),
syslog hosts (``info-center loghost``) and NTP servers (``ntp-service unicast-server``). Evidence
quotes the command, never a secret.
"""

from __future__ import annotations

import re

from tslcd.audit.model import Evidence, ParsedConfig
from tslcd.audit.parsers.huawei_tree import Node

_WEAK_IKE = re.compile(
    r"^(encryption-algorithm (des|3des)(-cbc)?$|authentication-algorithm (md5|sha1?)$"
    r"|integrity-algorithm hmac-(md5|sha1)-96$|dh group(1|2|5)$)"
)
_WEAK_IPSEC = re.compile(r"^(esp|ah) (encryption-algorithm (des|3des)|authentication-algorithm (md5|sha1))$")
_SSH_ACL = re.compile(r"^(?:ssh|stelnet) (?:ipv4 )?server acl \S+")
_ADDR = re.compile(r"^[0-9a-fA-F:.]+$")


def management(parsed: ParsedConfig, nodes: list[Node]) -> None:
    """Gather the management facts of every top-level view into ``parsed.mgmt``."""
    # "ssh server acl 2000" (V8) restricts SSH logins on every vty, as an ACL on the vty would
    ssh_acl = any(_SSH_ACL.match(node.text) for node in nodes)
    for node in nodes:
        w = node.words
        if w[0] == "user-interface":
            _user_interface(parsed, node, ssh_acl)
        elif w[0] in ("ike", "ipsec") and w[1:2] == ["proposal"]:
            pattern = _WEAK_IKE if w[0] == "ike" else _WEAK_IPSEC
            for child in node.children:
                if pattern.search(child.text):
                    parsed.mgmt.weak_crypto.append(Evidence(child.line, f"{node.text}: {child.text}"))
        elif w[0] == "aaa":
            for child in node.children:
                c = child.words
                if c[0] == "local-user" and c[2:4] == ["password", "simple"]:
                    parsed.mgmt.plaintext_passwords.append(
                        Evidence(child.line, f"local-user {c[1]} password simple")
                    )
        else:
            _top_line(parsed, node)


def _top_line(parsed: ParsedConfig, node: Node) -> None:
    w, n, text = node.words, node.line, node.text
    if w[0] == "telnet" and w[-2:] == ["server", "enable"]:
        parsed.mgmt.telnet.append(Evidence(n, text))
    elif w[:3] == ["http", "server", "enable"] or w[:2] == ["web-manager", "enable"]:
        parsed.mgmt.http.append(Evidence(n, text))
    elif w[:3] == ["ssh", "server", "compatible-ssh1x"] and w[3:4] == ["enable"]:
        parsed.mgmt.ssh_v1.append(Evidence(n, text))
    elif w[:2] == ["snmp-agent", "community"] and len(w) >= 4:
        access, name = w[2], w[3]
        if name not in ("cipher", "simple") and name.lower() in ("public", "private"):
            parsed.mgmt.snmp_weak.append(Evidence(n, f"snmp-agent community {access} {name}"))
        elif access == "write":
            parsed.mgmt.snmp_weak.append(Evidence(n, "snmp-agent community write (hidden)"))
    elif w[:2] == ["super", "password"] and "simple" in w:
        parsed.mgmt.plaintext_passwords.append(Evidence(n, "super password simple"))
    elif w[:2] == ["info-center", "loghost"] and len(w) >= 3:
        host = w[3] if w[2] == "ipv6" and len(w) > 3 else w[2]
        if _ADDR.match(host):
            parsed.mgmt.syslog_servers.append(host)
    elif w[0] in ("ntp-service", "ntp") and w[1:2] == ["unicast-server"] and len(w) >= 3:
        parsed.mgmt.ntp_servers.append(w[3] if w[2] == "ipv6" and len(w) > 3 else w[2])


def _user_interface(parsed: ParsedConfig, node: Node, ssh_acl: bool) -> None:
    """A vty range: telnet allowed, no inbound ACL (nor an SSH server ACL for SSH-only lines),
    clear-text password."""
    vty = node.words[1:2] == ["vty"]
    restricted = ssh_acl and any(c.words[:3] == ["protocol", "inbound", "ssh"] for c in node.children)
    for child in node.children:
        c = child.words
        if c[0] == "acl" and c[-1] == "inbound":
            restricted = True
        elif vty and c[:2] == ["protocol", "inbound"] and c[2:3] and c[2] in ("telnet", "all"):
            parsed.mgmt.telnet.append(Evidence(child.line, f"{node.text}: {child.text}"))
        elif c[:3] == ["set", "authentication", "password"] and c[3:4] == ["simple"]:
            parsed.mgmt.plaintext_passwords.append(Evidence(child.line, f"{node.text}: password simple"))
    if vty and not restricted:
        parsed.mgmt.unrestricted.append(Evidence(node.line, f"{node.text} (no acl inbound)"))
