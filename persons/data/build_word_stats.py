"""Build persons/data/word_stats.tsv: how common a word is and how often it takes the article.

    .venv/bin/pip install 'wordfreq==3.1.1'   # only to build the file, not a dependency
    .venv/bin/python persons/data/build_word_stats.py

Two signals the tagger cannot get from 4,000 training sentences: names are rarer than common
nouns, and a name almost never takes ال (محمد: 6.1 vs المحمد: 3.4; سيارة 5.1 vs السيارة 5.0).
Columns: normalized word, Zipf frequency ×10, share of its uses with ال ×10 (-1 when the word
starts with ال). Source: wordfreq 3.1.1 Arabic list (CC BY-SA 4.0, see NOTICE.md).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import wordfreq

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analyzers.charmap import normalize  # noqa: E402

OUT = Path(__file__).with_name("word_stats.tsv")
MIN_ZIPF = 2.0


def main() -> None:
    freq: dict[str, float] = defaultdict(float)
    for word, f in wordfreq.get_frequency_dict("ar").items():
        n = normalize(word)
        if n and n.isalpha():
            freq[n] += f
    rows = []
    for word, f in freq.items():
        zipf = wordfreq.freq_to_zipf(f) if f > 0 else 0.0
        if zipf < MIN_ZIPF:
            continue
        if word.startswith("ال"):
            al = -1
        else:
            with_al = freq.get("ال" + word, 0.0)
            al = round(10 * with_al / (with_al + f))
        rows.append(f"{word}\t{round(zipf * 10)}\t{al}")
    OUT.write_text("\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{len(rows)} words -> {OUT}")


if __name__ == "__main__":
    main()
