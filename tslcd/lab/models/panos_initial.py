"""A lab PAN-OS firewall's first configuration, as the ``set`` lines an installer would type.

The province's standard policy (`firewall_plan`) in PAN-OS terms: zones ``trust`` (the agency
LAN, ethernet1/2) and ``untrust`` (the TSLCD network, ethernet1/1), address objects, the
predefined ``service-http``/``service-https`` and custom services, security rules with
``application any`` (App-ID is not what the standard policy filters on). A firewall refuses
undefined references at commit, so that problem is not planted; PAN-OS stores no clear-text
administrator password and binds rules to zones, not ACLs, so those are not planted either.
"""

from __future__ import annotations

from typing import Any

from tslcd.lab.models.firewall_plan import (
    ANY,
    DC_PUBLIC,
    FIREWALL_PROBLEMS,
    SERVICES,
    UNUSED_OBJECT,
    Rule,
    Site,
    addresses,
    rules,
    services,
    site,
)
from tslcd.lab.models.panos_schema import quote

SUPPORTED = FIREWALL_PROBLEMS
INSIDE, OUTSIDE = ("trust", "ethernet1/2"), ("untrust", "ethernet1/1")
#: The plan's services as PAN-OS names them (predefined where the firewall has one).
PREDEFINED = {"HTTPS": "service-https", "HTTP": "service-http", "ALL": "any"}
PUBLIC_COMMUNITY = "public"
ROUTE = "set network virtual-router default routing-table ip static-route MAC-DINH"
IDLE_FOREVER = "set deviceconfig setting management idle-timeout 0"
TELNET_ON = "set deviceconfig system service disable-telnet no"
WEAK_IKE = "set network ike crypto-profiles ike-crypto-profiles VPN-DU-PHONG encryption 3des"
#: A fixed SHA-256 crypt hash standing for the lab administrator's password (masked in backups).
ADMIN_PHASH = "$5$tslcdlab$Qe4pM6Xl7rZ0cVbH3sQkS1u1tWc5yB2nJ9fK8dA7gE."


def service_name(plan_name: str) -> str:
    """The PAN-OS name of one of the plan's services."""
    return PREDEFINED.get(plan_name, plan_name)


def _address(name: str) -> str:
    return "any" if name == ANY else name


def _rule(rule: Rule) -> list[str]:
    src_zone, dst_zone = (INSIDE, OUTSIDE) if rule.flow == "out" else (OUTSIDE, INSIDE)
    head = f"set rulebase security rules {quote(rule.name)}"
    lines = [f"{head} from {src_zone[0]}", f"{head} to {dst_zone[0]}",
             f"{head} source {_address(rule.src)}", f"{head} destination {_address(rule.dst)}",
             f"{head} application any", f"{head} service {service_name(rule.service)}",
             f"{head} action {'allow' if rule.action == 'accept' else 'deny'}",
             f"{head} log-end {'yes' if rule.log else 'no'}",
             f"{head} description {quote(rule.comment)}"]
    if not rule.enabled:
        lines.append(f"{head} disabled yes")
    return lines


def _device(s: Site, problems: tuple[str, ...], mgmt_ip: str) -> list[str]:
    system = "set deviceconfig system"
    lines = [f"{system} hostname {quote(s.name)}", f"{system} type static",
             f"{system} ip-address {mgmt_ip}", f"{system} netmask 255.0.0.0",
             f"{system} default-gateway {s.wan_gateway}",
             f"{system} login-banner {quote(f'{s.code} - {s.agency}. Chỉ dành cho quản trị viên.')}",
             f"{system} timezone Asia/Ho_Chi_Minh",
             f"{system} dns-setting servers primary {s.servers['DNS-SRV']}"]
    if "no-ntp" not in problems:
        lines.append(f"{system} ntp-servers primary-ntp-server ntp-server-address {s.servers['NTP-SRV']}")
    telnet = "no" if "telnet-enabled" in problems else "yes"
    lines += [f"{system} service disable-telnet {telnet}", f"{system} service disable-http {telnet}"]
    if "mgmt-open" not in problems:
        lines.append(f"{system} permitted-ip {s.mgmt}")
    community = PUBLIC_COMMUNITY if "snmp-public" in problems else f"tslcd-ro-{s.code.lower()}"
    lines.append(f"{system} snmp-setting access-setting version v2c snmp-community-string {community}")
    lines.append(IDLE_FOREVER if "no-idle-timeout" in problems
                 else "set deviceconfig setting management idle-timeout 10")
    lines.append("set deviceconfig setting management admin-lockout failed-attempts 5")
    lines.append("set deviceconfig setting management admin-lockout lockout-time 15")
    lines += ["set mgt-config users admin phash " + ADMIN_PHASH,
              "set mgt-config users admin permissions role-based superuser yes",
              "set shared log-settings syslog SIEM-TTTH server SIEM server " + s.servers["SYSLOG-SRV"],
              "set shared log-settings syslog SIEM-TTTH server SIEM transport UDP",
              "set shared log-settings syslog SIEM-TTTH server SIEM port 514",
              "set shared log-settings syslog SIEM-TTTH server SIEM format BSD",
              "set shared log-settings syslog SIEM-TTTH server SIEM facility LOG_USER"]
    return lines


