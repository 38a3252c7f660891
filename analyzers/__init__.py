"""Arabic analysis, engine-neutral: tokenizer, normalization filters, stop words and light stemming."""

from analyzers.chain import exact_analyzer, stem_analyzer
from analyzers.charmap import normalize
from analyzers.debug import analyze
from analyzers.stemming import stem

__all__ = ["analyze", "exact_analyzer", "normalize", "stem", "stem_analyzer"]
