"""Reply metrics and the statistics that make run comparisons honest.

Per reply: ROUGE-L F1 (rouge_score, stemmed, as the reference project reported it), semantic similarity (cosine of
all-MiniLM-L6-v2 embeddings), length in words, distinct-1/2 and a repetition flag (the reference model's failure:
"I'm sorry to hear that. I'm sorry to hear that."). Per run: means with percentile-bootstrap 95% intervals, and
paired bootstrap intervals for the difference between two runs on the same examples.

Heavy parts (numpy, rouge_score, the embedder) load inside the functions, so importing this module is instant.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Words for length, distinct-n and repetition: letters/digits with inner apostrophes ("don't" is one word).
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Sentence ends: . ! ? (one or more), then whitespace or the end.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

REPEATED_NGRAM = 3  # a word 3-gram seen twice in one reply counts as repetition
BOOTSTRAP_RESAMPLES = 1000
CONFIDENCE = 0.95


def words(text: str) -> list[str]:
    """Lower-cased word tokens (punctuation dropped)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text or "")]


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def distinct_n(text: str, n: int) -> float:
    """Unique word n-grams over all word n-grams in one reply; 0.0 when the reply has fewer than n words."""
    grams = ngrams(words(text), n)
    return len(set(grams)) / len(grams) if grams else 0.0


def corpus_distinct_n(texts: Sequence[str], n: int) -> float:
    """Unique word n-grams over all word n-grams across replies: low when a model says the same thing to everyone."""
    grams = [g for text in texts for g in ngrams(words(text), n)]
    return len(set(grams)) / len(grams) if grams else 0.0


def sentences(text: str) -> list[str]:
    """Sentences as normalised word sequences (case and punctuation ignored), empty ones dropped."""
    parts = (" ".join(words(part)) for part in _SENTENCE_END.split((text or "").strip()))
    return [p for p in parts if p]


def has_repetition(text: str) -> bool:
    """A sentence said twice, or a word 3-gram used twice, in one reply."""
    said = sentences(text)
    if len(said) != len(set(said)):
        return True
    grams = ngrams(words(text), REPEATED_NGRAM)
    return len(grams) != len(set(grams))


@functools.cache
def _rouge_scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F1 of a prediction against its reference (rouge_score, use_stemmer=True)."""
    return float(_rouge_scorer().score(reference, prediction)["rougeL"].fmeasure)


def semantic_similarities(predictions: Sequence[str], references: Sequence[str]) -> list[float]:
    """Cosine similarity of all-MiniLM-L6-v2 embeddings, prediction i against reference i."""
    if len(predictions) != len(references):
        raise ValueError("predictions and references differ in length")
    if not predictions:
        return []
    from coach.embeddings import embed

    # One embedding call for both sides: the model is shared, and unit-length rows make the dot product the cosine.
    vectors = embed(list(predictions) + list(references))
    a, b = vectors[: len(predictions)], vectors[len(predictions) :]
    return [float(x) for x in (a * b).sum(axis=1)]


@dataclass(frozen=True)
class Interval:
    """A mean with its bootstrap interval."""

    mean: float
    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0

    def as_dict(self) -> dict[str, float]:
        return {"mean": self.mean, "low": self.low, "high": self.high}


def bootstrap_mean(
    values: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0, confidence: float = CONFIDENCE
) -> Interval:
    """The mean and its percentile-bootstrap interval (resampling examples with replacement, seeded)."""
    import numpy as np

    data = np.asarray(values, dtype=float)
    if data.size == 0:
        nan = float("nan")
        return Interval(nan, nan, nan)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, data.size, size=(resamples, data.size))
    means = data[picks].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(data.mean()), float(low), float(high))


def paired_bootstrap(
    a: Sequence[float],
    b: Sequence[float],
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
    confidence: float = CONFIDENCE,
) -> Interval:
    """Mean of b - a over the same examples, with a bootstrap interval that resamples examples (pairs kept)."""
    if len(a) != len(b):
        raise ValueError("paired samples differ in length")
    return bootstrap_mean([y - x for x, y in zip(a, b, strict=True)], resamples, seed, confidence)
