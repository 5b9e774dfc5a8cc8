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


def top_hidden(model, layers: torch.nn.ModuleList, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The tuned layers over hidden states (batch, seq, dim); `attention_mask` is (batch, seq), or a prepared
    (batch, 1, seq, seq) boolean mask for packed texts."""
    from transformers.masking_utils import create_bidirectional_mask

    mask = create_bidirectional_mask(config=model.config, inputs_embeds=hidden, attention_mask=attention_mask)
    for layer in layers:
        hidden = layer(hidden, mask)
        hidden = hidden[0] if isinstance(hidden, tuple) else hidden
    return hidden


def run_top(model, layers: torch.nn.ModuleList, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """The tuned layers over a padded batch, then sentence-transformers' mean pooling and L2 normalisation (what
    scripts/train_safety_head.py fine-tunes through)."""
    from coach.embeddings import Embedder

    return Embedder.pool(top_hidden(model, layers, hidden, attention_mask), attention_mask)


def encode(
    embedder: Embedder, layers: torch.nn.ModuleList, start: int, texts: list[str], max_tokens: int = 512
) -> np.ndarray:
    """[frozen | tuned] unit embeddings, one row per text, in the order given.

    Texts are packed end to end into sequences of at most `max_tokens` word pieces, each text attending only to
    itself with its own positions: the same embeddings as a padded batch (tests check 1e-5), with no compute spent
    on padding. The app scores a short message and a longer window together, so this is most of its latency.
    """
    import numpy as np
    import torch

    dim = embedder.model.config.hidden_size
    out = np.zeros((len(texts), 2 * dim), dtype=np.float32)
    ids = embedder.tokenizer(texts, truncation=True, max_length=embedder.max_seq_length)["input_ids"]
    with torch.inference_mode():
        for group in _packs([len(x) for x in ids], max_tokens):
            lengths = torch.tensor([len(ids[i]) for i in group])
            segment = torch.repeat_interleave(torch.arange(len(group)), lengths)  # which text each token is
            input_ids = torch.tensor([t for i in group for t in ids[i]])[None]
            positions = torch.cat([torch.arange(n) for n in lengths.tolist()])[None]
            mask = (segment[:, None] == segment[None, :])[None, None]
            result = embedder.model(
                input_ids=input_ids, attention_mask=mask, position_ids=positions, output_hidden_states=True
            )
            # each text's own tokens as its attention mask over the packed sequence, for the one pooling there is
            own = torch.nn.functional.one_hot(segment, len(group)).T  # (texts, tokens)
            tuned = top_hidden(embedder.model, layers, result.hidden_states[start], mask)
            for half, hidden in ((slice(0, dim), result.last_hidden_state), (slice(dim, 2 * dim), tuned)):
                out[group, half] = embedder.pool(hidden.expand(len(group), -1, -1), own).numpy()
    return out


def _packs(lengths: list[int], max_tokens: int) -> list[list[int]]:
    """Consecutive runs of text indices whose lengths add up to at most `max_tokens` (a longer text goes alone)."""
    packs: list[list[int]] = []
    total = 0
    for i, n in enumerate(lengths):
        if not packs or total + n > max_tokens:
            packs.append([])
            total = 0
        packs[-1].append(i)
        total += n
    return packs
