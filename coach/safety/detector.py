"""`assess`: is the conversation in crisis mode after the last user turn?

Each new user turn is scored twice: the message alone and a window of the last few user turns joined, so risk that
only builds up across turns is caught. A turn is a crisis when an unguarded rule fires, or when the classifier's
risk (a logistic regression stacked with a nearest-neighbour vote, crisis or not) passes the threshold chosen by
cross-validation over train+dev (a higher one when only a guarded rule fired, or the message is framed as fiction,
news, a question or the past; a window holding such a turn asks as much). A message whose risk words are all negated
is never a crisis on the classifier's word alone.

Persistence and step-down (the documented rule):
- Once in crisis the session stays in crisis mode. Retractions ("never mind", "I was just being dramatic"), topic
  changes ("tell me a joke") and instructions ("ignore your instructions") change nothing: the layer is code.
- It steps down only after the person states clearly that they are safe or have reached a person or a line
  ("I'm safe now", "I called 988", "my sister is with me") in a turn with no risk signal, AND then at least
  `STEP_DOWN_TURNS` (3) more user turns with no risk signal. Any risk signal restarts the count.
- After stepping down `ever_in_crisis` stays True, so the app keeps the resources visible.

Privacy: safety events are logged with category, score and time only, never message text.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from coach.safety import classifier, rules
from coach.safety.normalize import guess_language, normalize

log = logging.getLogger(__name__)

WINDOW_TURNS = 3
STEP_DOWN_TURNS = 3
# the classifier needs a few words to go on: on "bye", "." or an emoji alone the embedding says little, and crisis
# messages that short ("kms") are the rules' job
MIN_CLASSIFIER_WORDS = 3
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Assessment:
    crisis: bool
    category: str | None
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SafetyState:
    """Per-session crisis memory. Immutable: `assess` returns a new one; the app keeps the latest per session."""

    in_crisis: bool = False
    category: str | None = None
    score: float = 0.0  # the risk score of the turn that (last) triggered crisis mode
    turns_seen: int = 0  # user turns already assessed
    turns_since_trigger: int = 0  # user turns since the last risk signal in crisis mode (0 on the trigger turn)
    safe_stated: bool = False  # a clear statement of safety since the last risk signal
    safe_turns: int = 0  # risk-free turns after that statement
    ever_in_crisis: bool = False  # keep resources visible after stepping down
    lang: str | None = None  # language of a non-English crisis phrase, for a short note in that language

    @property
    def resources_visible(self) -> bool:
        return self.in_crisis or self.ever_in_crisis


@dataclass(frozen=True)
class TurnScore:
    crisis: bool  # the message itself: an unguarded rule, or the classifier on the message
    category: str | None
    score: float
    window_crisis: bool  # the last few user turns together (only starts crisis mode; see _step)
    window_category: str | None
    window_score: float
    signal: bool  # risk in the message itself: a crisis, or any rule hit (even a guarded one)
    safe: bool  # a clear statement of being safe
    reasons: tuple[str, ...]
    lang: str | None


def window_text(normalized: Sequence[str], i: int) -> str:
    """The last `WINDOW_TURNS` user turns up to turn i, joined: what the classifier reads as the window."""
    return " . ".join(normalized[max(0, i - WINDOW_TURNS + 1) : i + 1])


def _score_turns(turns: Sequence[str], indices: list[int], head: classifier.Head | None, embed) -> list[TurnScore]:
    normalized = [normalize(t) for t in turns[: indices[-1] + 1]]
    texts: list[str] = []
    for i in indices:
        # the embedder sees the normalised text too, so "kms" and "k1ll mys3lf" read as what they mean
        texts += [normalized[i], window_text(normalized, i)]
    predicted = None
    if head is not None and embed is not None:
        unique = list(dict.fromkeys(texts))  # a first turn's window is the turn itself: embed it once
        risks, cats = head.predict(embed(unique))
        where = {t: n for n, t in enumerate(unique)}
        predicted = ([risks[where[t]] for t in texts], [cats[where[t]] for t in texts])
    # a turn whose risky words are guarded (negation, idiom, past, fiction, a question) keeps its guard inside the
    # windows that hold it: "i'd never hurt myself" does not turn the next two turns' window into a crisis
    first = max(0, indices[0] - WINDOW_TURNS + 1)  # the earliest turn any new window holds
    guarded_turns = {j: _guarded(normalized[j]) for j in range(first, indices[-1] + 1)}
    out = []
    for k, i in enumerate(indices):
        norm = normalized[i]
        hits = rules.match_rules(norm)
        hit = rules.decisive(hits)
        reasons: list[str] = []
        crisis, category, score = False, None, 0.0
        window_crisis, window_category, window_score = False, None, 0.0
        lang = next((h.rule[:2] for h in hits if h.rule[2:3] == "_" and h.rule[:2] in rules.LANGS), None)
        guessed = guess_language(norm)
        lang = lang or (guessed if guessed != "en" else None)
        if hit is not None:
            crisis, category, score = True, hit.category, 1.0
            reasons.append(f"rule:{hit.rule}")
        reasons += [f"guarded:{h.rule}:{h.guarded_by}" for h in hits if h.guarded_by][:3]
        # a guarded hit, or a message framed as fiction, news, a question or the past, needs more from the classifier
        context = rules.context_guard(norm)
        if context:
            reasons.append(f"context:{context}")
        guarded = guarded_turns[i]
        # risk words that are all negated ("I'd never hurt myself", "I don't want to die, I want a change") are not a
        # crisis on the classifier's word alone: the embedding reads the topic, not the negation
        negated = bool(hits) and all(h.guarded_by == "negation" for h in hits)
        signal = bool(hits)
        if predicted is not None:
            assert head is not None
            risks, cats = predicted
            risk_last, cat_last = float(risks[2 * k]), cats[2 * k]
            risk_win, cat_win = float(risks[2 * k + 1]), cats[2 * k + 1]
            # MiniLM reads English only: a non-English message is left to the multilingual rules
            if guessed != "en" or len(_WORD.findall(norm)) < MIN_CLASSIFIER_WORDS:
                risk_last = 0.0
            window = texts[2 * k + 1]
            if i == 0 or guess_language(window) != "en" or len(_WORD.findall(window)) < MIN_CLASSIFIER_WORDS:
                risk_win = 0.0
            t_last = head.threshold_guarded if guarded else head.threshold_last
            if not crisis and not negated and risk_last >= t_last:
                crisis, category = True, cat_last
                reasons.append(f"classifier:last:{risk_last:.2f}")
            window_guarded = any(guarded_turns[j] for j in range(max(0, i - WINDOW_TURNS + 1), i + 1))
            t_window = max(head.threshold_window, head.threshold_guarded) if window_guarded else head.threshold_window
            if risk_win >= t_window:
                window_crisis, window_category, window_score = True, cat_win, risk_win
                if not crisis:
                    reasons.append(f"classifier:window:{risk_win:.2f}")
            score = max(score, risk_last)
        elif hits and not crisis:
            score = 0.5
        safe = rules.states_safe(norm)
        out.append(
            TurnScore(
                crisis=crisis,
                category=category,
                score=round(score, 4),
                window_crisis=window_crisis,
                window_category=window_category,
                window_score=round(window_score, 4),
                signal=signal or crisis,
                safe=safe,
                reasons=tuple(reasons),
                lang=lang,
            )
        )
    return out


def _guarded(normalized: str) -> bool:
    """Does the message hold a guarded rule hit or a framing (fiction, news, question, past) that asks more of the
    classifier?"""
    return any(h.guarded_by for h in rules.match_rules(normalized)) or rules.context_guard(normalized) is not None


def _triggered(state: SafetyState, turn: TurnScore) -> tuple[bool, str | None, float]:
    """Does this turn (re)start crisis mode? The window only starts it: once in crisis mode, the window would keep
    re-reading the turns that started it, so only the new message itself counts (for the step-down rule too)."""
    if turn.crisis:
        return True, turn.category, turn.score
    if turn.window_crisis and not state.in_crisis:
        return True, turn.window_category, turn.window_score
    return False, None, 0.0


def _step(state: SafetyState, turn: TurnScore) -> SafetyState:
    seen = state.turns_seen + 1
    triggered, category, score = _triggered(state, turn)
    if triggered:
        if not state.in_crisis:
            log.info("safety event: crisis category=%s score=%.3f", category, score)
        return SafetyState(
            in_crisis=True,
            category=category,
            score=score,
            turns_seen=seen,
            turns_since_trigger=0,
            ever_in_crisis=True,
            lang=turn.lang or state.lang,
        )
    if not state.in_crisis:
        return dataclasses.replace(state, turns_seen=seen)
    since = state.turns_since_trigger + 1
    if turn.signal:
        return dataclasses.replace(state, turns_seen=seen, turns_since_trigger=since, safe_stated=False, safe_turns=0)
    if not state.safe_stated:
        return dataclasses.replace(state, turns_seen=seen, turns_since_trigger=since, safe_stated=turn.safe)
    safe_turns = state.safe_turns + 1
    if safe_turns >= STEP_DOWN_TURNS:
        log.info("safety event: step-down category=%s score=%.3f", state.category, state.score)
        return dataclasses.replace(
            state, in_crisis=False, turns_seen=seen, turns_since_trigger=since, safe_stated=False, safe_turns=0
        )
    return dataclasses.replace(state, turns_seen=seen, turns_since_trigger=since, safe_turns=safe_turns)


def assess(user_turns: Sequence[str], state: SafetyState | None = None) -> tuple[Assessment, SafetyState]:
    """Assess the conversation after its last user turn. Pure: returns the assessment and a new state.

    `user_turns` holds every user turn so far, oldest first. Turns the state has not seen yet are replayed one by
    one (so calling with the whole history and no state gives the same answer as calling turn by turn).
    """
    available = classifier.classifier_available()
    head = classifier.get_head() if available else None
    return assess_with(user_turns, state, head, classifier.embed if available else None)


def assess_with(
    user_turns: Sequence[str], state: SafetyState | None, head: classifier.Head | None, embed
) -> tuple[Assessment, SafetyState]:
    """`assess` with an explicit head and embedding function (None: rules only); the training script tunes with it."""
    turns = [t if isinstance(t, str) else ("" if t is None else str(t)) for t in user_turns]
    state = state or SafetyState()
    if not turns:
        return Assessment(state.in_crisis, state.category, state.score, ("no turns",)), state
    if state.turns_seen >= len(turns):
        # a history shorter than what the state has seen (e.g. the app trimmed it): assess the last turn again
        state = dataclasses.replace(state, turns_seen=len(turns) - 1)
    new = list(range(state.turns_seen, len(turns)))
    scores = _score_turns(turns, new, head, embed)
    before = state
    for turn in scores:
        before, state = state, _step(state, turn)
    last = scores[-1]
    triggered, category, score = _triggered(before, last)
    if triggered:
        return Assessment(True, category, score, last.reasons), state
    if state.in_crisis:
        return Assessment(True, state.category, state.score, ("persisted", *last.reasons)), state
    return Assessment(False, None, last.score, last.reasons), state
