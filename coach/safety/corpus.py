"""The project's labelled safety corpus (coach/safety/data/corpus/*.jsonl), read with importlib.resources.

Every `*.jsonl` file in the corpus folder is read (the four core files first, then any others by name, e.g. the
extra_*_messages.jsonl files): a row with `text` is a single message, a row with `turns` a conversation. Single
messages become one-turn cases; conversations keep their user turns. Every case carries its split
(train | dev | test): the head and its thresholds come from cross-validation over train+dev, and the final head is
fitted on train+dev; test is only ever measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources as importlib_resources

from coach.errors import CoachError

SPLITS = ("train", "dev", "test")
CORPUS_DIR = "data/corpus"
# read first, in this order (ids and order stay stable); any other *.jsonl in the folder follows, sorted by name
CORE_FILES = (
    "crisis_messages.jsonl",
    "negative_messages.jsonl",
    "crisis_conversations.jsonl",
    "benign_conversations.jsonl",
)


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
    source: str = ""  # the corpus file it came from


def corpus_files() -> list[str]:
    """The corpus file names: the core files first, then every other *.jsonl in the folder, sorted."""
    folder = importlib_resources.files("coach.safety").joinpath(CORPUS_DIR)
    if not folder.is_dir():
        return []
    present = {p.name for p in folder.iterdir() if p.name.endswith(".jsonl") and p.is_file()}
    return [n for n in CORE_FILES if n in present] + sorted(present - set(CORE_FILES))


def _rows(name: str) -> list[dict]:
    path = importlib_resources.files("coach.safety").joinpath(f"{CORPUS_DIR}/{name}")
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
    messages: list[Case] = []
    conversations: list[Case] = []
    for name in corpus_files():
        for n, row in enumerate(_rows(name), 1):
            if isinstance(row.get("turns"), list) and row["turns"]:
                kind, turns = "conversation", tuple(str(t) for t in row["turns"])
            elif isinstance(row.get("text"), str):
                kind, turns = "message", (row["text"],)
            else:
                raise CoachError(f"corpus file {name} line {n} has neither 'text' nor 'turns'")
            crisis = bool(row["crisis"])
            (messages if kind == "message" else conversations).append(
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
                    source=name,
                )
            )
    cases = messages + conversations
    if split in (None, "all"):
        return cases
    return [c for c in cases if c.split == split]
