"""Near-duplicate groups: the same wire story carried by several outlets (or reposted by one),
found by MinHash over word 5-shingles of the normalized text and banded LSH (numpy; datasketch's
LSH took 32 s for the bundled corpus, this 1 s).

Each article keeps its own place in the index; a group only lets the page collapse the copies
into one hit ("also in: عكاظ، الرياض"). The signature is computed with the persons, in the
extraction processes; the groups are made once per build over all signatures.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from analyzers import normalize

NUM_PERM = 64
SHINGLE = 5  # words
THRESHOLD = 0.7  # estimated Jaccard similarity of the shingle sets
BANDS, ROWS = 16, 4  # LSH: BANDS * ROWS == NUM_PERM
MAX_WORDS = 300  # the lead decides: a wire copy carries it, and long texts cost no more
MIN_WORDS = 30  # shorter texts (title-only items, captions) are alike by chance: no signature
# which code points of the Basic Multilingual Plane are word characters (as the regex \w says)
_IS_WORD = np.array([ch.isalnum() or ch == "_" for ch in map(chr, range(0x10000))] + [True], dtype=bool)
_MAX_HASH = np.uint64((1 << 32) - 1)
_SHIFT = np.uint64(32)
# Multiply-shift hashing, h(x) = (a*x + b) >> 32 over 64 bits (Dietzfelbinger): one permutation per
# row without the modulo of the Mersenne scheme, four times faster. Fixed seed: signatures must
# compare across builds.
_rng = np.random.RandomState(20151)
_A = _rng.randint(1, 1 << 62, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.randint(0, 1 << 62, NUM_PERM, dtype=np.uint64)
_MIX = _rng.randint(1, 1 << 62, SHINGLE, dtype=np.uint64) | np.uint64(1)
_POSITION = _rng.randint(1, 1 << 62, 64, dtype=np.uint64) | np.uint64(1)  # a weight per letter position


def signature(text: str) -> bytes | None:
    """The MinHash signature of a text (NUM_PERM 32-bit values), None for a short text."""
    h = _word_hashes(normalize(text[:MAX_WORDS * 16]))
    if len(h) < MIN_WORDS:
        return None
    n = len(h) - SHINGLE + 1
    with np.errstate(over="ignore"):
        shingles = np.unique(sum(h[i:i + n] * _MIX[i] for i in range(SHINGLE)) >> _SHIFT)
        values = (_A[:, None] * shingles[None, :] + _B[:, None]) >> _SHIFT
    return values.min(axis=1).astype("<u4").tobytes()


def _word_hashes(text: str) -> np.ndarray:
    """A 64-bit hash of each of the first MAX_WORDS words (runs of letters and digits), all at
    once in numpy (a Python loop over the words, or a regex, cost most of the signature's time)."""
    codes = np.frombuffer(text.encode("utf-32-le"), "<u4")
    space = ~_IS_WORD[np.minimum(codes, len(_IS_WORD) - 1)]
    codes = codes.astype(np.uint64)
    first = ~space
    first[1:] &= space[:-1]
    starts = np.flatnonzero(first)[:MAX_WORDS + 1]
    if len(starts) > MAX_WORDS:
        codes, space, first = codes[:starts[-1]], space[:starts[-1]], first[:starts[-1]]
        starts = starts[:-1]
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    word = np.cumsum(first) - 1
    pos = np.arange(len(codes)) - starts[np.maximum(word, 0)]
    with np.errstate(over="ignore"):
        weighted = np.where(space | (word < 0), np.uint64(0), codes * _POSITION[pos % len(_POSITION)])
    return np.add.reduceat(weighted, starts)


def similarity(a: bytes, b: bytes) -> float:
    return float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")))


def groups(signatures: Iterable[tuple[str, bytes]]) -> dict[str, str]:
    """Article id -> its group's id (the smallest member id), for the articles that have at least
    one near-duplicate (estimated similarity >= THRESHOLD; groups are closed transitively).

    Locality-sensitive hashing by bands: BANDS bands of ROWS values each; two articles whose
    signatures agree on a whole band are candidates, kept when their estimated similarity
    reaches THRESHOLD. With 16 bands of 4, a pair at similarity 0.7 is a candidate with
    probability 1 - (1 - 0.7^4)^16 = 0.998.
    """
    ids: list[str] = []
    rows: list[bytes] = []
    for aid, sig in signatures:
        ids.append(aid)
        rows.append(sig)
    if not ids:
        return {}
    matrix = np.frombuffer(b"".join(rows), "<u4").reshape(len(ids), NUM_PERM)
    parent = np.arange(len(ids))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return int(i)

    for band in range(BANDS):
        keys = matrix[:, band * ROWS:(band + 1) * ROWS].copy().view(f"V{4 * ROWS}").ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(keys)])
        for s0, size in zip(starts[sizes > 1], sizes[sizes > 1]):
            members = order[s0:s0 + size]
            sims = (matrix[members][:, None, :] == matrix[members][None, :, :]).mean(axis=2)
            for a, b in zip(*np.nonzero(np.triu(sims >= THRESHOLD, 1))):
                ra, rb = root(members[a]), root(members[b])
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([root(i) for i in range(len(ids))])
    _, inverse, counts = np.unique(roots, return_inverse=True, return_counts=True)
    grouped = counts[inverse] > 1
    # the group's id: its smallest article id, whatever the union order was
    smallest: dict[int, str] = {}
    for i in np.flatnonzero(grouped):
        smallest[roots[i]] = min(smallest.get(roots[i], ids[i]), ids[i])
    return {ids[i]: smallest[roots[i]] for i in np.flatnonzero(grouped)}
