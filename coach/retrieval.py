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
# Below this cosine similarity the nearest training context is about something else (on the bundled sample, "I had
# a rough week at work and I feel drained" is nearest, at 0.40, to a reply about finally sleeping nine hours, and
# "I passed my driving test!", at 0.50, to one about a frightened child): the app then listens instead of answering
# off topic. Evaluation keeps the pure nearest neighbour (no floor).
APP_MIN_SIMILARITY = 0.5
# What the app says when nothing in the data is close: open and warm, and right for good news and bad alike.
LISTENING_REPLIES = (
    "Thank you for telling me. How are you feeling about it right now?",
    "I'd like to hear more. What's been on your mind most about it?",
    "Tell me a bit more about what happened, if you'd like to.",
    "I'm here and listening. Where would you like to start?",
    "How has it been sitting with you since?",
    "That sounds like a big moment. What has it been like for you?",
    "I'm listening. What part of it matters most to you?",
    "What would help most right now: talking it through, or just having someone listen?",
)


def query_text(turns: Sequence[str]) -> str:
    user_turns = list(turns[::-1][::2])[:QUERY_USER_TURNS]  # turns end with the user, so every other from the end
    return " ".join(t.strip() for t in reversed(user_turns))


class RetrievalResponder:
    """Answers with the response of the nearest training example (cosine similarity of embeddings)."""

    name = "retrieval"

    def __init__(
        self,
        db: str | Path | None = None,
        split: str = "train",
        cache_dir: Path | None = None,
        min_similarity: float | None = None,
    ) -> None:
        from coach import data
        from coach.data.store import read_examples

        self.db = Path(db) if db else data.default_db()
        examples = read_examples(self.db, split=split)
        if not examples:
            raise CoachError(f"no {split} examples in {self.db} for the retrieval responder")
        self.responses = [ex.response for ex in examples]
        self.index = self._index([query_text(ex.context) for ex in examples], cache_dir)
        self.min_similarity = min_similarity
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

    def nearest(self, conversations: Sequence[Turns]) -> list[int | None]:
        """The closest example per conversation, skipping replies the conversation already contains; None where
        even the closest is under `min_similarity`."""
        from coach.embeddings import embed

        queries = embed([query_text(turns) for turns in conversations])
        similarity = queries @ self.index.T
        picks: list[int | None] = []
        for turns, row in zip(conversations, similarity, strict=True):
            said = {t.strip() for t in turns}
            order = np.argsort(-row)
            pick = next((int(i) for i in order if self.responses[i] not in said), int(order[0]))
            picks.append(None if self.min_similarity is not None and row[pick] < self.min_similarity else pick)
        return picks

    @staticmethod
    def listening_reply(turns: Turns) -> str:
        """A reply that listens: stable for the same message, and never one the conversation already has."""
        said = {t.strip() for t in turns}
        start = int(hashlib.sha256(query_text(turns).encode()).hexdigest(), 16) % len(LISTENING_REPLIES)
        ordered = LISTENING_REPLIES[start:] + LISTENING_REPLIES[:start]
        return next((r for r in ordered if r not in said), ordered[0])

    def generate(self, conversations: Sequence[Turns], config: GenerationConfig) -> list[Generation]:
        if not conversations:
            return []
        start = time.perf_counter()
        picks = self.nearest(conversations)
        texts = [
            self.responses[i] if i is not None else self.listening_reply(turns)
            for i, turns in zip(picks, conversations, strict=True)
        ]
        latency = (time.perf_counter() - start) / len(conversations)
        # num_tokens counts whitespace words here: there is no model tokenizer behind this responder.
        return [Generation(text=t, num_tokens=len(t.split()), latency_s=latency) for t in texts]

    def stream(self, turns: Turns, config: GenerationConfig) -> Iterator[str]:
        text = self.generate([turns], config)[0].text
        words = text.split(" ")
        for i, word in enumerate(words):
            yield word if i == 0 else " " + word
