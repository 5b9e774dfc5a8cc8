"""The retrieval responder: nearest neighbour over training dialogues with all-MiniLM-L6-v2.

It answers with the listener reply whose context is closest to the conversation so far. It is the app's
offline responder (no generative model needed) and a baseline in evaluation, behind the same `Generator`
interface as the model backends.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from coach.backends.base import Generation, GenerationConfig, Turns
from coach.errors import CoachError

log = logging.getLogger(__name__)

# The query is the person's last two messages: the newest carries most of the meaning, the one before it the topic.
# Listener turns stay out of it, or the responder would find its own previous reply and say it again.
QUERY_USER_TURNS = 2


def query_text(turns: Sequence[str]) -> str:
    user_turns = list(turns[::-1][::2])[:QUERY_USER_TURNS]  # turns end with the user, so every other from the end
    return " ".join(t.strip() for t in reversed(user_turns))


class RetrievalResponder:
    """Answers with the response of the nearest training example (cosine similarity of embeddings)."""

    name = "retrieval"

    def __init__(self, db: str | Path | None = None, split: str = "train", cache_dir: Path | None = None) -> None:
        from coach import data
        from coach.data.store import read_examples

        self.db = Path(db) if db else data.default_db()
        examples = read_examples(self.db, split=split)
        if not examples:
            raise CoachError(f"no {split} examples in {self.db} for the retrieval responder")
        self.responses = [ex.response for ex in examples]
        self.index = self._index([query_text(ex.context) for ex in examples], cache_dir)
        self.description = f"retrieval over {len(self.responses)} {split} replies from {self.db.name}"

    @staticmethod
    def _index(texts: list[str], cache_dir: Path | None) -> np.ndarray:
        from coach.embeddings import embed

        # Embedding a large DB takes minutes on 2 cores, so the index is cached by content.
        key = hashlib.sha256("\x1e".join(texts).encode()).hexdigest()[:16]
        cache = (cache_dir or Path.home() / ".cache" / "coach") / f"retrieval-{key}.npy"
        if cache.exists():
            return np.load(cache)
        index = embed(texts).astype(np.float32)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp.npy")
            np.save(tmp, index)
            tmp.replace(cache)
        except OSError as err:  # a read-only home (some Spaces) only costs the cache
            log.warning("could not cache the retrieval index: %s", err)
        return index

    def nearest(self, conversations: Sequence[Turns]) -> list[int]:
        """The closest example per conversation, skipping replies the conversation already contains."""
        from coach.embeddings import embed

        queries = embed([query_text(turns) for turns in conversations])
        ranked = np.argsort(-(queries @ self.index.T), axis=1)
        picks = []
        for turns, order in zip(conversations, ranked, strict=True):
            said = {t.strip() for t in turns}
            picks.append(next((int(i) for i in order if self.responses[i] not in said), int(order[0])))
        return picks

    def generate(self, conversations: Sequence[Turns], config: GenerationConfig) -> list[Generation]:
        if not conversations:
            return []
        start = time.perf_counter()
        picks = self.nearest(conversations)
        latency = (time.perf_counter() - start) / len(conversations)
        # num_tokens counts whitespace words here: there is no model tokenizer behind this responder.
        return [
            Generation(text=self.responses[i], num_tokens=len(self.responses[i].split()), latency_s=latency)
            for i in picks
        ]

    def stream(self, turns: Turns, config: GenerationConfig) -> Iterator[str]:
        text = self.generate([turns], config)[0].text
        words = text.split(" ")
        for i, word in enumerate(words):
            yield word if i == 0 else " " + word
