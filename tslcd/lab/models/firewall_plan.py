"""The standard agency firewall policy both lab firewalls (FortiGate and ASA) start from.

One platform-neutral plan: the data-integration-centre servers, the address objects of a site, and
the ordered rules, with the planted problems inserted where they cause exactly the finding they
name (and nothing else). `fortinet_initial` and `asa_initial` render it in their own syntax, so the
two platforms carry the same policy and the same problems.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

#: Data integration centre (trung tâm tích hợp dữ liệu) servers: object name -> (address, description).
#: The addresses are the sample province's defaults; a host's inventory data overrides them.
DC_SERVERS: dict[str, tuple[str, str]] = {
    "LGSP-SRV": ("10.0.10.10", "Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP)"),
    "CONG-DVC-SRV": ("10.0.10.20", "Cổng dịch vụ công tỉnh"),
    "MOTCUA-SRV": ("10.0.10.30", "Hệ thống thông tin giải quyết TTHC (Một cửa điện tử)"),
    "QLVB-SRV": ("10.0.10.40", "Hệ thống quản lý văn bản và điều hành"),
    "MAIL-SRV": ("10.0.10.50", "Thư điện tử công vụ"),
    "DNS-SRV": ("10.0.10.7", "Máy chủ DNS Trung tâm tích hợp dữ liệu"),
    "NTP-SRV": ("10.0.10.5", "Máy chủ thời gian chuẩn (NTP)"),
    "SYSLOG-SRV": ("10.0.10.6", "Máy chủ nhật ký tập trung (SIEM)"),
}
#: Inventory keys that override a server's address (a list value: its first element).
SERVER_KEYS = {"LGSP-SRV": "lgsp", "CONG-DVC-SRV": "portal", "MOTCUA-SRV": "motcua",
               "DNS-SRV": "dns_servers", "NTP-SRV": "ntp_servers", "SYSLOG-SRV": "syslog_servers"}
#: National hub network the provincial LGSP links to (only the data-centre firewall reaches it).
NGSP_NET = ("NGSP-NET", "10.160.0.0/16", "Nền tảng tích hợp, chia sẻ dữ liệu quốc gia (NGSP)")
#: Network the operations team manages devices from.
MGMT_NET = ("MGMT-NET", "10.0.99.0/24", "Mạng quản trị Trung tâm tích hợp dữ liệu")
#: All agency LANs (the inventory's sở/ban/ngành and district LANs): the data-centre firewall's clients.
AGENCIES_NET = ("MANG-CO-QUAN", "10.10.0.0/15", "Mạng LAN các cơ quan, đơn vị trên mạng TSLCD")
#: Planted unused object: a decommissioned server nothing references any more.
UNUSED_OBJECT = ("MAY-CHU-CU", "10.0.10.99", "Máy chủ cũ đã ngừng sử dụng")
#: Planted redundant rule's target: an old object for the LGSP server, kept after a migration.
LGSP_OLD = ("LGSP-CU", "LGSP-SRV", "LGSP (đối tượng cũ, trùng địa chỉ LGSP-SRV)")
#: Group of the public-service systems (portal and one-stop shop).
DC_PUBLIC = ("DC-PUBLIC", ("CONG-DVC-SRV", "MOTCUA-SRV"), "Cổng DVC và Một cửa điện tử")
#: Services the plan uses: name -> (protocol, destination port); "ip" means every protocol.
SERVICES: dict[str, tuple[str, int | None]] = {
    "HTTPS": ("tcp", 443), "HTTP": ("tcp", 80), "SSH": ("tcp", 22), "TELNET": ("tcp", 23),
    "DNS": ("udp", 53), "NTP": ("udp", 123), "IMAPS": ("tcp", 993), "RDP": ("tcp", 3389),
    "LGSP-8443": ("tcp", 8443), "ALL": ("ip", None),
}
#: Name of the client direction's final deny (rules that must stay reachable go before it).
CLIENT_DENY = "CHAN-CON-LAI"
DEFAULT_LAN = "10.100.0.0/24"
DEFAULT_WAN = "10.200.0.0/30"
DC_AGENCY_TYPES = ("ttdl",)  # the data integration centre's own firewall is the core firewall
DC_ROLES = ("dc", "dc-core", "core-firewall")
ANY = "all"
#: The planted problems every firewall model can carry (base.PROBLEM_KINDS minus the ACL-binding
#: kinds only ASA and IOS have).
FIREWALL_PROBLEMS = frozenset({
    "any-any-permit", "shadowed-rule", "redundant-rule", "multi-shadowed-rule", "telnet-permitted",
    "risky-service", "no-logging", "disabled-rule", "unused-object", "telnet-enabled",
    "snmp-public", "weak-ike", "no-ntp", "no-idle-timeout", "mgmt-open",
})


@dataclass(frozen=True)
class Rule:
    """One firewall rule of the plan."""

    name: str  # FortiOS policy name; ASA remark
    flow: str  # "out": from the site LAN towards the network; "in": towards the site LAN
    src: str  # address object / group name, or ANY
    dst: str
    service: str  # key of SERVICES
    action: str  # "accept" or "deny"
    comment: str
    log: bool = True
    enabled: bool = True
    kind: str | None = None  # the planted problem this rule is the finding for


@dataclass(frozen=True)
class Site:
    """The inventory facts the plan needs, with safe defaults for missing optional keys."""

    name: str
    code: str
    agency: str
    district: str
    lan: ipaddress.IPv4Network
    wan: ipaddress.IPv4Network
    circuit: str
    bandwidth: int
    is_dc: bool
    servers: dict[str, str]  # server object name -> address
    mgmt: str  # management network CIDR
    ngsp: str  # national hub network CIDR

    @property
    def lan_object(self) -> str:
        """The address object of the site LAN."""
        return f"LAN-{self.code}"

    @property
    def client(self) -> tuple[str, str]:
        """Who uses the data-centre services through this firewall, and in which direction."""
        return (AGENCIES_NET[0], "in") if self.is_dc else (self.lan_object, "out")

    @property
    def lan_gateway(self) -> str:
        """The firewall's LAN address: the first host of the LAN."""
        return str(next(self.lan.hosts()))

    @property
    def wan_address(self) -> str:
        """The firewall's WAN address: the second host (the provider's CPE router has the first)."""
        return str(list(self.wan.hosts())[-1])

    @property
    def wan_gateway(self) -> str:
        """The CPE router's address on the WAN link."""
        return str(next(self.wan.hosts()))


