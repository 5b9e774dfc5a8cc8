"""The embedding classifier: all-MiniLM-L6-v2 sentence embeddings -> a small head in numpy.

The head (coach/safety/data/head.npz) is trained by scripts/train_safety_head.py on the corpus train+dev splits, with
its settings and decision thresholds chosen by cross-validation over them. Its risk (crisis or not) adds up three
views of the text: a logistic regression on the frozen embedding (a linear direction that generalises), a
nearest-neighbour vote on it (how much closer the text is to its k nearest crisis examples than to its k nearest
non-crisis ones, which keeps the many small phrasing clusters the linear view blurs), combined by a logistic
regression fitted on out-of-fold scores; and a linear risk on the tuned embedding, from MiniLM's top layers
fine-tuned for crisis-or-not (coach/safety/encoder.py). A logistic regression on the frozen embedding names the
category. At runtime it is one MiniLM pass plus its top layers again and a few matrix products in numpy; numpy,
torch and the embedder load on first use, never at import.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from importlib import resources as importlib_resources
from typing import TYPE_CHECKING

from coach.safety.encoder import LAYER_PREFIX, build_layers, encode

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

CATEGORIES = ("suicide", "self_harm", "harm_to_others", "abuse", "medical", "other_at_risk")
# MiniLM reads at most 256 word pieces; a long paste is cut to its head and tail before embedding
MAX_EMBED_CHARS = 1200
HEAD_FILE = "data/head.npz"


@dataclass(frozen=True)
class Head:
    """Two logistic regressions over the embedding: crisis-or-not (the risk) and, for a crisis, which category."""

    risk_weights: np.ndarray  # (dim,)
    risk_bias: float
    weights: np.ndarray  # (categories, dim)
    bias: np.ndarray  # (categories,)
    categories: tuple[str, ...]
    # decision thresholds on the risk, chosen by cross-validation over train+dev (scripts/train_safety_head.py)
    threshold_last: float
    threshold_window: float
    threshold_guarded: float
    # the nearest-neighbour view (empty memory: the linear risk alone)
    memory: np.ndarray | None = None  # (examples, dim) unit embeddings of the training texts
    memory_crisis: np.ndarray | None = None  # (examples,) bool labels
    k: int = 5
    stack: tuple[float, float, float] = (1.0, 0.0, 0.0)  # risk = sigmoid(a * linear logit + b * vote + c [+ tuned])
    # the tuned view (coach/safety/encoder.py): MiniLM's layers from `tuned_start` on, fine-tuned, and a linear
    # risk over their embedding whose logit adds to the stacked one; none: the frozen views alone
    tuned_state: dict[str, np.ndarray] | None = None
    tuned_start: int = 0
    tuned_weights: np.ndarray | None = None  # (dim,)
    tuned_bias: float = 0.0

    @property
    def dim(self) -> int:
        return int(self.risk_weights.shape[0])

    @property
    def tuned(self) -> bool:
        return self.tuned_state is not None and self.tuned_weights is not None

    def vote(self, embeddings: np.ndarray) -> np.ndarray:
        assert self.memory is not None and self.memory_crisis is not None
        return knn_vote(embeddings, self.memory, self.memory_crisis, self.k)

    def risk_logit(self, embeddings: np.ndarray) -> np.ndarray:
        """`embeddings`: frozen rows (n, dim), or [frozen | tuned] rows (n, 2 * dim) for a tuned head."""
        frozen = embeddings[:, : self.dim]
        logit = frozen @ self.risk_weights + self.risk_bias
        if self.memory is not None and len(self.memory):
            a, b, c = self.stack
            logit = a * logit + b * self.vote(frozen) + c
        if self.tuned:
            assert self.tuned_weights is not None and embeddings.shape[1] == 2 * self.dim, "tuned embeddings missing"
            logit = logit + embeddings[:, self.dim :] @ self.tuned_weights + self.tuned_bias
        return logit

    def predict(self, embeddings: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Risk in [0, 1] and the most likely category, one per embedding."""
        import numpy as np

        embeddings = np.asarray(embeddings, dtype=np.float32)
        risk = 1.0 / (1.0 + np.exp(-self.risk_logit(embeddings)))
        best = (embeddings[:, : self.dim] @ self.weights.T + self.bias).argmax(axis=1)
        return risk, [self.categories[i] for i in best]


