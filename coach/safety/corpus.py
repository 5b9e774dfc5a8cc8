"""The project's labelled safety corpus (coach/safety/data/corpus/*.jsonl), read with importlib.resources.

Single messages become one-turn cases; conversations keep their user turns. Every case carries its split
(train | dev | test): the head trains on train, thresholds are tuned on dev, and test is only ever measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources as importlib_resources

from coach.errors import CoachError

SPLITS = ("train", "dev", "test")
MESSAGE_FILES = ("crisis_messages.jsonl", "negative_messages.jsonl")
CONVERSATION_FILES = ("crisis_conversations.jsonl", "benign_conversations.jsonl")


@dataclass(frozen=True)
class Case:
    id: str
    turns: tuple[str, ...]
    crisis: bool
    category: str | None
    family: str
    split: str
    hard: bool  # a hard negative (idiom, negation, past, fiction, ...); False for crisis cases
    lang: str
    kind: str  # "message" | "conversation"


def _rows(name: str) -> list[dict]:
    path = importlib_resources.files("coach.safety").joinpath(f"data/corpus/{name}")
    if not path.is_file():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise CoachError(f"corpus file {name} line {n} is not valid JSON ({err.msg})") from None
    return rows


def load_corpus(split: str | None = None) -> list[Case]:
    """All labelled cases (messages first, then conversations), optionally one split."""
    if split not in (None, "all", *SPLITS):
        raise CoachError(f"unknown corpus split {split!r}: use one of {', '.join(SPLITS)} or all")
    cases: list[Case] = []
    for name in MESSAGE_FILES + CONVERSATION_FILES:
        kind = "message" if name in MESSAGE_FILES else "conversation"
        for row in _rows(name):
            turns = (row["text"],) if kind == "message" else tuple(row["turns"])
            crisis = bool(row["crisis"])
            cases.append(
                Case(
                    id=str(row["id"]),
                    turns=turns,
                    crisis=crisis,
                    category=row.get("category") if crisis else None,
                    family=str(row.get("family") or "unknown"),
                    split=str(row.get("split", "train")),
                    hard=bool(row.get("hard", not crisis)) if not crisis else False,
                    lang=str(row.get("lang", "en")),
                    kind=kind,
                )
            )
    if split in (None, "all"):
        return cases
    return [c for c in cases if c.split == split]
