"""The emission scores, Viterbi labels and label marginals of a linear-chain CRF with 3 labels,
for a batch of sentences in one call (compiled by numba: a Python loop per token was a third of
the person tagger's time during `reindex`, and numpy's many small operations per batch most of
the rest of the scoring).

A batch is flat: `em` (n_tokens, 3) holds every sentence's emission scores one after the other
(with padding rows between them, labelled 0), and `starts`/`ends` where each sentence is.
Ties go to the lowest label index, as in CRFsuite.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def viterbi(em: np.ndarray, starts: np.ndarray, ends: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """The best label sequence of each sentence (int8 per token)."""
    n = em.shape[0]
    labels = np.zeros(n, dtype=np.int8)
    back = np.zeros((n, 3), dtype=np.int8)
    score = np.zeros(3)
    nxt = np.zeros(3)
    for s in range(starts.shape[0]):
        a, b = starts[s], ends[s]
        if a == b:
            continue
        for y in range(3):
            score[y] = em[a, y]
        for i in range(a + 1, b):
            for y in range(3):
                best = score[0] + trans[0, y]
                arg = 0
                for x in range(1, 3):
                    v = score[x] + trans[x, y]
                    if v > best:
                        best = v
                        arg = x
                nxt[y] = best + em[i, y]
                back[i, y] = arg
            for y in range(3):
                score[y] = nxt[y]
        y = 0
        for x in range(1, 3):
            if score[x] > score[y]:
                y = x
        labels[b - 1] = y
        for i in range(b - 1, a, -1):
            y = back[i, y]
            labels[i - 1] = y
    return labels


@njit(cache=True, nogil=True)
def chosen_marginals(em: np.ndarray, starts: np.ndarray, ends: np.ndarray, exp_trans: np.ndarray,
                     labels: np.ndarray) -> np.ndarray:
    """P(label at position = its Viterbi label), by forward-backward scaled at every step; 1.0 in
    sentences whose labels are all 0 (no name: nobody asks for their confidence)."""
    n = em.shape[0]
    out = np.ones(n)
    ex = np.zeros((n, 3))
    alpha = np.zeros((n, 3))
    beta = np.zeros((n, 3))
    for s in range(starts.shape[0]):
        a, b = starts[s], ends[s]
        named = False
        for i in range(a, b):
            if labels[i] != 0:
                named = True
                break
        if not named:
            continue
        for i in range(a, b):
            m = max(em[i, 0], max(em[i, 1], em[i, 2]))
            for y in range(3):
                ex[i, y] = np.exp(em[i, y] - m)
        total = ex[a, 0] + ex[a, 1] + ex[a, 2]
        for y in range(3):
            alpha[a, y] = ex[a, y] / total
        for i in range(a + 1, b):
            total = 0.0
            for y in range(3):
                v = 0.0
                for x in range(3):
                    v += alpha[i - 1, x] * exp_trans[x, y]
                alpha[i, y] = v * ex[i, y]
                total += alpha[i, y]
            for y in range(3):
                alpha[i, y] /= total
        for y in range(3):
            beta[b - 1, y] = 1.0
        for i in range(b - 2, a - 1, -1):
            total = 0.0
            for x in range(3):
                v = 0.0
                for y in range(3):
                    v += exp_trans[x, y] * ex[i + 1, y] * beta[i + 1, y]
                beta[i, x] = v
                total += v
            for x in range(3):
                beta[i, x] /= total
        for i in range(a, b):
            total = 0.0
            for y in range(3):
                total += alpha[i, y] * beta[i, y]
            out[i] = alpha[i, labels[i]] * beta[i, labels[i]] / total
    return out


@njit(cache=True, nogil=True)
def emission_scores(rows: np.ndarray, codes: np.ndarray, hints: np.ndarray, own_tab: np.ndarray,
                    ctx_tab: np.ndarray, rule_own: np.ndarray, rule_seen: np.ndarray, context: np.ndarray,
                    pad: int, own_head: np.ndarray, short_head: np.ndarray, bigram_keys: np.ndarray,
                    bigram_len: np.ndarray, bigram_w: np.ndarray, key_base: int,
                    hint_tabs: np.ndarray) -> np.ndarray:
    """The (n, 3) emission scores of a flat batch (see persons/crf.py `CompiledCRF.emissions`),
    each token's terms added in a fixed order (that of the numpy code this replaced: identical
    scores): own row + rule tag; each context offset's view of the neighbour (its context row +
    its rule tag's); the -1 then the +1 bigram; the hint rows (own, the previous token's as seen
    from the next, the next token's as seen from the previous).

    rows/codes/hints: per token its word row, rule tag code and hint row (hints may be empty);
    own_head/short_head: per word row the ids of its first own and short feature, the halves of
    a bigram key (-1: short(i-1)|own(i), +1: own(i-1)|short(i)); bigram_keys/_w: per direction
    the sorted keys (the first bigram_len of a row) and their weights; hint_tabs: (3, hint rows, 3)."""
    n = rows.shape[0]
    em = np.empty((n, 3))
    for i in range(n):
        for y in range(3):
            em[i, y] = own_tab[rows[i], y] + rule_own[codes[i], y]
    for k in range(context.shape[0]):
        d = context[k]
        for i in range(pad, n - pad):
            j = i + d
            for y in range(3):
                em[i, y] += ctx_tab[rows[j], k, y] + rule_seen[codes[j], k, y]
    for direction in range(2):
        m = bigram_len[direction]
        keys = bigram_keys[direction, :m]
        if m == 0:
            continue
        shift = 1 if direction == 0 else 0
        left = short_head if direction == 0 else own_head
        right = own_head if direction == 0 else short_head
        for i in range(n - 1):
            q = left[rows[i]] * key_base + right[rows[i + 1]]
            at = np.searchsorted(keys, q)
            if at < m and keys[at] == q:
                for y in range(3):
                    em[i + shift, y] += bigram_w[direction, at, y]
    if hints.shape[0]:
        own, to_prev, to_next = hint_tabs[0], hint_tabs[1], hint_tabs[2]
        for i in range(n):
            for y in range(3):
                em[i, y] += own[hints[i], y]
        for i in range(1, n):
            for y in range(3):
                em[i, y] += to_next[hints[i - 1], y]
        for i in range(n - 1):
            for y in range(3):
                em[i, y] += to_prev[hints[i + 1], y]
    return em