def _network(text: Any, default: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(str(text or default), strict=False)
    except ValueError:
        return ipaddress.IPv4Network(default)


def _first(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return str(value[0]) if value else None
    return str(value) if value else None


def site(host: dict[str, Any]) -> Site:
    """Read the host's inventory data; any missing optional key falls back to a neutral value."""
    name = str(host.get("name") or "fw")
    code = str(host.get("agency_code") or name.split("-")[0]).upper()
    servers = {obj: _first(host.get(SERVER_KEYS.get(obj, ""))) or ip for obj, (ip, _) in DC_SERVERS.items()}
    return Site(
        name=name,
        code=code,
        agency=str(host.get("agency_name") or code),
        district=str(host.get("district_name") or host.get("district") or ""),
        lan=_network(host.get("lan_prefix"), DEFAULT_LAN),
        wan=_network(host.get("wan_prefix"), DEFAULT_WAN),
        circuit=str(host.get("circuit_id") or ""),
        bandwidth=int(host.get("bandwidth_mbps") or 0),
        is_dc=(str(host.get("agency_type") or "").lower() in DC_AGENCY_TYPES
               or str(host.get("role") or "").lower() in DC_ROLES),
        servers=servers,
        mgmt=str(_network(host.get("mgmt_prefix"), MGMT_NET[1])),
        ngsp=str(_network(host.get("ngsp_prefix"), NGSP_NET[1])),
    )


def services(s: Site, problems: tuple[str, ...]) -> set[str]:
    """The services the rules use (a custom service nothing uses is not created)."""
    return {r.service for r in rules(s, problems)}


def addresses(s: Site, problems: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Address objects (name, CIDR, description) the rules use, in creation order.

    Only what the rules reference is defined, so the one unused object is the planted one.
    """
    used = {name for r in rules(s, problems) for name in (r.src, r.dst)} | set(DC_PUBLIC[1])
    lan_text = f"Mạng LAN {s.agency}" + (f" - {s.district}" if s.district else "")
    objects = [(s.lan_object, str(s.lan), lan_text), (MGMT_NET[0], s.mgmt, MGMT_NET[2])]
    objects += [(name, f"{s.servers[name]}/32", text) for name, (_, text) in DC_SERVERS.items()]
    objects += [(AGENCIES_NET[0], AGENCIES_NET[1], AGENCIES_NET[2]), (NGSP_NET[0], s.ngsp, NGSP_NET[2]),
                (LGSP_OLD[0], f"{s.servers[LGSP_OLD[1]]}/32", LGSP_OLD[2])]
    objects = [obj for obj in objects if obj[0] in used]
    if "unused-object" in problems:
        objects.append((UNUSED_OBJECT[0], f"{UNUSED_OBJECT[1]}/32", UNUSED_OBJECT[2]))
    return objects


def _client_rules(s: Site, plant: set[str]) -> list[Rule]:
    """What the site's users (or, on the core firewall, all agencies) may reach in the centre."""
    src, flow = s.client
    who = s.agency if not s.is_dc else "Các cơ quan"

    def rule(name: str, dst: str, service: str, action: str, comment: str, **extra: Any) -> Rule:
        return Rule(name, flow, src, dst, service, action, comment, **extra)

    out = [rule("LAN-LGSP", "LGSP-SRV", "HTTPS", "accept", f"{who} truy cập LGSP")]
    if "redundant-rule" in plant:
        out.append(rule("LAN-LGSP-CU", LGSP_OLD[0], "HTTPS", "accept",
                        "Quy tắc cũ trùng lặp - truy cập LGSP", kind="redundant-rule"))
    out.append(rule("LAN-DVC-MOTCUA", DC_PUBLIC[0], "HTTPS", "accept",
                    f"{who} truy cập Cổng DVC và Một cửa điện tử"))
    if "multi-shadowed-rule" in plant:
        out += [rule("CHAN-HTTP-DVC", "CONG-DVC-SRV", "HTTP", "deny", "Chặn HTTP không mã hoá tới Cổng DVC"),
                rule("CHAN-HTTP-MOTCUA", "MOTCUA-SRV", "HTTP", "deny",
                     "Chặn HTTP không mã hoá tới Một cửa điện tử"),
                rule("LAN-DC-HTTP", DC_PUBLIC[0], "HTTP", "accept", "Cho phép HTTP tới Cổng DVC và Một cửa",
                     kind="multi-shadowed-rule")]
    shadowed = "shadowed-rule" in plant
    if shadowed:
        out.append(rule("TAM-CHAN-QLVB", "QLVB-SRV", "ALL", "deny", "Tạm ngừng kết nối QLVB để bảo trì"))
    out.append(rule("LAN-QLVB", "QLVB-SRV", "HTTPS", "accept", f"{who} truy cập Quản lý văn bản",
                    kind="shadowed-rule" if shadowed else None))
    quiet = "no-logging" in plant
    out.append(rule("LAN-MAIL", "MAIL-SRV", "IMAPS", "accept", "Thư điện tử công vụ", log=not quiet,
                    kind="no-logging" if quiet else None))
    out += [rule("LAN-DNS", "DNS-SRV", "DNS", "accept", "Phân giải tên miền"),
            rule("LAN-NTP", "NTP-SRV", "NTP", "accept", "Đồng bộ thời gian")]
    if "disabled-rule" in plant:
        out.append(rule("LAN-LGSP-8443", "LGSP-SRV", "LGSP-8443", "accept", "Cổng API cũ của LGSP - đã tắt",
                        enabled=False, kind="disabled-rule"))
    out.append(rule(CLIENT_DENY, ANY, "ALL", "deny", "Chặn và ghi nhật ký còn lại"))
    return out


def _management_rule(s: Site) -> Rule:
    """SSH from the management network: first, so no broader deny can hide it."""
    return Rule("QUAN-TRI-SSH", "in", MGMT_NET[0], s.lan_object, "SSH", "accept",
                "Quản trị từ mạng quản trị qua SSH")


def _protected_rules(s: Site, plant: set[str]) -> list[Rule]:
    """What else may reach the site LAN: nothing (plus the planted holes)."""
    lan = s.lan_object
    out: list[Rule] = []
    if "telnet-permitted" in plant:
        out.append(Rule("HO-TRO-TELNET", "in", ANY, lan, "TELNET", "accept", "Hỗ trợ từ xa qua Telnet",
                        kind="telnet-permitted"))
    if "risky-service" in plant:
        out.append(Rule("HO-TRO-RDP", "in", ANY, lan, "RDP", "accept", "Hỗ trợ từ xa qua Remote Desktop",
                        kind="risky-service"))
    out.append(Rule("CHAN-VAO-LAN", "in", ANY, lan, "ALL", "deny", f"Chặn mọi truy cập vào LAN {s.agency}"))
    if "any-any-permit" in plant:
        out.append(Rule("TAM-MO-TAT-CA", "in", ANY, ANY, "ALL", "accept", "Mở tạm thời để kiểm thử",
                        kind="any-any-permit"))
    return out


def rules(s: Site, problems: tuple[str, ...]) -> list[Rule]:
    """The ordered rule list: the standard policy plus the rules that carry planted problems.

    Each planted rule is placed so that it causes exactly its own finding: the any-any permit
    comes after the final deny of its direction (so it shadows nothing), the shadowing and
    multi-shadowing denies cover only the rule they are planted for.
    """
    plant = set(problems)
    core = [Rule("LGSP-NGSP", "out", "LGSP-SRV", NGSP_NET[0], "HTTPS", "accept",
                 "LGSP kết nối NGSP quốc gia"),
            Rule("CHAN-DC-RA", "out", s.lan_object, ANY, "ALL", "deny", "Chặn và ghi nhật ký còn lại")]
    return [_management_rule(s), *_client_rules(s, plant), *(core if s.is_dc else []),
            *_protected_rules(s, plant)]
