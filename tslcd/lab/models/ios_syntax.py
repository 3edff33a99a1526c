"""A small IOS command-grammar engine: patterns written as strings, matched like the IOS parser.

Each command is a pattern such as ``ip route [vrf WORD] A M A|IF [LINE]``. Lower-case words are
keywords (any unique abbreviation is accepted and expanded to the full word), upper-case words are
argument types (see `TYPES`), ``a|b`` is a choice and ``[...]`` is optional. Matching reports
where parsing failed, so the model can print IOS's caret line, and whether the input stopped
short (``% Incomplete command.``) or was ambiguous (``% Ambiguous command``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# Interface types a lab device knows, in the order IOS tries them for abbreviations.
INTERFACE_TYPES: tuple[str, ...] = (
    "GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "Ethernet", "Loopback", "Vlan",
    "Tunnel", "Port-channel", "Dialer", "BDI", "Null", "Virtual-Template", "Serial", "Multilink",
    "AppGigabitEthernet", "FortyGigabitEthernet", "HundredGigE", "TwentyFiveGigE",
    "TwoGigabitEthernet", "FiveGigabitEthernet",
)
#: Interface types that are hardware ports: a device has only those its model has.
PHYSICAL_TYPES: tuple[str, ...] = (
    "GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "Ethernet", "Serial",
    "AppGigabitEthernet", "FortyGigabitEthernet", "HundredGigE", "TwentyFiveGigE",
    "TwoGigabitEthernet", "FiveGigabitEthernet",
)
_IF_RE = re.compile(r"^([A-Za-z][A-Za-z-]*?)(\d+(?:/\d+)*(?:\.\d+)?)$")

# Port names IOS prints instead of numbers in access lists (the common ones).
TCP_PORT_NAMES: dict[int, str] = {
    20: "ftp-data", 21: "ftp", 23: "telnet", 25: "smtp", 49: "tacacs", 53: "domain", 80: "www",
    110: "pop3", 111: "sunrpc", 119: "nntp", 179: "bgp", 512: "exec", 513: "login", 514: "cmd",
    515: "lpd",
}
UDP_PORT_NAMES: dict[int, str] = {
    49: "tacacs", 53: "domain", 67: "bootps", 68: "bootpc", 69: "tftp", 123: "ntp",
    137: "netbios-ns", 138: "netbios-dgm", 161: "snmp", 162: "snmptrap", 500: "isakmp",
    514: "syslog", 520: "rip", 4500: "non500-isakmp",
}
_PORT_NAMES = set(TCP_PORT_NAMES.values()) | set(UDP_PORT_NAMES.values()) | {"echo", "discard"}
_ACL_PROTOCOLS = {"ip", "tcp", "udp", "icmp", "esp", "gre", "ahp", "ospf", "eigrp", "pim",
                  "igmp", "ipinip", "nos", "pcp", "sctp"}
_ICMP_TYPES = {"echo", "echo-reply", "unreachable", "time-exceeded", "packet-too-big",
               "ttl-exceeded", "administratively-prohibited", "host-unreachable",
               "net-unreachable", "port-unreachable", "redirect", "traceroute", "parameter-problem"}
_ACL_FLAGS = {"log", "log-input", "established", "fragments"}
_ACL_VALUED = {"dscp", "precedence", "tos", "time-range", "ttl"}


def canonical_interface(name: str) -> str | None:
    """Expand an interface name the way IOS does (``gi0/0/0.100`` -> ``GigabitEthernet0/0/0.100``).

    None when the type is unknown or the abbreviation is ambiguous.
    """
    m = _IF_RE.match(name)
    if not m:
        return None
    typ, num = m.group(1).lower(), m.group(2)
    hits = [t for t in INTERFACE_TYPES if t.lower().startswith(typ)]
    exact = [t for t in hits if t.lower() == typ]
    if exact:
        return exact[0] + num
    if len(hits) == 1 or (hits and typ in ("t", "te") and hits[0] == "TenGigabitEthernet"):
        return hits[0] + num
    return None


def is_ipv4(tok: str) -> bool:
    """True for a dotted-quad IPv4 address (also used for masks and wildcards)."""
    try:
        ipaddress.IPv4Address(tok)
    except ValueError:
        return False
    return True


def _is_port(tok: str) -> bool:
    return (tok.isdigit() and int(tok) <= 65535) or tok in _PORT_NAMES


# --- access-list entries -----------------------------------------------------------------------
# The validators return (canonical words, index of the first bad word or None, incomplete flag).

AceResult = tuple[list[str], int | None, bool]


def _address(words: list[str], i: int, out: list[str], standard: bool = False) -> int | None:
    """Consume one ACL address at words[i]; return the next index, or None when it is invalid."""
    if i >= len(words):
        return None
    w = words[i].lower()
    if w == "any":
        out.append("any")
        return i + 1
    if w in ("host", "object-group", "addrgroup"):
        if i + 1 >= len(words) or (w == "host" and not is_ipv4(words[i + 1])):
            return None
        if w == "host" and standard:
            out.append(words[i + 1])
        else:
            out.extend([w, words[i + 1]])
        return i + 2
    if is_ipv4(words[i]):
        if i + 1 < len(words) and is_ipv4(words[i + 1]):
            addr, wild = words[i], words[i + 1]
            if wild == "0.0.0.0" and standard:  # extended entries keep the 0.0.0.0 wildcard
                out.append(addr)
            elif wild == "255.255.255.255":
                out.append("any")
            else:
                out.extend([addr, wild])
            return i + 2
        if standard:
            out.append(words[i])
            return i + 1
    return None


def _ports(words: list[str], i: int, out: list[str], proto: str) -> int | None:
    """Consume an optional port operator; return the next index, or None when it is invalid."""
    if i >= len(words) or words[i].lower() not in ("eq", "neq", "lt", "gt", "range"):
        return i
    op = words[i].lower()
    need = 2 if op == "range" else 1
    args = words[i + 1:i + 1 + need]
    if len(args) < need or not all(_is_port(a.lower()) for a in args):
        return None
    names = TCP_PORT_NAMES if proto == "tcp" else UDP_PORT_NAMES
    out.append(op)
    out.extend(names.get(int(a), a) if a.isdigit() else a.lower() for a in args)
    j = i + 1 + need
    # "eq" takes several ports on IOS: eq 80 443 8080
    while op == "eq" and j < len(words) and _is_port(words[j].lower()) and len(out) < 12:
        a = words[j]
        out.append(names.get(int(a), a) if a.isdigit() else a.lower())
        j += 1
    return j


def _ace_head(words: list[str], out: list[str]) -> tuple[int, AceResult | None]:
    """``[seq] permit|deny`` (or ``[seq] remark ...``), shared by standard and extended entries.

    Appends what it read to ``out``; returns the next index, or the finished result when the
    entry ends here (a remark, an incomplete entry, or a bad action).
    """
    i = 0
    if words and words[0].isdigit():
        out.append(words[0])
        i = 1
    if i >= len(words):
        return i, (out, None, True)
    action = words[i].lower()
    if action == "remark":
        return i, ([*out, "remark", *words[i + 1:]], None, i + 1 >= len(words))
    if action not in ("permit", "deny"):
        return i, (out, i, False)
    out.append(action)
    i += 1
    if i >= len(words):
        return i, (out, None, True)
    return i, None


def extended_ace(words: list[str]) -> AceResult:
    """Validate and canonicalise ``[seq] permit|deny proto src [ports] dst [ports] [options]``."""
    out: list[str] = []
    i, done = _ace_head(words, out)
    if done is not None:
        return done
    proto = words[i].lower()
    if proto == "object-group":
        if i + 1 >= len(words):
            return out, None, True
        out.extend(["object-group", words[i + 1]])
        i += 2
    elif proto in _ACL_PROTOCOLS or (proto.isdigit() and int(proto) <= 255):
        out.append(proto)
        i += 1
    else:
        return out, i, False
    for _side in ("src", "dst"):
        if i >= len(words):
            return out, None, True
        nxt = _address(words, i, out)
        if nxt is None:
            return out, min(i + 1, len(words) - 1) if words[i].lower() == "host" else i, False
        i = nxt
        if proto in ("tcp", "udp"):
            nxt = _ports(words, i, out, proto)
            if nxt is None:
                return out, i, False
            i = nxt
    while i < len(words):
        w = words[i].lower()
        if w in _ACL_FLAGS or (proto == "icmp" and w in _ICMP_TYPES):
            out.append(w)
            i += 1
        elif w in _ACL_VALUED and i + 1 < len(words):
            out.extend([w, words[i + 1]])
            i += 2
        else:
            return out, i, False
    return out, None, False


def standard_ace(words: list[str]) -> AceResult:
    """Validate and canonicalise ``[seq] permit|deny any|host A|A [W] [log]``."""
    out: list[str] = []
    i, done = _ace_head(words, out)
    if done is not None:
        return done
    nxt = _address(words, i, out, standard=True)
    if nxt is None:
        return out, i, False
    i = nxt
    if i < len(words) and words[i].lower() == "log":
        out.append("log")
        i += 1
    return (out, i, False) if i < len(words) else (out, None, False)


def numbered_acl(words: list[str]) -> AceResult:
    """``access-list N ...``: standard for 1-99/1300-1999, extended for 100-199/2000-2699."""
    if not words:
        return [], None, True
    if not words[0].isdigit():
        return [], 0, False
    n = int(words[0])
    if 1 <= n <= 99 or 1300 <= n <= 1999:
        body = standard_ace(words[1:])
    elif 100 <= n <= 199 or 2000 <= n <= 2699:
        body = extended_ace(words[1:])
    else:
        return [], 0, False
    if body[0] and body[0][0].isdigit():  # numbered lists take no sequence numbers
        return [words[0]], 1, False
    return [words[0], *body[0]], None if body[1] is None else body[1] + 1, body[2]


VALIDATORS: dict[str, Callable[[list[str]], AceResult]] = {
    "EXTACE": extended_ace, "STDACE": standard_ace, "NUMACL": numbered_acl,
}

# --- the pattern language ----------------------------------------------------------------------


def _type_ok(kind: str, tok: str) -> str | None:
    """The canonical form of `tok` if it is a valid `kind` argument, else None."""
    if kind in ("A", "M"):
        return tok if is_ipv4(tok) else None
    if kind == "N":
        return tok if tok.isdigit() else None
    if kind[0] == "N" and _RANGE.match(kind):  # N<lo>-<hi>: a number IOS range-checks
        lo, hi = map(int, kind[1:].split("-"))
        return tok if tok.isdigit() and lo <= int(tok) <= hi else None
    if kind == "IF":
        return canonical_interface(tok)
    if kind == "WORD":
        return tok
    if kind == "FILE":
        return tok if ":" in tok or re.match(r"^[\w.-]+$", tok) else None
    if kind == "ASN":
        return tok if re.match(r"^\d+(\.\d+)?(:\d+)?$", tok) or is_ipv4(tok.split(":")[0]) else None
    raise ValueError(f"unknown argument type {kind}")


TYPES = ("A", "M", "N", "IF", "WORD", "FILE", "ASN", "LINE", "REST", *VALIDATORS)


@dataclass(frozen=True)
class Element:
    """One position of a pattern: keyword choices, argument type choices, or a rest-of-line."""

    keywords: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    @property
    def rest(self) -> str | None:
        """``LINE`` (one or more words), ``REST`` (zero or more) or a validator name."""
        for t in self.types:
            if t in ("LINE", "REST") or t in VALIDATORS:
                return t
        return None


_RANGE = re.compile(r"^N\d+-\d+$")


def _is_type(part: str) -> bool:
    return part in TYPES or bool(_RANGE.match(part))


def _parse_element(word: str) -> Element:
    parts = word.split("|")
    kws = tuple(p for p in parts if not _is_type(p))
    types = tuple(p for p in parts if _is_type(p))
    return Element(kws, types)


def _expand(pattern: str) -> list[list[Element]]:
    """Expand ``[...]`` groups into every concrete sequence (optional groups are few and short)."""
    tokens = re.findall(r"\[|\]|[^\s\[\]]+", pattern)

    def group(pos: int) -> tuple[list[list[str]], int]:
        seqs: list[list[str]] = [[]]
        while pos < len(tokens) and tokens[pos] != "]":
            tok = tokens[pos]
            if tok == "[":
                inner, pos = group(pos + 1)
                seqs = [s + i for s in seqs for i in [[], *inner]]
            else:
                seqs = [[*s, tok] for s in seqs]
            pos += 1
        return seqs, pos

    seqs, _ = group(0)
    return [[_parse_element(w) for w in s] for s in seqs]


@dataclass
class Command:
    """One grammar entry: the pattern and what the caller attaches to it (mode, handler...)."""

    pattern: str
    data: Any = None
    seqs: list[list[Element]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.seqs = _expand(self.pattern)


@dataclass
class Match:
    """A complete match: the command, its canonical words and its argument values in order."""

    command: Command
    words: list[str]
    args: list[str]
    consumed: int  # how many leading elements of the pattern were matched
    next_element: Element | None = None  # for a partial match: what the pattern wants next


@dataclass
class ParseError:
    """Why a line did not parse: ``invalid`` (at character `col`), ``incomplete`` or ``ambiguous``."""

    kind: str
    col: int = 0
    partial: list[Match] = field(default_factory=list)  # prefixes that were valid (for ``no``)
    message: str = ""  # kind "message": IOS refused a grammatical line with this text


def tokens(line: str) -> list[tuple[int, str]]:
    """Words of a line with their column."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]


