"""The emission scores, Viterbi labels and label marginals of a linear-chain CRF (any number of
labels, label 0 = outside a name), for a batch of sentences in one call (compiled by numba: a
Python loop per token was a third of the person tagger's time during `reindex`, and numpy's many
small operations per batch most of the rest of the scoring).

A batch is flat: `em` (n_tokens, labels) holds every sentence's emission scores one after the other
(with padding rows between them, labelled 0), and `starts`/`ends` where each sentence is.
Ties go to the lowest label index, as in CRFsuite.
"""

from __future__ import annotations

import numpy as np

from persons.jit import jit


@jit
def viterbi(em: np.ndarray, starts: np.ndarray, ends: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """The best label sequence of each sentence (int8 per token)."""
    n, k = em.shape
    labels = np.zeros(n, dtype=np.int8)
    back = np.zeros((n, k), dtype=np.int8)
    score = np.zeros(k)
    nxt = np.zeros(k)
    for s in range(starts.shape[0]):
        a, b = starts[s], ends[s]
        if a == b:
            continue
        for y in range(k):
            score[y] = em[a, y]
        for i in range(a + 1, b):
            for y in range(k):
                best = score[0] + trans[0, y]
                arg = 0
                for x in range(1, k):
                    v = score[x] + trans[x, y]
                    if v > best:
                        best = v
                        arg = x
                nxt[y] = best + em[i, y]
                back[i, y] = arg
            for y in range(k):
                score[y] = nxt[y]
        y = 0
        for x in range(1, k):
            if score[x] > score[y]:
                y = x
        labels[b - 1] = y
        for i in range(b - 1, a, -1):
            y = back[i, y]
            labels[i - 1] = y
    return labels


@jit
def chosen_marginals(em: np.ndarray, starts: np.ndarray, ends: np.ndarray, exp_trans: np.ndarray,
                     labels: np.ndarray) -> np.ndarray:
    """P(label at position = its Viterbi label), by forward-backward scaled at every step; 1.0 in
    sentences whose labels are all 0 (no name: nobody asks for their confidence)."""
    n, k = em.shape
    out = np.ones(n)
    ex = np.zeros((n, k))
    alpha = np.zeros((n, k))
    beta = np.zeros((n, k))
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
            m = em[i, 0]
            for y in range(1, k):
                m = max(m, em[i, y])
            for y in range(k):
                ex[i, y] = np.exp(em[i, y] - m)
        total = 0.0
        for y in range(k):
            total += ex[a, y]
        for y in range(k):
            alpha[a, y] = ex[a, y] / total
        for i in range(a + 1, b):
            total = 0.0
            for y in range(k):
                v = 0.0
                for x in range(k):
                    v += alpha[i - 1, x] * exp_trans[x, y]
                alpha[i, y] = v * ex[i, y]
                total += alpha[i, y]
            for y in range(k):
                alpha[i, y] /= total
        for y in range(k):
            beta[b - 1, y] = 1.0
        for i in range(b - 2, a - 1, -1):
            total = 0.0
            for x in range(k):
                v = 0.0
                for y in range(k):
                    v += exp_trans[x, y] * ex[i + 1, y] * beta[i + 1, y]
                beta[i, x] = v
                total += v
            for x in range(k):
                beta[i, x] /= total
        for i in range(a, b):
            total = 0.0
            for y in range(k):
                total += alpha[i, y] * beta[i, y]
            out[i] = alpha[i, labels[i]] * beta[i, labels[i]] / total
    return out


@jit
def emission_scores(rows: np.ndarray, codes: np.ndarray, hints: np.ndarray, tab: np.ndarray,
                    k: int, rule_own: np.ndarray, rule_seen: np.ndarray, context: np.ndarray,
                    pad: int, own_head: np.ndarray, short_head: np.ndarray, bigram_keys: np.ndarray,
                    bigram_len: np.ndarray, bigram_w: np.ndarray, key_base: int, in_bigram: np.ndarray,
                    hint_tabs: np.ndarray) -> np.ndarray:
    """The (n, labels) emission scores of a flat batch (see persons/crf.py `CompiledCRF.emissions`),
    each token's terms added in a fixed order (that of the numpy code this replaced: identical
    scores): own row + rule tag; each context offset's view of the neighbour (its context row +
    its rule tag's); the -1 then the +1 bigram; the hint rows (own, the previous token's as seen
    from the next, the next token's as seen from the previous).

    rows/codes/hints: per token its word row, rule tag code and hint mask (features.HINT_BITS;
    hints may be empty);
    tab: per word row its own scores (k labels), then its context scores (k per CONTEXT offset);
    own_head/short_head: per word row the ids of its first own and short feature, the halves of
    a bigram key (-1: short(i-1)|own(i), +1: own(i-1)|short(i)); bigram_keys/_w: per direction
    the sorted keys (the first bigram_len of a row) and their weights; in_bigram: per word row
    whether its head is a left / right half of some key, per direction (the search is skipped
    where either is not); hint_tabs: (3, hint masks, labels)."""
    n = rows.shape[0]
    em = np.empty((n, k))
    for i in range(n):
        for y in range(k):
            em[i, y] = tab[rows[i], y] + rule_own[codes[i], y]
    for c in range(context.shape[0]):
        d = context[c]
        for i in range(pad, n - pad):
            j = i + d
            for y in range(k):
                em[i, y] += tab[rows[j], (1 + c) * k + y] + rule_seen[codes[j], c, y]
    for direction in range(2):
        m = bigram_len[direction]
        keys = bigram_keys[direction, :m]
        if m == 0:
            continue
        shift = 1 if direction == 0 else 0
        left = short_head if direction == 0 else own_head
        right = own_head if direction == 0 else short_head
        for i in range(n - 1):
            if not (in_bigram[rows[i], 2 * direction] and in_bigram[rows[i + 1], 2 * direction + 1]):
                continue
            q = left[rows[i]] * key_base + right[rows[i + 1]]
            at = np.searchsorted(keys, q)
            if at < m and keys[at] == q:
                for y in range(k):
                    em[i + shift, y] += bigram_w[direction, at, y]
    if hints.shape[0]:
        own, to_prev, to_next = hint_tabs[0], hint_tabs[1], hint_tabs[2]
        for i in range(n):
            for y in range(k):
                em[i, y] += own[hints[i], y]
        for i in range(1, n):
            for y in range(k):
                em[i, y] += to_next[hints[i - 1], y]
        for i in range(n - 1):
            for y in range(k):
                em[i, y] += to_prev[hints[i + 1], y]
    return em


@jit
def _sum_into(ids: np.ndarray, at: np.ndarray, weights: np.ndarray, out: np.ndarray, row0: int, col0: int,
              bias: np.ndarray) -> None:
    """out[row0 + w, col0:col0 + m] = the sum, in order, of weights[ids[at[w]:at[w + 1]]] (+ bias
    when it has m values)."""
    m = weights.shape[1]
    count = at.shape[0]
    acc = np.zeros(m)
    for w in range(count):
        a = at[w]
        b = at[w + 1] if w + 1 < count else ids.shape[0]
        for j in range(m):
            acc[j] = 0.0
        for t in range(a, b):
            row = ids[t]
            for j in range(m):
                acc[j] += weights[row, j]
        if bias.shape[0]:
            for j in range(m):
                acc[j] += bias[j]
        for j in range(m):
            out[row0 + w, col0 + j] = acc[j]


@jit
def fill_rows(own_ids: np.ndarray, own_at: np.ndarray, short_ids: np.ndarray, short_at: np.ndarray,
              own_w: np.ndarray, seen_w: np.ndarray, bias: np.ndarray, no_bias: np.ndarray, tab: np.ndarray,
              first: int, own_head: np.ndarray, short_head: np.ndarray, is_half: np.ndarray,
              in_bigram: np.ndarray) -> None:
    """A model's rows for new word types (persons/crf.py `CompiledCRF.add_rows`), in one call: the
    own weights summed (+ bias) then the context weights summed, into tab's rows from `first`;
    and per row whether its heads are bigram halves (-1: short | own, +1: own | short)."""
    k = own_w.shape[1]
    _sum_into(own_ids, own_at, own_w, tab, first, 0, bias)
    _sum_into(short_ids, short_at, seen_w, tab, first, k, no_bias)
    for w in range(own_at.shape[0]):
        r = first + w
        in_bigram[r, 0] = is_half[0, short_head[r]]
        in_bigram[r, 1] = is_half[1, own_head[r]]
        in_bigram[r, 2] = is_half[2, own_head[r]]
        in_bigram[r, 3] = is_half[3, short_head[r]]


@jit
def label_spans(labels: np.ndarray, marg: np.ndarray, starts: np.ndarray, ends: np.ndarray, bilou: bool,
                b: int, i: int, last: int, unit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The name spans of a batch's labels, as (sentence, start, end, confidence) arrays (start
    and end within the sentence; confidence the lowest marginal in the span): persons/crf.py
    bio_spans or, with `bilou`, bilou_spans over each sentence's labels, given as label codes
    (b, i, last, unit: those of B-PER, I-PER, L-PER, U-PER)."""
    cap = 0
    for p in range(labels.shape[0]):
        if labels[p] != 0:
            cap += 1
    sent = np.empty(cap, dtype=np.int64)
    first = np.empty(cap, dtype=np.int64)
    stop = np.empty(cap, dtype=np.int64)
    conf = np.empty(cap)
    n = 0
    for s in range(starts.shape[0]):
        a0, b0 = starts[s], ends[s]
        start = -1
        for p in range(a0, b0 + (0 if bilou else 1)):  # (bio: one step past the end closes a span)
            lab = labels[p] if p < b0 else 0
            end = -1
            if bilou:
                if lab == unit:
                    start, end = p, p + 1
                elif lab == b:
                    start = p
                elif lab == last and start >= 0:
                    end = p + 1
                elif lab != i:
                    start = -1
            else:
                if start >= 0 and lab != i:
                    end = p
                elif lab == b or (lab == i and start < 0):
                    start = p
            if end >= 0:
                low = marg[start]
                for q in range(start + 1, end):
                    low = min(low, marg[q])
                sent[n], first[n], stop[n], conf[n] = s, start - a0, end - a0, low
                n += 1
                start = p if (not bilou and (lab == b or lab == i)) else -1
    return sent[:n], first[:n], stop[:n], conf[:n]
