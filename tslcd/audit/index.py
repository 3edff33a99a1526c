"""Which boxes of a list intersect a query box, without comparing against every one of them.

Per dimension, boxes sorted by their low bound give "boxes with lo <= v" as a prefix; we keep that
prefix as a Python integer bitset for each distinct bound (and likewise "hi >= v"). A query is
then a dozen binary searches and bitset ANDs, which Python does on 10,000-bit integers in
microseconds; only the boxes that really intersect are ever touched one by one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

from tslcd.audit.space import NDIM, Box


class _Cumulative:
    """For sorted keys, the bitset of boxes whose key is at or beyond each key."""

    def __init__(self, keyed: list[tuple[int, int]], ascending: bool) -> None:
        keyed.sort(reverse=not ascending)
        self.keys: list[int] = []
        self.sets: list[int] = []
        acc = 0
        for key, idx in keyed:
            acc |= 1 << idx
            if self.keys and self.keys[-1] == key:
                self.sets[-1] = acc
            else:
                self.keys.append(key)
                self.sets.append(acc)
        if not ascending:
            self.keys.reverse()
            self.sets.reverse()

    def at_most(self, v: int) -> int:
        """Boxes whose key <= v (ascending index)."""
        pos = bisect_right(self.keys, v)
        return self.sets[pos - 1] if pos else 0

    def at_least(self, v: int) -> int:
        """Boxes whose key >= v (descending index)."""
        pos = bisect_left(self.keys, v)
        return self.sets[pos] if pos < len(self.keys) else 0


class BoxIndex:
    """Static index over a sequence of boxes, numbered in order."""

    def __init__(self, boxes: Sequence[Box]) -> None:
        self.boxes = boxes
        self._lo: list[_Cumulative] = []
        self._hi: list[_Cumulative] = []
        self._dims: list[int] = []
        for d in range(NDIM):
            k = 2 * d
            # A dimension where every box has the same bounds cannot separate anything.
            if len({b[k] for b in boxes}) <= 1 and len({b[k + 1] for b in boxes}) <= 1:
                continue
            self._dims.append(d)
            self._lo.append(_Cumulative([(b[k], i) for i, b in enumerate(boxes)], ascending=True))
            self._hi.append(_Cumulative([(b[k + 1], i) for i, b in enumerate(boxes)], ascending=False))

    def query(self, box: Box, before: int) -> int:
        """Bitset of the boxes numbered below ``before`` that intersect ``box``."""
        bits = (1 << before) - 1
        for pos, d in enumerate(self._dims):
            bits &= self._lo[pos].at_most(box[2 * d + 1])
            if not bits:
                return 0
            bits &= self._hi[pos].at_least(box[2 * d])
            if not bits:
                return 0
        return bits


class BoxSet:
    """A fixed set of boxes that answers "which of you intersect this box" through a `BoxIndex`."""

    def __init__(self, boxes: Sequence[Box]) -> None:
        self.boxes = list(boxes)
        self._index = BoxIndex(self.boxes)

    def touching(self, box: Box) -> list[Box]:
        """The boxes of the set that share a packet with ``box``."""
        return [self.boxes[j] for j in iter_bits(self._index.query(box, len(self.boxes)))]


def iter_bits(bits: int) -> Iterator[int]:
    """Indices of the set bits, lowest first (one pass over the binary text, done in C)."""
    text = bin(bits)[:1:-1]
    pos = text.find("1")
    while pos >= 0:
        yield pos
        pos = text.find("1", pos + 1)