@dataclass
class _State:
    command: Command
    seq: list[Element]
    words: list[str]
    args: list[str]


def _finish_rest(st: _State, el: Element, toks: list[tuple[int, str]], i: int, line: str
                 ) -> tuple[Match | None, int | None, bool]:
    """Complete a state whose element at token i takes the rest of the line."""
    kind = el.rest
    rest_words = [t for _, t in toks[i:]]
    if kind in VALIDATORS:
        words, bad, incomplete = VALIDATORS[kind](rest_words)
        if bad is not None:
            return None, toks[i + bad][0], False
        if incomplete:
            return None, None, True
        return Match(st.command, st.words + words, [*st.args, " ".join(words)], len(st.seq)), None, False
    if not rest_words:
        return (None, None, True) if kind == "LINE" else (
            Match(st.command, st.words, st.args, len(st.seq)), None, False)
    text = line[toks[i][0]:].rstrip()
    return Match(st.command, [*st.words, text], [*st.args, text], len(st.seq)), None, False


def match(table: Table, line: str) -> Match | ParseError:
    """Match a line against a mode's commands as the IOS parser would."""
    toks = tokens(line)
    commands = table.candidates(toks[0][1]) if toks else table.commands
    states = [_State(c, s, [], []) for c in commands for s in c.seqs]
    done: list[Match] = []
    fail_col = toks[0][0] if toks else 0
    incomplete = False
    for i, (col, tok) in enumerate(toks):
        low = tok.lower()
        kw_exact: list[tuple[_State, str, bool]] = []
        kw_prefix: list[tuple[_State, str, bool]] = []
        typed: list[tuple[_State, str, bool]] = []
        for st in states:
            if i >= len(st.seq):
                continue
            el = st.seq[i]
            if el.rest:
                m, bad, inc = _finish_rest(st, el, toks, i, line)
                if m:
                    done.append(m)
                elif bad is not None:
                    fail_col = max(fail_col, bad)
                incomplete = incomplete or inc
                continue
            for kw in el.keywords:
                if kw.lower() == low:
                    kw_exact.append((st, kw, True))
                elif kw.lower().startswith(low):
                    kw_prefix.append((st, kw, True))
            for t in el.types:
                val = _type_ok(t, tok)
                if val is not None:
                    typed.append((st, val, False))
                    break
        distinct = {kw.lower() for _, kw, _ in kw_prefix}
        if kw_exact:
            chosen = kw_exact
        elif len(distinct) == 1:
            chosen = kw_prefix
        elif distinct and not typed and not done:
            return ParseError("ambiguous", col)
        else:
            chosen = typed
        states = [_State(st.command, st.seq, [*st.words, w], st.args if is_kw else [*st.args, w])
                  for st, w, is_kw in chosen]
        if not states:
            return done[0] if done else ParseError("invalid", max(fail_col, col))
    for st in states:
        n = len(toks)
        if n == len(st.seq):
            return Match(st.command, st.words, st.args, n)
    for st in states:
        el = st.seq[len(toks)] if len(toks) < len(st.seq) else None
        if el is not None and el.rest == "REST":
            return Match(st.command, st.words, st.args, len(st.seq))
    if done:
        return done[0]
    partial = [Match(st.command, st.words, st.args, len(toks), st.seq[len(toks)]) for st in states]
    if partial or incomplete:
        return ParseError("incomplete", len(line), partial)
    return ParseError("invalid", fail_col)


