"""One chat turn, for the app and the CLI: clean the message -> safety.assess -> crisis response (no model call)
or the generator -> safety.check_reply -> reply.

A `Session` keeps one person's conversation (alternating user/assistant turns, starting with the user), their
safety state and locale. A turn that is answered (by the model, a fallback or the crisis response) adds the
message and the reply to it; a refused message or a failed generation leaves it unchanged, so the person can
simply try again. Nothing a person writes is ever logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

logger = logging.getLogger(__name__)

DEFAULT_MAX_CHARS = 2000
EMPTY_MESSAGE_REPLY = "I'm here whenever you're ready. What's on your mind?"
TOO_LONG_REPLY = (
    "That message is longer than I can take in at once ({limit} characters at most). Could you share the part "
    "that matters most right now?"
)
ERROR_REPLY = "I'm sorry, something went wrong on my side and I couldn't reply just now. Please try again in a moment."

Source = Literal["model", "crisis", "fallback", "refused", "error"]

# C0/C1 controls except tab and newline, plus the bidirectional overrides that can disguise text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Session:
    """One person's conversation: turns (user first, alternating), safety state and locale."""

    turns: list[str] = field(default_factory=list)
    safety_state: Any = None  # coach.safety.SafetyState once a turn has been assessed
    locale: str = "US"

    @property
    def user_turns(self) -> list[str]:
        return self.turns[0::2]

    @property
    def in_crisis(self) -> bool:
        return bool(getattr(self.safety_state, "in_crisis", False))

    def reset(self) -> None:
        self.turns.clear()
        self.safety_state = None


@dataclass(frozen=True)
class Reply:
    text: str
    crisis: bool
    category: str | None
    blocked: bool
    source: Source


def clean_message(message: str) -> str:
    """Control characters removed (tab and newline kept), carriage returns folded, outer whitespace trimmed."""
    text = str(message or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def respond(session: Session, message: str, generator, config, max_chars: int = DEFAULT_MAX_CHARS) -> Reply:
    """The reply to `message`, the whole of it at once (`generator.generate`)."""
    *_, final = _turn(session, message, generator, config, max_chars, stream=False)
    return final


def stream_respond(
    session: Session, message: str, generator, config, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[Reply]:
    """Growing partial replies as the model decodes; the last one is final and checked by `safety.check_reply`
    (it carries the fallback text when the check fails). Crisis, refused and error replies come as one Reply."""
    yield from _turn(session, message, generator, config, max_chars, stream=True)


def _turn(session: Session, message: str, generator, config, max_chars: int, stream: bool) -> Iterator[Reply]:
    from coach import safety

    text = clean_message(message)
    if not text:
        yield Reply(EMPTY_MESSAGE_REPLY, False, None, False, "refused")
        return
    if len(text) > max_chars:
        yield Reply(TOO_LONG_REPLY.format(limit=max_chars), False, None, False, "refused")
        return

    turns = [*session.turns, text]
    try:
        was_in_crisis = session.in_crisis
        assessment, state = safety.assess(turns[0::2], session.safety_state)
    except Exception as err:  # fail closed: without an assessment the model is not called
        logger.error("safety assessment failed (%s)", type(err).__name__)
        yield Reply(ERROR_REPLY, False, None, False, "error")
        return

    if assessment.crisis:
        reply_text = safety.crisis_response(assessment.category, session.locale, followup=was_in_crisis)
        _commit(session, text, reply_text, state)
        yield Reply(reply_text, True, assessment.category, False, "crisis")
        return

    try:
        if stream:
            partial = ""
            for piece in generator.stream(turns, config):
                partial += piece
                if partial.strip():
                    yield Reply(partial.strip(), False, None, False, "model")
            raw = partial.strip()
        else:
            raw = generator.generate([turns], config)[0].text.strip()
    except Exception as err:  # the message text never goes to the log, only what kind of failure it was
        logger.error("generation failed (%s)", type(err).__name__)
        yield Reply(ERROR_REPLY, False, None, False, "error")
        return

    check = safety.check_reply(raw)
    reply = Reply(check.text, False, None, not check.ok, "model" if check.ok else "fallback")
    _commit(session, text, reply.text, state)
    yield reply


def _commit(session: Session, message: str, reply: str, state: Any) -> None:
    session.turns += [message, reply]
    session.safety_state = state
