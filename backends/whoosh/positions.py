"""The posting value of the text fields: a term's positions in a document, as little-endian
unsigned 32-bit integers.

Whoosh's `Positions` format stores a count and the pickled position deltas (13 bytes for one
position, the usual case in news text), and posting blocks are pickled and zlib-compressed
around them. Fixed-width positions are 4 bytes for one, are encoded and decoded by C code
(array), and need no compression: the index is about the size of the compressed one, and
neither the writer nor a search spends time in zlib.
"""

from __future__ import annotations

import sys
from array import array

from whoosh.formats import Positions

_WORD = "I" if array("I").itemsize == 4 else "L"
assert array(_WORD).itemsize == 4, "no 32-bit unsigned array type"
_SWAP = sys.byteorder == "big"


def pack_positions(poslist: list[int]) -> bytes:
    """Positions (ascending) as little-endian uint32s."""
    a = array(_WORD, poslist)
    if _SWAP:
        a.byteswap()
    return a.tobytes()


def unpack_positions(value: bytes) -> list[int]:
    a = array(_WORD)
    a.frombytes(value)
    if _SWAP:
        a.byteswap()
    return a.tolist()


SINGLE: dict[int, bytes] = {}  # the value of each one-position list met: most terms occur once in a document


def encode_positions(poslist: list[int]) -> bytes:
    """A posting value (CompactPositions.encode), one-position values cached."""
    if len(poslist) == 1:
        value = SINGLE.get(poslist[0])
        if value is None:
            value = SINGLE[poslist[0]] = pack_positions(poslist)
        return value
    return pack_positions(poslist)


class CompactPositions(Positions):
    """Whoosh's Positions format (frequency, weight, positions) with fixed-width positions."""

    # the function itself, not a method around it: the writer calls it once per posting
    encode = staticmethod(encode_positions)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return unpack_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return len(valuestring) // 4 * self.field_boost