class Table:
    """A mode's commands, indexed by the first letter of their first keyword for speed."""

    def __init__(self, rows: Iterable[tuple[str, Any]]) -> None:
        self.commands = [Command(p, d) for p, d in rows]
        self._by_letter: dict[str, list[Command]] = {}
        self._by_argument: list[Command] = []  # commands that start with an argument
        for cmd in self.commands:
            firsts = {seq[0] for seq in cmd.seqs if seq}
            if any(el.types for el in firsts):
                self._by_argument.append(cmd)
            for letter in {kw[0].lower() for el in firsts for kw in el.keywords}:
                self._by_letter.setdefault(letter, []).append(cmd)

    def candidates(self, first_word: str) -> list[Command]:
        """Commands that might match a line starting with `first_word`, in table order."""
        hits = {id(c) for c in self._by_letter.get(first_word[:1].lower(), [])}
        hits.update(id(c) for c in self._by_argument)
        return [c for c in self.commands if id(c) in hits]


def compile_table(rows: Iterable[tuple[str, Any]]) -> Table:
    """Compile ``(pattern, data)`` rows into an indexed command table."""
    return Table(rows)


# --- context help ("?") -------------------------------------------------------------------------
_HELP_NAMES = {"A": "A.B.C.D", "M": "A.B.C.D", "N": "<0-4294967295>", "IF": "Interface", "WORD": "WORD",
               "FILE": "WORD", "ASN": "ASN", "LINE": "LINE", "REST": "LINE"}


