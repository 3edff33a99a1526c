"""Packet header space: boxes (one integer interval per header field) and interval sets.

A rule matches a union of boxes. A box is a flat tuple ``(lo0, hi0, lo1, hi1, ...)`` over the
dimensions in `DIMS`, bounds inclusive; flat tuples of ints are the cheapest thing Python compares
and hashes, and the analysis spends its time doing exactly that. Fields that do not apply to a
protocol (ports for ICMP, ICMP type for TCP) are left full by every rule, so they never separate
packets that the device would treat alike.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

# Addresses of both families share one dimension: an IPv4 address is its 32-bit value, an IPv6
# address 2**32 plus its 128-bit value. Rules only ever pair a source and a destination of the
# same family (`family_product`), so the engine, unchanged, is exact for IPv6 as for IPv4.
V6_BASE = 2**32
ANY4: tuple[int, int] = (0, V6_BASE - 1)
ANY6: tuple[int, int] = (V6_BASE, V6_BASE + 2**128 - 1)

# (name, maximum value): protocol, source and destination address, source and destination port,
# and ICMP type and code as one number (type * 256 + code, see `names.icmp_range`).
DIMS: tuple[tuple[str, int], ...] = (
    ("proto", 255),
    ("src", ANY6[1]),
    ("dst", ANY6[1]),
    ("sport", 65535),
    ("dport", 65535),
    ("icmp", 65535),
)
NDIM = len(DIMS)
PROTO, SRC, DST, SPORT, DPORT, ICMP = range(NDIM)
_EVERYTHING: tuple[int, ...] = tuple(v for _, hi in DIMS for v in (0, hi))
# Every IPv4 packet, and every IPv6 packet (a rule matching both has both boxes).
FULL: tuple[int, ...] = (*_EVERYTHING[:2], *ANY4, *ANY4, *_EVERYTHING[6:])
FULL6: tuple[int, ...] = (*_EVERYTHING[:2], *ANY6, *ANY6, *_EVERYTHING[6:])

Box = tuple[int, ...]
Interval = tuple[int, int]
IntervalSet = list[Interval]


def full_set(dim: int) -> IntervalSet:
    """Every value of one dimension."""
    return [(0, DIMS[dim][1])]


def normalize(intervals: Iterable[Interval]) -> IntervalSet:
    """Sorted, disjoint, non-adjacent intervals covering the same values."""
    out: IntervalSet = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def complement(intervals: IntervalSet, dim: int) -> IntervalSet:
    """Values of ``dim`` not in ``intervals`` (which must be normalized)."""
    out: IntervalSet = []
    nxt = 0
    for lo, hi in intervals:
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= DIMS[dim][1]:
        out.append((nxt, DIMS[dim][1]))
    return out


def subtract_sets(a: IntervalSet, b: IntervalSet, dim: int) -> IntervalSet:
    """Values in ``a`` but not in ``b``."""
    return intersect_sets(a, complement(normalize(b), dim))


def intersect_sets(a: IntervalSet, b: IntervalSet) -> IntervalSet:
    """Values in both normalized sets."""
    out: IntervalSet = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def prefix_interval(text: str) -> Interval:
    """``10.0.0.0/24``, ``2001:db8::/32`` (or a bare address) as an interval; ValueError when malformed."""
    if ":" in text:
        net6 = ipaddress.IPv6Network(text, strict=False)
        return V6_BASE + int(net6.network_address), V6_BASE + int(net6.broadcast_address)
    net = ipaddress.IPv4Network(text, strict=False)
    return int(net.network_address), int(net.broadcast_address)


def family_product(sets: Sequence[IntervalSet]) -> list[Box]:
    """`product` of per-dimension sets, pairing sources and destinations of the same family only."""
    src, dst = sets[SRC], sets[DST]
    if all(hi < V6_BASE for _, hi in src) and all(hi < V6_BASE for _, hi in dst):
        return product(sets)
    out: list[Box] = []
    for fam in (ANY4, ANY6):
        s = intersect_sets(normalize(src), [fam])
        d = intersect_sets(normalize(dst), [fam])
        if s and d:
            out += product([*sets[:SRC], s, d, *sets[DST + 1 :]])
    return out


def ip_int(text: str) -> int:
    """A dotted IPv4 address as an integer; raises ValueError when malformed (hot in parsers)."""
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 for p in parts):
        raise ValueError(f"not an IPv4 address: {text!r}")
    a, b, c, d = (int(p) for p in parts)
    if max(a, b, c, d) > 255:
        raise ValueError(f"not an IPv4 address: {text!r}")
    return (a << 24) | (b << 16) | (c << 8) | d


def int_ip(value: int) -> str:
    """An address of the address dimension as text (dotted IPv4 or IPv6)."""
    if value >= V6_BASE:
        return str(ipaddress.IPv6Address(value - V6_BASE))
    return str(ipaddress.IPv4Address(value))


def addr_int(text: str) -> int:
    """An IPv4 or IPv6 address as a value of the address dimension; ValueError when malformed."""
    if ":" in text:
        return V6_BASE + int(ipaddress.IPv6Address(text))
    return ip_int(text)


def product(sets: Sequence[IntervalSet]) -> list[Box]:
    """Every box of the cartesian product of one interval set per dimension."""
    boxes: list[tuple[int, ...]] = [()]
    for intervals in sets:
        boxes = [b + iv for b in boxes for iv in intervals]
    return boxes


def intersects(a: Box, b: Box) -> bool:
    """True when the two boxes share at least one packet."""
    for k in range(0, 2 * NDIM, 2):
        if a[k] > b[k + 1] or b[k] > a[k + 1]:
            return False
    return True


def contains(outer: Box, inner: Box) -> bool:
    """True when every packet of ``inner`` is in ``outer``."""
    for k in range(0, 2 * NDIM, 2):
        if inner[k] < outer[k] or inner[k + 1] > outer[k + 1]:
            return False
    return True


def intersection(a: Box, b: Box) -> Box | None:
    """The common part of two boxes, or None."""
    out: list[int] = []
    for k in range(0, 2 * NDIM, 2):
        lo = a[k] if a[k] > b[k] else b[k]
        hi = a[k + 1] if a[k + 1] < b[k + 1] else b[k + 1]
        if lo > hi:
            return None
        out += (lo, hi)
    return tuple(out)


def subtract(box: Box, cut: Box) -> list[Box]:
    """Disjoint boxes covering ``box`` minus ``cut`` (at most two per dimension).

    Assumes the two intersect. Peels one dimension at a time: the parts of ``box`` below and above
    ``cut`` in that dimension, then narrows ``box`` to ``cut``'s range there and goes on.
    """
    out: list[Box] = []
    cur = list(box)
    for k in range(0, 2 * NDIM, 2):
        lo, hi = cur[k], cur[k + 1]
        clo, chi = cut[k], cut[k + 1]
        if lo < clo:
            piece = cur.copy()
            piece[k + 1] = clo - 1
            out.append(tuple(piece))
            cur[k] = clo
        if hi > chi:
            piece = cur.copy()
            piece[k] = chi + 1
            out.append(tuple(piece))
            cur[k + 1] = chi
    return out


def volume(box: Box) -> int:
    """Number of packets in a box (an exact big integer)."""
    v = 1
    for k in range(0, 2 * NDIM, 2):
        v *= box[k + 1] - box[k] + 1
    return v


def box_corner(box: Box) -> tuple[int, ...]:
    """One concrete packet of a box, chosen to read naturally in a report.

    A host address rather than a network address, an ephemeral source port, TCP when any
    protocol would do; always inside the box.
    """
    out = list(box[0::2])
    for dim, preferred in ((PROTO, 6), (SPORT, 49152)):
        lo, hi = box[2 * dim], box[2 * dim + 1]
        out[dim] = min(max(preferred, lo), hi)
    for dim in (SRC, DST):
        lo, hi = box[2 * dim], box[2 * dim + 1]
        if hi - lo >= 2:
            out[dim] = lo + 1
    return tuple(out)