def _network(s: Site, problems: tuple[str, ...]) -> list[str]:
    wan_text = "Kênh truyền số liệu chuyên dùng" + (f" {s.circuit}" if s.circuit else "")
    eth = "set network interface ethernet"
    lines = [f"{eth} {OUTSIDE[1]} layer3 ip {s.wan_address}/{s.wan.prefixlen}",
             f"{eth} {OUTSIDE[1]} comment {quote(wan_text)}",
             f"{eth} {INSIDE[1]} layer3 ip {s.lan_gateway}/{s.lan.prefixlen}",
             f"{eth} {INSIDE[1]} comment {quote(f'Mạng LAN {s.agency}')}",
             f"set network virtual-router default interface [ {OUTSIDE[1]} {INSIDE[1]} ]",
             f"{ROUTE} destination 0.0.0.0/0", f"{ROUTE} nexthop ip-address {s.wan_gateway}",
             f"{ROUTE} interface {OUTSIDE[1]}",
             f"set zone {OUTSIDE[0]} network layer3 {OUTSIDE[1]}",
             f"set zone {INSIDE[0]} network layer3 {INSIDE[1]}"]
    if "weak-ike" in problems:
        profile = "set network ike crypto-profiles ike-crypto-profiles VPN-DU-PHONG"
        gateway = "set network ike gateway GW-DU-PHONG"
        lines += [WEAK_IKE, f"{profile} hash md5", f"{profile} dh-group group2",
                  f"{gateway} authentication pre-shared-key key -AQ==lab{s.code.lower()}psk==",
                  f"{gateway} peer-address ip {s.servers['LGSP-SRV']}",
                  f"{gateway} local-address interface {OUTSIDE[1]}",
                  f"{gateway} protocol ikev1 ike-crypto-profile VPN-DU-PHONG"]
    return lines


def _objects(s: Site, problems: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    for name, cidr, text in addresses(s, problems):
        lines += [f"set address {name} ip-netmask {cidr}", f"set address {name} description {quote(text)}"]
    lines += [f"set address-group {DC_PUBLIC[0]} static [ {' '.join(DC_PUBLIC[1])} ]",
              f"set address-group {DC_PUBLIC[0]} description {quote(DC_PUBLIC[2])}"]
    for name in sorted(services(s, problems)):
        if name in PREDEFINED:
            continue
        protocol, port = SERVICES[name]
        lines += [f"set service {name} protocol {protocol} port {port}",
                  f"set service {name} description {quote('Dịch vụ của Trung tâm tích hợp dữ liệu')}"]
    return lines


def build_script(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[str]:
    """The ``set`` lines that configure a new lab firewall for ``host``."""
    s = site(host)
    lines = [*_device(s, problems, str(host.get("hostname") or "127.0.0.1")), *_network(s, problems),
             *_objects(s, problems)]
    for rule in rules(s, problems):
        lines += _rule(rule)
    return lines


def planted_findings(host: dict[str, Any], problems: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Where each supported planted problem sits: the rule's first listed line, or the device line
    (empty for a missing NTP server; a missing permitted-ip is shown on the system block's line)."""
    s = site(host)
    name = str(host.get("name") or s.name)
    found = []
    for rule in rules(s, problems):
        if rule.kind:
            dst_zone = OUTSIDE[0] if rule.flow == "out" else INSIDE[0]
            found.append({"kind": rule.kind, "acl": "", "rule": "",
                          "line": f"set rulebase security rules {quote(rule.name)} to {dst_zone}"})
    device_lines = {
        "unused-object": f"set address {UNUSED_OBJECT[0]} ip-netmask {UNUSED_OBJECT[1]}/32",
        "telnet-enabled": TELNET_ON,
        "snmp-public": ("set deviceconfig system snmp-setting access-setting version v2c "
                        f"snmp-community-string {PUBLIC_COMMUNITY}"),
        "weak-ike": WEAK_IKE,
        "no-ntp": "",
        "no-idle-timeout": IDLE_FOREVER,
        "mgmt-open": f"set deviceconfig system hostname {quote(s.name)}",  # the system block, no permitted-ip
    }
    found += [{"kind": kind, "acl": "", "rule": "", "line": line}
              for kind, line in device_lines.items() if kind in problems]
    return [{"host": name, "platform": "paloalto_panos", **item} for item in found]
