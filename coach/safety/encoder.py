"""The safety encoder: all-MiniLM-L6-v2 read twice in one pass, frozen and with its top layers fine-tuned.

The frozen sentence embedding is the one retrieval and the metrics use; the head's linear risk, nearest-neighbour
vote and category model read it. The tuned embedding runs the last few transformer layers again, from the same
hidden states, with weights that scripts/train_safety_head.py fine-tuned on the crisis corpus: a crisis-or-not
objective moves those layers towards what separates "I can't do this anymore" from "I can't do this homework",
which a frozen general-purpose embedding blurs. Sharing the lower layers keeps the extra cost to the tuned ones.

`encode` returns both embeddings side by side, one row per text: [frozen | tuned].
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import torch

    from coach.embeddings import Embedder

LAYER_PREFIX = "tuned."  # keys of the tuned layers' weights in head.npz: tuned.<layer offset>.<parameter name>


def build_layers(model, start: int, state: dict[str, np.ndarray] | None = None) -> torch.nn.ModuleList:
    """Copies of the model's transformer layers from `start` on, with `state` (from `layer_state`) loaded."""
    import torch

    layers = torch.nn.ModuleList(copy.deepcopy(model.encoder.layer[i]) for i in range(start, len(model.encoder.layer)))
    if state is not None:
        tensors = {k[len(LAYER_PREFIX) :]: torch.from_numpy(v.astype("float32")) for k, v in state.items()}
        layers.load_state_dict(tensors, strict=True)
    return layers.eval()


def layer_state(layers: torch.nn.ModuleList) -> dict[str, np.ndarray]:
    """The layers' weights as float16 arrays (half the size; the head is trained on what it will read)."""
    import numpy as np

    return {LAYER_PREFIX + k: v.detach().cpu().numpy().astype(np.float16) for k, v in layers.state_dict().items()}


def run_top(model, layers: torch.nn.ModuleList, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The tuned layers over hidden states (batch, seq, dim), then sentence-transformers' mean pooling and L2
    normalisation."""
    from transformers.masking_utils import create_bidirectional_mask

    from coach.embeddings import Embedder

    mask = create_bidirectional_mask(config=model.config, inputs_embeds=hidden, attention_mask=attention_mask)
    for layer in layers:
        hidden = layer(hidden, mask)
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden
    return Embedder.pool(hidden, attention_mask)


def encode(
    embedder: Embedder, layers: torch.nn.ModuleList, start: int, texts: list[str], batch_size: int = 64
) -> np.ndarray:
    """[frozen | tuned] unit embeddings, one row per text, in the order given."""
    import numpy as np
    import torch

    dim = embedder.model.config.hidden_size
    out = np.zeros((len(texts), 2 * dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # similar lengths together: less padding
    with torch.inference_mode():
        for begin in range(0, len(texts), batch_size):
            idx = order[begin : begin + batch_size]
            batch = embedder.tokenize([texts[i] for i in idx])
            result = embedder.model(**batch, output_hidden_states=True)
            mask = batch["attention_mask"]
            out[idx, :dim] = embedder.pool(result.last_hidden_state, mask).numpy()
            out[idx, dim:] = run_top(embedder.model, layers, result.hidden_states[start], mask).numpy()
    return out
