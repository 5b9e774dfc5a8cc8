"""The one prompt builder, shared by training and serving so the model sees the same text in both.

A prompt is an instruction, then the conversation with speaker tags, then the cue for the reply:

    Reply as a supportive friend ... medical advice.

    User: I failed my driving test today.
    Friend: Oh no, that's disappointing. How are you feeling?
    User: Embarrassed, honestly.
    Friend:

Turns are given oldest first and end with the person's (user's) turn; speakers are assigned from the end, so a
context that starts with the friend's turn is tagged correctly. Whitespace inside a turn is folded to single
spaces, so a turn can't forge a speaker line of its own. The oldest turns are dropped first to fit the token
budget; the newest user turn is always kept, and if it alone is too long its start is cut (its end carries the
latest meaning).
"""

from __future__ import annotations

from collections.abc import Sequence

INSTRUCTION = (
    "Reply as a supportive friend. Show empathy for how the person feels and, when it helps, offer one practical "
    "suggestion. Do not give medical advice."
)
USER_TAG = "User:"
FRIEND_TAG = "Friend:"
REPLY_CUE = FRIEND_TAG  # the prompt ends with this, so the model writes the friend's next line
DEFAULT_MAX_SOURCE_TOKENS = 256

_SEPARATOR = "\n"
_WORD_SNAP_CHARS = 24  # after cutting the newest turn, skip ahead to the next word if it is this close


def clean_turn(text: str) -> str:
    """Fold all whitespace (newlines included) to single spaces and trim."""
    return " ".join(str(text).split())


def speaker_tags(num_turns: int) -> list[str]:
    """Tags for `num_turns` turns, oldest first; the last turn is always the user's."""
    return [USER_TAG if (num_turns - 1 - i) % 2 == 0 else FRIEND_TAG for i in range(num_turns)]


def format_prompt(turns: Sequence[str]) -> str:
    """The prompt for `turns` as they are, without any budget (turns are cleaned, not truncated)."""
    cleaned = [clean_turn(t) for t in turns]
    lines = [f"{tag} {text}".rstrip() for tag, text in zip(speaker_tags(len(cleaned)), cleaned, strict=True)]
    return _SEPARATOR.join([INSTRUCTION, "", *lines, REPLY_CUE])


def count_tokens(text: str, tokenizer) -> int:
    """Tokens the model's encoder sees for `text`, special tokens (the closing </s>) included."""
    return len(tokenizer(text, add_special_tokens=True)["input_ids"])


def build_prompt(turns: Sequence[str], tokenizer, max_source_tokens: int = DEFAULT_MAX_SOURCE_TOKENS) -> str:
    """The prompt for a conversation (oldest turn first, ending with the user's), within `max_source_tokens`.

    Keeps the longest suffix of turns that fits; the newest turn is always there, cut from its start when it alone
    is too long. Raises ValueError when the budget can't hold the instruction and tags at all.
    """
    if not turns:
        raise ValueError("a conversation needs at least one (user) turn")
    cleaned = [clean_turn(t) for t in turns]

    def fits(kept: Sequence[str]) -> bool:
        return count_tokens(format_prompt(kept), tokenizer) <= max_source_tokens

    if fits(cleaned):  # the common case: one tokenizer call
        return format_prompt(cleaned)

    newest = cleaned[-1]
    if not fits([newest]):
        newest = _cut_start(newest, lambda text: fits([text]), max_source_tokens)
        return format_prompt([newest])

    # Grow from the newest turn backwards; stop at the first turn that doesn't fit, so what is kept is a suffix.
    kept = [newest]
    for turn in reversed(cleaned[:-1]):
        if not fits([turn, *kept]):
            break
        kept.insert(0, turn)
    return format_prompt(kept)


def _cut_start(text: str, fits, max_source_tokens: int) -> str:
    """The longest end of `text` that fits (binary search over the start; every answer is verified)."""
    if not fits(""):
        raise ValueError(
            f"max_source_tokens={max_source_tokens} is too small for the instruction and speaker tags; "
            "raise it or shorten coach.prompting.INSTRUCTION"
        )
    lo, hi = 0, len(text)  # invariant: text[hi:] fits; text[lo:] doesn't
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(text[mid:]):
            hi = mid
        else:
            lo = mid
    # A cut mid-word leaves a fragment; start at the next word instead when that is near and still leaves text.
    space = text.find(" ", hi)
    if hi > 0 and 0 <= space - hi < _WORD_SNAP_CHARS and space + 1 < len(text) and text[hi - 1] != " ":
        snapped = text[space + 1 :]
        if fits(snapped):
            return snapped
    return text[hi:]
