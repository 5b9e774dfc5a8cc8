"""Pure cleaning of dialogue records: text normalisation and turn repair.

The records here are plain frozen dataclasses. Loaders (`coach.data.load`) build them from raw
sources with the text untouched; `clean_conversation` returns a cleaned copy and says what it
changed, so the pipeline can report it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

USER = "user"
ASSISTANT = "assistant"
ROLES = (USER, ASSISTANT)


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Conversation:
    conv_id: str
    split: str  # "train" | "valid" | "test"
    emotion: str
    situation: str
    turns: tuple[Turn, ...]


def clean_text(text: str) -> str:
    """`_comma_` (the EmpatheticDialogues CSV escape) back to a comma; runs of whitespace folded to one space."""
    return " ".join(text.replace("_comma_", ",").split())


def clean_conversation(conv: Conversation) -> tuple[Conversation, Counter[str]]:
    """Clean every text field and repair the turn sequence so it alternates user/assistant from a user turn.

    Returns the cleaned conversation and a count of the turns changed, by reason:
    `empty_turn` (nothing left after cleaning, dropped), `leading_assistant_turn` (before any user turn,
    dropped: nothing to answer), `merged_turn` (same speaker twice in a row, e.g. after an empty turn was
    dropped, joined into one turn).
    """
    changes: Counter[str] = Counter()
    turns: list[Turn] = []
    for turn in conv.turns:
        text = clean_text(turn.content)
        if not text:
            changes["empty_turn"] += 1
        elif not turns and turn.role != USER:
            changes["leading_assistant_turn"] += 1
        elif turns and turns[-1].role == turn.role:
            changes["merged_turn"] += 1
            turns[-1] = Turn(turn.role, f"{turns[-1].content} {text}")
        else:
            turns.append(Turn(turn.role, text))
    cleaned = replace(conv, emotion=clean_text(conv.emotion), situation=clean_text(conv.situation), turns=tuple(turns))
    return cleaned, changes