def _help_name(kind: str) -> str:
    if _RANGE.match(kind):
        return f"<{kind[1:]}>"
    return _HELP_NAMES.get(kind, "LINE")


def _fits(el: Element, word: str, exact: bool) -> bool:
    low = word.lower()
    if any(kw.lower() == low or (not exact and kw.lower().startswith(low)) for kw in el.keywords):
        return True
    return any(t in ("LINE", "REST") or t in VALIDATORS or _type_ok(t, word) is not None
               for t in el.types)


def _help_seqs(tables: list[Table], words: list[str]) -> list[list[Element]]:
    """Patterns the typed words can be the start of (exact keywords win over abbreviations)."""
    for exact in (True, False):
        found = []
        for table in tables:
            for cmd in table.commands:
                if isinstance(cmd.data, str) and cmd.data in ("@ignore",):
                    continue
                for seq in cmd.seqs:
                    head = seq[:len(words)]
                    rest_at = next((i for i, el in enumerate(head) if el.rest), None)
                    upto = len(words) if rest_at is None else rest_at
                    if (len(seq) >= len(words) or rest_at is not None) and all(
                            _fits(el, w, exact) for el, w in zip(seq[:upto], words[:upto], strict=True)):
                        found.append(seq)
        if found:
            return found
    return []


def help_options(tables: list[Table], line: str) -> list[str]:
    """What IOS's ``?`` lists after ``line``: next words (``<cr>`` when the command is complete),
    or, when the line ends inside a word, the keywords that word can complete to."""
    words = line.split()
    partial = "" if not line or line[-1].isspace() else words.pop()
    options: dict[str, None] = {}
    for seq in _help_seqs(tables, words):
        if any(el.rest for el in seq[:len(words)]):
            options.setdefault(partial or "LINE", None)
        elif len(seq) == len(words):
            if not partial:
                options.setdefault("<cr>", None)
        else:
            el = seq[len(words)]
            options.update((kw, None) for kw in el.keywords if kw.lower().startswith(partial.lower()))
            if not partial:
                options.update((_help_name(t), None) for t in el.types)
    named = sorted(o for o in options if o != "<cr>")
    return named + (["<cr>"] if "<cr>" in options else [])
