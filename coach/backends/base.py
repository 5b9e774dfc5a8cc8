"""The one generator interface every backend implements (torch, ct2, retrieval).

A backend takes conversations as turns (oldest first, alternating user/assistant, ending with the user) and
builds its own prompts with `coach.prompting`, the same builder training uses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Turns = Sequence[str]


@dataclass(frozen=True)
class GenerationConfig:
    """Decoding settings. The defaults avoid the reference project's repeated phrases."""

    max_new_tokens: int = 64
    num_beams: int = 1
    do_sample: bool = False
    temperature: float = 0.7
    top_p: float = 0.9
    no_repeat_ngram_size: int = 3
    repetition_penalty: float = 1.2
    seed: int | None = None


@dataclass(frozen=True)
class Generation:
    text: str
    num_tokens: int
    latency_s: float


@runtime_checkable
class Generator(Protocol):
    name: str  # backend name shown in the UI and written into run summaries ("torch", "ct2", "retrieval")
    description: str  # one line for people: model, adapter, dtype/quantization

    def generate(self, conversations: Sequence[Turns], config: GenerationConfig) -> list[Generation]:
        """One reply per conversation, decoded as a batch."""
        ...

    def stream(self, turns: Turns, config: GenerationConfig) -> Iterator[str]:
        """The reply for one conversation, yielded as text pieces as they are decoded."""
        ...
