"""Viterbi labels and label marginals of a linear-chain CRF with 3 labels, for a batch of
sentences in one call (compiled by numba: a Python loop per token was a third of the person
tagger's time during `reindex`).

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