def knn_vote(embeddings: np.ndarray, memory: np.ndarray, crisis: np.ndarray, k: int) -> np.ndarray:
    """Mean cosine similarity to the k nearest crisis examples minus that to the k nearest others."""
    import numpy as np
    import torch

    # torch's matmul, not numpy's: numpy's BLAS thread pool would spin against the embedder's torch threads on a
    # 2-core machine (measured: 110 ms instead of ~10 ms per assessment), and einsum is 4x slower than this
    sim = (torch.from_numpy(np.ascontiguousarray(embeddings)) @ torch.from_numpy(memory).T).numpy()
    pos, neg = sim[:, crisis], sim[:, ~crisis]
    k_pos, k_neg = min(k, pos.shape[1]), min(k, neg.shape[1])
    top_pos = np.partition(pos, pos.shape[1] - k_pos, axis=1)[:, -k_pos:].mean(axis=1)
    top_neg = np.partition(neg, neg.shape[1] - k_neg, axis=1)[:, -k_neg:].mean(axis=1)
    return top_pos - top_neg


def cap_for_embedding(text: str) -> str:
    if len(text) <= MAX_EMBED_CHARS:
        return text
    half = MAX_EMBED_CHARS // 2
    return text[:half] + " ... " + text[-half:]


def load_head_bytes(data: bytes) -> Head:
    import numpy as np

    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return Head(
            risk_weights=z["risk_weights"].astype(np.float32),
            risk_bias=float(z["risk_bias"]),
            weights=z["weights"].astype(np.float32),
            bias=z["bias"].astype(np.float32),
            categories=tuple(str(c) for c in z["categories"]),
            threshold_last=float(z["threshold_last"]),
            threshold_window=float(z["threshold_window"]),
            threshold_guarded=float(z["threshold_guarded"]),
            memory=z["memory"].astype(np.float32) if "memory" in z.files else None,
            memory_crisis=z["memory_crisis"].astype(bool) if "memory_crisis" in z.files else None,
            k=int(z["k"]) if "k" in z.files else 5,
            stack=tuple(float(v) for v in z["stack"]) if "stack" in z.files else (1.0, 0.0, 0.0),
            tuned_state={k: z[k] for k in z.files if k.startswith(LAYER_PREFIX)} or None,
            tuned_start=int(z["tuned_start"]) if "tuned_start" in z.files else 0,
            tuned_weights=z["tuned_weights"].astype(np.float32) if "tuned_weights" in z.files else None,
            tuned_bias=float(z["tuned_bias"]) if "tuned_bias" in z.files else 0.0,
        )


@functools.cache
def get_head() -> Head | None:
    """The shipped head, or None (rules only) when it is missing."""
    path = importlib_resources.files("coach.safety").joinpath(HEAD_FILE)
    if not path.is_file():
        log.warning("safety classifier head %s is missing: rules only (run scripts/train_safety_head.py)", HEAD_FILE)
        return None
    return load_head_bytes(path.read_bytes())


@functools.cache
def classifier_available() -> bool:
    """True when both the head and the embedder load; otherwise the layer runs on rules alone (and says so)."""
    if get_head() is None:
        return False
    try:
        from coach.embeddings import get_embedder

        get_embedder()
        if get_head().tuned:  # type: ignore[union-attr]
            _tuned_layers()
    except Exception as err:  # an embedder that can't load must not take the safety layer down with it
        log.warning("sentence embedder unavailable (%s): safety layer runs on rules only", type(err).__name__)
        return False
    return True


@functools.cache
def _tuned_layers():
    from coach.embeddings import get_embedder

    head = get_head()
    assert head is not None and head.tuned
    return build_layers(get_embedder().model, head.tuned_start, head.tuned_state)


def embed(texts: list[str]) -> np.ndarray:
    """What the shipped head reads: frozen embeddings, and the tuned ones beside them when the head has them."""
    from coach.embeddings import get_embedder

    texts = [cap_for_embedding(t) or "." for t in texts]
    head = get_head()
    if head is not None and head.tuned:
        return encode(get_embedder(), _tuned_layers(), head.tuned_start, texts)
    return get_embedder().encode(texts)
