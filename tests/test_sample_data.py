"""The bundled sample dialogues: schema, coverage, splits and variety, read as plain JSON lines.

Deliberately independent of coach.data, so a bug in the loader can't hide a bad sample (and vice versa).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "coach" / "data" / "sample"
SPLITS = ("train", "valid", "test")
EMOTIONS = frozenset(
    [
        "afraid",
        "angry",
        "annoyed",
        "anticipating",
        "anxious",
        "apprehensive",
        "ashamed",
        "caring",
        "confident",
        "content",
        "devastated",
        "disappointed",
        "disgusted",
        "embarrassed",
        "excited",
        "faithful",
        "furious",
        "grateful",
        "guilty",
        "hopeful",
        "impressed",
        "jealous",
        "joyful",
        "lonely",
        "nostalgic",
        "prepared",
        "proud",
        "sad",
        "sentimental",
        "surprised",
        "terrified",
        "trusting",
    ]
)
# Crisis topics belong to the safety layer, never to the model's training replies.
CRISIS_TERMS = ("suicid", "kill myself", "self-harm", "self harm", "end my life", "overdose", "want to die")


def clean(text: str) -> str:
    return " ".join(text.replace("_comma_", ",").split())


def opening(text: str) -> str:
    """First four words, lowercased, punctuation stripped: the unit a stock phrase repeats in."""
    words = [re.sub(r"[^\w']", "", w) for w in clean(text).lower().split()]
    return " ".join([w for w in words if w][:4])


@pytest.fixture(scope="module")
def splits() -> dict[str, list[dict]]:
    out = {}
    for split in SPLITS:
        path = SAMPLE_DIR / f"{split}.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines()
        out[split] = [json.loads(line) for line in lines if line.strip()]
    return out


@pytest.fixture(scope="module")
def conversations(splits: dict[str, list[dict]]) -> list[dict]:
    return [conv for split in SPLITS for conv in splits[split]]


@pytest.fixture(scope="module")
def replies(conversations: list[dict]) -> list[str]:
    return [clean(t["content"]) for c in conversations for t in c["conversations"] if t["role"] == "assistant"]


def examples(convs: list[dict]) -> int:
    return sum(1 for c in convs for t in c["conversations"] if t["role"] == "assistant")


def test_schema(conversations: list[dict]) -> None:
    for conv in conversations:
        assert set(conv) == {"conv_id", "situation", "emotion", "conversations"}, conv.get("conv_id")
        assert re.fullmatch(r"sample_\d{4}", conv["conv_id"])
        assert isinstance(conv["situation"], str) and clean(conv["situation"])
        assert conv["emotion"] in EMOTIONS
        for turn in conv["conversations"]:
            assert set(turn) == {"role", "content"}
            assert isinstance(turn["content"], str) and clean(turn["content"]), conv["conv_id"]


def test_size_and_every_emotion(splits: dict[str, list[dict]], conversations: list[dict]) -> None:
    assert len(conversations) >= 160
    assert {c["emotion"] for c in conversations} == EMOTIONS
    for split in SPLITS:  # 4/1/1 conversations per emotion, so every split covers all 32
        assert {c["emotion"] for c in splits[split]} == EMOTIONS, split


def test_turns_alternate_user_first_assistant_last(conversations: list[dict]) -> None:
    for conv in conversations:
        roles = [t["role"] for t in conv["conversations"]]
        assert 2 <= len(roles) <= 6, conv["conv_id"]
        assert roles == ["user", "assistant"] * (len(roles) // 2), conv["conv_id"]
    assert len({len(c["conversations"]) for c in conversations}) == 3, "lengths should vary: 2, 4 and 6 turns"


def test_splits_disjoint_and_big_enough(splits: dict[str, list[dict]], conversations: list[dict]) -> None:
    ids = [c["conv_id"] for c in conversations]
    assert len(ids) == len(set(ids)), "a conv_id appears twice (within or across splits)"
    for split in ("valid", "test"):
        assert examples(splits[split]) >= 30, split
    assert len(splits["train"]) > len(splits["valid"]) + len(splits["test"])


def test_no_identical_replies(replies: list[str]) -> None:
    repeated = [text for text, n in Counter(r.lower() for r in replies).items() if n > 1]
    assert not repeated


def test_reply_openings_vary(replies: list[str]) -> None:
    overused = {start: n for start, n in Counter(opening(r) for r in replies).items() if n > 3}
    assert not overused


def test_no_duplicate_situations(conversations: list[dict]) -> None:
    situations = Counter(clean(c["situation"]).lower() for c in conversations)
    assert max(situations.values()) == 1


def test_stays_within_everyday_support(conversations: list[dict]) -> None:
    for conv in conversations:
        text = " ".join([conv["situation"]] + [t["content"] for t in conv["conversations"]]).lower()
        assert not [term for term in CRISIS_TERMS if term in text], conv["conv_id"]
