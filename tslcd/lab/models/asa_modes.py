"""ASA configuration mode and its sub-modes: one interpreter for live sessions and for replay.

`ConfigInterpreter.run` takes one configuration line. In a sub-mode (``interface``, ``object
network``, ``object-group service``, ``crypto ikev1 policy``) a line that is not a sub-mode
command leaves the sub-mode and runs as a global command, as on the ASA. Sub-mode and top-level
commands are tables of handlers, so adding a command is adding an entry.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from tslcd.lab.models.asa_acl import (
    ICMP_TYPES,
    Words,
    ace,
    any_address,
    ip_address,
    ip_mask,
    ipv6_prefix,
    network_member,
    port_member,
    protocol_name,
    service_body,
    standard_ace,
)
from tslcd.lab.models.asa_config import (
    BANNER_KINDS,
    GLOBALS,
    IKE_OPTIONS,
    INTERFACES,
    TUNNEL_TYPES,
    AsaConfig,
    AsaError,
    Group,
    Interface,
    NetObject,
    TunnelGroup,
    hash_secret,
    incomplete,
    invalid,
    missing_object,
)
from tslcd.lab.models.asa_extra import (
    INTERFACE_COMMANDS,
    TOP_COMMANDS,
    block_commands,
    keep,
    object_nat,
    twice_nat,
)

ACL_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,240}$")
OBJECT_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,64}$")
SUBMODES = {
    "interface": "config-if", "network": "config-network-object", "service": "config-service-object",
    "network-group": "config-network-object-group", "service-group": "config-service-object-group",
    "ike": "config-ikev1-policy", "tunnel-ipsec": "config-tunnel-ipsec",
    "icmp-type-group": "config-icmp-object-group", "protocol-group": "config-protocol-object-group",
    "block": "config-block",
}
#: Logical interfaces an ASA 5516 creates on demand (subinterfaces of any interface too).
LOGICAL_INTERFACE = re.compile(r"(Port-channel\d{1,2}|Redundant\d|BVI\d{1,3})$")
SUBINTERFACE = re.compile(r"(?P<parent>\S+)\.(?P<number>\d{1,10})$")
INFO_SECURITY = 'INFO: Security level for "{name}" set to {level} by default.'
#: A banner line's text: everything after the kind word, inner spacing kept as typed.
BANNER_TEXT = re.compile(r"\s*banner\s+\S+\s+(\S.*?)\s*$")


@dataclass
class Context:
    """The sub-mode being configured: its kind and what it edits."""

    kind: str  # key of SUBMODES
    name: str


Handler = Callable[[Words], str]


class ConfigInterpreter:
    """Configuration-mode command interpreter over one `AsaConfig`."""

    def __init__(self, cfg: AsaConfig) -> None:
        """Start in global configuration mode."""
        self.cfg = cfg
        self.context: Context | None = None
        self.line = ""

    @property
    def mode(self) -> str:
        """The prompt's mode word: ``config``, ``config-if``, ..."""
        return SUBMODES[self.context.kind] if self.context else "config"

    def exit_mode(self) -> None:
        """``exit`` from a sub-mode."""
        self.context = None

    def run(self, line: str, indented: bool = False, offset: int = 0) -> str:
        """Run one line; ``indented`` marks a sub-mode line of a saved configuration."""
        if self.context is not None and self.context.kind == "block":
            first = line.split()[0]
            vocabulary = block_commands(self.context.name)
            child = indented or first == "no" or not (first in TOP_COMMANDS or first in self.global_words())
            if child and vocabulary is not None and first not in vocabulary:
                if indented or first not in (*TOP_COMMANDS, *self.global_words()):
                    raise invalid(offset + len(line) - len(line.lstrip()))
                child = False
            if child:
                self.cfg.blocks[self.context.name].append(" ".join(line.split()))
                return ""
            self.context = None
        if self.context is not None:
            words = Words(line, offset)
            handler = self._submode_handlers().get(words.take())
            if handler is not None:
                return handler(words)
            if indented:
                raise invalid(offset)
            self.context = None
        self.line = line
        return self._global(Words(line, offset))

    # -- global commands ----------------------------------------------------------------------
    def _global_handlers(self) -> dict[str, Handler]:
        return {
            "access-list": self._access_list, "access-group": self._access_group,
            "object": self._object, "object-group": self._object_group, "interface": self._interface,
            "crypto": self._crypto, "no": self._no, "clear": self._clear, "banner": self._banner,
            "nat": self._twice_nat, "tunnel-group": self._tunnel_group,
        }

    def global_words(self) -> set[str]:
        """The first words of the global commands the lab models."""
        return set(self._global_handlers()) | {spec.pattern.split()[0] for spec in GLOBALS}

    def submode_words(self) -> list[str]:
        """The commands of the current sub-mode (those of a kept block when the lab knows them)."""
        if self.context is None:
            return []
        if self.context.kind == "block":
            return sorted(block_commands(self.context.name) or ())
        return list(self._submode_handlers())

    def _global(self, words: Words) -> str:
        first = words.take()
        handlers = self._global_handlers()
        if first in handlers:
            return handlers[first](words)
        return self._simple(first, words)

    def _twice_nat(self, words: Words) -> str:
        rule = twice_nat(self.cfg, words)
        if rule not in self.cfg.twice_nat:
            self.cfg.twice_nat.append(rule)
        return ""

    def _simple(self, first: str, words: Words) -> str:
        text = self._hashed(" ".join(self.line.split()))
        for spec in GLOBALS:
            match = spec.regex.match(text)
            if match:
                iface = match.groupdict().get("iface")
                if iface and iface not in self.cfg.nameifs:
                    raise invalid(words.items[0][1] + match.start("iface"))
                identity = " ".join(text.split()[: spec.key]) if spec.key else text
                self.cfg.globals[identity] = (spec.rank, text)
                return ""
        if first in TOP_COMMANDS and not _modelled(text):
            self.context = Context("block", keep(self.cfg, text))
            return ""
        known = {spec.pattern.split()[0] for spec in GLOBALS}
        if first not in known:
            raise invalid(words.items[0][1])
        if len(words.items) == 1:
            raise incomplete()
        words.take()
        raise words.error()

    @staticmethod
    def _hashed(text: str) -> str:
        """Passwords are stored hashed, as the ASA does; already-hashed forms pass unchanged."""
        words = text.split()
        if words[:2] == ["enable", "password"] and len(words) == 3:
            return f"enable password {hash_secret(words[2], 'enable_15')} pbkdf2"
        if words[0] == "passwd" and len(words) == 2:
            return f"passwd {hash_secret(words[1], 'passwd')[-17:-1]} encrypted"
        if words[0] == "username" and len(words) >= 4 and words[2] == "password" and "pbkdf2" not in words:
            rest = " ".join(words[4:])
            return f"username {words[1]} password {hash_secret(words[3], words[1])} pbkdf2 {rest}".rstrip()
        return text

    def _access_list(self, words: Words) -> str:
        name = words.take()
        if not ACL_NAME.match(name):
            raise words.error()
        position = None
        if words.take_if("line"):
            number = words.take()
            if not number.isdigit() or int(number) < 1:
                raise words.error()
            position = int(number)
        kind = words.take()
        if kind == "remark":
            entry = f"remark {words.rest()}"
        elif kind == "extended":
            entry = ace(self.cfg, words)
        elif kind == "standard":
            entry = standard_ace(words)
        else:
            raise words.error()
        entries = self.cfg.acls.setdefault(name, [])
        if entry in entries and not entry.startswith("remark"):
            if not entries:
                del self.cfg.acls[name]
            return f"WARNING: {name} found duplicate element"
        index = len(entries) if position is None else min(position - 1, len(entries))
        entries.insert(index, entry)
        return ""

    def _access_group(self, words: Words) -> str:
        acl, where = self._binding(words)
        if acl not in self.cfg.acls and not self.cfg.forward_reference:
            raise AsaError(f"ERROR: access-list <{acl}> does not exist")
        self.cfg.access_groups[where] = acl
        return ""

    def _binding(self, words: Words) -> tuple[str, str]:
        acl = words.take()
        direction = words.take()
        if direction == "global":
            words.done()
            return acl, "global"
        if direction not in ("in", "out"):
            raise words.error()
        if words.take() != "interface":
            raise words.error()
        iface = words.take()
        if iface not in self.cfg.nameifs:
            raise words.error()
        words.done()
        return acl, f"{direction} interface {iface}"

    def _object(self, words: Words) -> str:
        kind = words.take()
        if kind not in ("network", "service"):
            raise words.error()
        name = words.take()
        if not OBJECT_NAME.match(name):
            raise words.error()
        words.done()
        existing = self.cfg.objects.get(name) or self.cfg.groups.get(name)
        if existing is not None and (existing.kind != kind or name in self.cfg.groups):
            raise AsaError(f"ERROR: Object ({name}) already exists with a different type.")
        self.cfg.objects.setdefault(name, NetObject(kind))
        self.context = Context(kind, name)
        return ""

    def _object_group(self, words: Words) -> str:
        kind = words.take()
        if kind not in ("network", "service", "icmp-type", "protocol"):
            raise words.error()
        name = words.take()
        if not OBJECT_NAME.match(name):
            raise words.error()
        proto = words.take_if("tcp", "udp", "tcp-udp") or "" if kind == "service" else ""
        words.done()
        existing = self.cfg.groups.get(name)
        if name in self.cfg.objects or (existing and (existing.kind, existing.proto) != (kind, proto)):
            raise AsaError(f"ERROR: Object ({name}) already exists with a different type.")
        self.cfg.groups.setdefault(name, Group(kind, proto))
        self.context = Context(f"{kind}-group", name)
        return ""

    def _interface(self, words: Words) -> str:
        name = words.take()
        sub = SUBINTERFACE.match(name)
        parent = sub.group("parent") if sub else name
        known = parent in INTERFACES or LOGICAL_INTERFACE.match(parent)
        if not known or (sub and int(sub.group("number")) > 4294967293):
            raise words.error()
        words.done()
        if sub and parent not in self.cfg.interfaces:
            self.cfg.interfaces[parent] = Interface()
        self.cfg.interfaces.setdefault(name, Interface())
        self.context = Context("interface", name)
        return ""

    def _crypto(self, words: Words) -> str:
        if words.peek() != "ikev1":
            return self._simple("crypto", words)
        words.take()
        if words.peek() == "policy":
            words.take()
            priority = words.take()
            if not priority.isdigit() or not 1 <= int(priority) <= 65535:
                raise words.error()
            words.done()
            self.cfg.ike.setdefault(int(priority), {})
            self.context = Context("ike", priority)
            return ""
        return self._simple("crypto", words)

    def _banner(self, words: Words) -> str:
        """``banner KIND TEXT`` appends one line to that banner (a multi-line banner is several)."""
        kind = words.take()
        if kind not in BANNER_KINDS:
            raise words.error()
        words.take()  # no text: incomplete
        match = BANNER_TEXT.match(self.line)
        assert match is not None
        self.cfg.banners.setdefault(kind, []).append(match.group(1))
        return ""

    def _clear(self, words: Words) -> str:
        if words.take() != "configure" or words.take() != "access-list":
            raise words.error()
        name = words.peek()
        names = [words.take()] if name else list(self.cfg.acls)
        words.done()
        for acl in names:
            self.cfg.acls.pop(acl, None)
            self._unbind(acl)
        return ""

    def _unbind(self, acl: str) -> None:
        self.cfg.access_groups = {w: a for w, a in self.cfg.access_groups.items() if a != acl}

    # -- no -----------------------------------------------------------------------------------
    def _no(self, words: Words) -> str:
        first = words.peek()
        if first == "access-list":
            words.take()
            return self._no_access_list(words)
        if first == "access-group":
            words.take()
            acl, where = self._binding(words)
            if self.cfg.access_groups.get(where) == acl:
                del self.cfg.access_groups[where]
            return ""
        if first in ("object", "object-group"):
            words.take()
            kind = words.take()
            name = words.take()
            words.done()
            table = self.cfg.objects if first == "object" else self.cfg.groups
            if name not in table or table[name].kind != kind:
                raise missing_object(first, name)
            if name in self.cfg.used_objects():
                raise AsaError(f"ERROR: unable to delete {first} ({name}). "
                               f"{first.capitalize()} is being used.")
            del table[name]
            return ""
        if first == "banner":
            words.take()
            kind = words.take()
            if kind not in BANNER_KINDS:
                raise words.error()
            self.cfg.banners.pop(kind, None)  # any text after the kind is ignored: all lines go
            return ""
        if [w for w, _ in words.items[1:4]] == ["crypto", "ikev1", "policy"]:
            priority = words.items[4][0] if len(words.items) > 4 else ""
            self.cfg.ike.pop(int(priority) if priority.isdigit() else -1, None)
            return ""
        rest = " ".join(w for w, _ in words.items[1:])
        if not rest:
            raise incomplete()
        before = len(self.cfg.globals)
        self.cfg.globals = {k: v for k, v in self.cfg.globals.items()
                            if not (v[1] == rest or v[1].startswith(rest + " "))}
        if len(self.cfg.globals) == before and rest.split()[0] not in {s.pattern.split()[0] for s in GLOBALS}:
            raise invalid(words.items[1][1])
        return ""

    def _no_access_list(self, words: Words) -> str:
        name = words.take()
        if name not in self.cfg.acls:
            raise AsaError(f"ERROR: access-list <{name}> does not exist")
        if words.peek() is None:
            del self.cfg.acls[name]
            self._unbind(name)
            return ""
        if words.take_if("line"):
            words.take()
        kind = words.take()
        if kind == "remark":
            entry = f"remark {words.rest()}"
        elif kind == "extended":
            entry = ace(self.cfg, words)
        else:
            raise words.error()
        entries = self.cfg.acls[name]
        if entry not in entries:
            raise AsaError("ERROR: Specified access-list entry does not exist")
        entries.remove(entry)
        if not entries:
            del self.cfg.acls[name]
            self._unbind(name)
        return ""

    # -- sub-modes ----------------------------------------------------------------------------
    def _submode_handlers(self) -> dict[str, Handler]:
        assert self.context is not None
        kind = self.context.kind
        common: dict[str, Handler] = {"description": self._description}
        tables: dict[str, dict[str, Handler]] = {
            "interface": {"nameif": self._nameif, "security-level": self._security,
                          "ip": self._ip_address, "shutdown": self._shutdown,
                          "management-only": self._management_only, "no": self._no_interface,
                          **{command: self._interface_extra for command in INTERFACE_COMMANDS}},
            "network": {"host": self._net_body, "subnet": self._net_body, "range": self._net_body,
                        "fqdn": self._net_body, "no": self._no_member, "nat": self._object_nat},
            "icmp-type-group": {"icmp-object": self._member, "group-object": self._member,
                                "no": self._no_member},
            "protocol-group": {"protocol-object": self._member, "group-object": self._member,
                               "no": self._no_member},
            "service": {"service": self._service, "no": self._no_member},
            "network-group": {"network-object": self._member, "group-object": self._member,
                              "no": self._no_member},
            "service-group": {"port-object": self._member, "service-object": self._member,
                              "group-object": self._member, "no": self._no_member},
            "ike": {option: self._ike for option in IKE_OPTIONS},
            "tunnel-ipsec": {"ikev1": self._pre_shared_key, "ikev2": self._pre_shared_key,
                             "pre-shared-key": self._pre_shared_key},
        }
        return {**common, **tables[kind]} if kind not in ("ike", "tunnel-ipsec") else tables[kind]

    def _target(self) -> Interface | NetObject | Group:
        assert self.context is not None
        name = self.context.name
        if self.context.kind == "interface":
            return self.cfg.interfaces[name]
        return self.cfg.groups[name] if self.context.kind.endswith("-group") else self.cfg.objects[name]

    def _description(self, words: Words) -> str:
        self._target().description = words.rest()[:200]
        return ""

    def _interface_target(self) -> Interface:
        target = self._target()
        assert isinstance(target, Interface)
        return target

    def _nameif(self, words: Words) -> str:
        name = words.take()
        words.done()
        iface = self._interface_target()
        iface.nameif = name
        if iface.security is None:
            iface.security = 100 if name == "inside" else 0
            return INFO_SECURITY.format(name=name, level=iface.security)
        return ""

    def _security(self, words: Words) -> str:
        level = words.take()
        if not level.isdigit() or int(level) > 100:
            raise words.error()
        words.done()
        self._interface_target().security = int(level)
        return ""

    def _interface_extra(self, words: Words) -> str:
        """A sub-command the lab keeps as typed (``speed 1000``, ``vlan 2``, ``ip ospf ...``)."""
        keyword = words.items[words.pos - 1][0]
        text = " ".join([keyword, words.rest()]) if words.peek() is not None else keyword
        extra = self._interface_target().extra
        if text not in extra:
            extra.append(text)
        return ""

    def _object_nat(self, words: Words) -> str:
        rule = object_nat(self.cfg, words)
        target = self._target()
        assert isinstance(target, NetObject)
        target.nat = rule
        return ""

    def _ip_address(self, words: Words) -> str:
        if words.peek() in ("ospf", "verify", "igmp", "pim", "dhcp", "local-proxy-arp"):
            return self._interface_extra(words)
        if words.take() != "address":
            raise words.error()
        address = f"{ip_address(words)} {ip_address(words)}"
        try:
            ipaddress.IPv4Network(f"0.0.0.0/{address.split()[1]}")
        except ValueError:
            raise words.error() from None
        if words.take_if("standby"):
            address += f" standby {ip_address(words)}"
        words.done()
        self._interface_target().address = address
        return ""

    def _shutdown(self, words: Words) -> str:
        words.done()
        self._interface_target().shutdown = True
        return ""

    def _management_only(self, words: Words) -> str:
        words.done()
        self._interface_target().management_only = True
        return ""

    def _no_interface(self, words: Words) -> str:
        what = words.take()
        iface = self._interface_target()
        resets = {"shutdown": ("shutdown", False), "nameif": ("nameif", ""),
                  "security-level": ("security", None), "description": ("description", ""),
                  "management-only": ("management_only", False), "ip": ("address", "")}
        if what not in resets:
            raise words.error()
        attribute, value = resets[what]
        setattr(iface, attribute, value)
        return ""

    def _net_body(self, words: Words) -> str:
        kind = words.items[words.pos - 1][0]
        if kind == "host":
            body = f"host {any_address(words)}"
        elif kind == "subnet":
            body = f"subnet {ipv6_prefix(words) if ':' in (words.peek() or '') else ip_mask(words)}"
        elif kind == "range":
            body = f"range {any_address(words)} {any_address(words)}"
        else:
            body = f"fqdn {words.rest()}"
        return self._set_body(body, words)

    def _service(self, words: Words) -> str:
        return self._set_body(f"service {service_body(self.cfg, words)}", words)

    def _set_body(self, body: str, words: Words) -> str:
        """The object's one definition line (host/subnet/range/fqdn or service) replaces the old."""
        words.done()
        target = self._target()
        assert isinstance(target, NetObject)
        target.body = body
        return ""

    def _member_text(self, words: Words) -> str:
        group = self._target()
        assert isinstance(group, Group)
        keyword = words.items[words.pos - 1][0]
        if keyword == "network-object":
            return network_member(self.cfg, words)
        if keyword == "group-object":
            name = words.take()
            other = self.cfg.groups.get(name)
            if other is None or other.kind != group.kind:
                raise missing_object("object-group", name)
            return f"group-object {name}"
        if keyword == "port-object" and group.proto:
            return port_member(words, group.proto)
        if keyword == "icmp-object" and group.kind == "icmp-type":
            value = words.take()
            if value not in ICMP_TYPES and not (value.isdigit() and int(value) <= 255):
                raise words.error()
            return f"icmp-object {value}"
        if keyword == "protocol-object" and group.kind == "protocol":
            return f"protocol-object {protocol_name(words)}"
        if keyword == "service-object" and not group.proto:
            return f"service-object {service_body(self.cfg, words)}"
        raise words.error()

    def _member(self, words: Words) -> str:
        text = self._member_text(words)
        words.done()
        group = self._target()
        assert isinstance(group, Group)
        if text not in group.members:
            group.members.append(text)
        return ""

    def _no_member(self, words: Words) -> str:
        keyword = words.take()
        target = self._target()
        if keyword == "description":
            target.description = ""
            return ""
        if isinstance(target, NetObject):
            if keyword not in ("host", "subnet", "range", "fqdn", "service"):
                raise words.error()
            target.body = ""
            return ""
        text = self._member_text(words)
        if text not in target.members:
            raise AsaError(f"ERROR: {text} does not exist in this object-group")
        target.members.remove(text)
        return ""

    def _tunnel_group(self, words: Words) -> str:
        """``tunnel-group NAME type TYPE``, or ``tunnel-group NAME ipsec-attributes`` (a sub-mode)."""
        name = words.take()
        what = words.take()
        if what == "type":
            kind = words.take()
            if kind not in TUNNEL_TYPES:
                raise words.error()
            words.done()
            self.cfg.tunnel_groups.setdefault(name, TunnelGroup()).type = kind
            return ""
        if what != "ipsec-attributes" or name not in self.cfg.tunnel_groups:
            raise words.error()
        words.done()
        self.context = Context("tunnel-ipsec", name)
        return ""

    def _pre_shared_key(self, words: Words) -> str:
        """``ikev1 pre-shared-key``, ``ikev2 local|remote-authentication pre-shared-key`` (``[0|8|hex]
        KEY``); the legacy ``pre-shared-key KEY`` is stored as the ikev1 key, as the ASA does."""
        assert self.context is not None
        head = [words.items[words.pos - 1][0]]
        if head[0] == "ikev2":
            head.append(words.take())
            if head[1] not in ("local-authentication", "remote-authentication"):
                raise words.error()
        if head[0] == "pre-shared-key":
            head = ["ikev1", "pre-shared-key"]
        elif words.take() != "pre-shared-key":
            raise words.error()
        else:
            head.append("pre-shared-key")
        kind = words.take_if("0", "8", "hex")
        key = words.take()
        words.done()
        identity = " ".join(head)
        shown = [identity, *([kind] if kind in ("8", "hex") else []), key]
        self.cfg.tunnel_groups[self.context.name].ipsec[identity] = " ".join(shown)
        return ""

    def _ike(self, words: Words) -> str:
        assert self.context is not None
        option = words.items[words.pos - 1][0]
        value = words.take()
        allowed = IKE_OPTIONS[option]
        if (allowed and value not in allowed) or (not allowed and not value.isdigit()):
            raise words.error()
        words.done()
        self.cfg.ike[int(self.context.name)][option] = value
        return ""



def _modelled(text: str) -> bool:
    """Whether a modelled command covers this line's first two words (then it is checked strictly)."""
    head = text.split()[:2]
    for spec in GLOBALS:
        pattern = spec.pattern.split()
        same_command = len(head) == 2 == min(len(pattern), 2) and head[0] == pattern[0]
        if same_command and re.fullmatch(pattern[1], head[1]):
            return True
    return len(head) == 1 and any(spec.pattern == head[0] for spec in GLOBALS)
