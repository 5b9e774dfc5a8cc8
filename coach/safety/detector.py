"""`assess`: is the conversation in crisis mode after the last user turn?

Each new user turn is scored twice: the message alone and a window of the last few user turns joined, so risk that
only builds up across turns is caught. A turn is a crisis when an unguarded rule fires, or when the classifier's
risk (a logistic regression, crisis or not) passes the threshold tuned on dev (a higher one when only a guarded rule fired).

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
from collections.abc import Sequence
from dataclasses import dataclass

from coach.safety import classifier, rules
from coach.safety.normalize import normalize

log = logging.getLogger(__name__)

WINDOW_TURNS = 3
STEP_DOWN_TURNS = 3
# a turn with risk this high (or any rule hit, guarded or not) counts as a risk signal for the step-down rule
SIGNAL_FRACTION = 0.5


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
    crisis: bool
    category: str | None
    score: float
    signal: bool
    safe: bool
    reasons: tuple[str, ...]
    lang: str | None


def _window(normalized: Sequence[str], i: int) -> str:
    return " . ".join(normalized[max(0, i - WINDOW_TURNS + 1) : i + 1])


def _score_turns(turns: Sequence[str], indices: list[int], head: classifier.Head | None, embed) -> list[TurnScore]:
    normalized = [normalize(t) for t in turns[: indices[-1] + 1]]
    texts: list[str] = []
    for i in indices:
        # the embedder sees the normalised text too, so "kms" and "k1ll mys3lf" read as what they mean
        texts += [normalized[i], _window(normalized, i)]
    probs = head.predict(embed(texts)) if head is not None and embed is not None else None
    risks, cats = probs if probs is not None else ((), ())
    out = []
    for k, i in enumerate(indices):
        norm = normalized[i]
        hits = rules.match_rules(norm)
        hit = rules.decisive(hits)
        reasons: list[str] = []
        crisis, category, score = False, None, 0.0
        lang = next((h.rule[:2] for h in hits if h.rule[2:3] == "_" and h.rule[:2] in rules.LANGS), None)
        if hit is not None:
            crisis, category, score = True, hit.category, 1.0
            reasons.append(f"rule:{hit.rule}")
        reasons += [f"guarded:{h.rule}:{h.guarded_by}" for h in hits if h.guarded_by][:3]
        guarded = any(h.guarded_by for h in hits)
        signal = bool(hits)
        if probs is not None:
            assert head is not None
            risk_last, cat_last = float(risks[2 * k]), cats[2 * k]
            risk_win, cat_win = float(risks[2 * k + 1]), cats[2 * k + 1]
            t_last = head.threshold_guarded if guarded else head.threshold_last
            if not crisis and risk_last >= t_last:
                crisis, category = True, cat_last
                reasons.append(f"classifier:last:{risk_last:.2f}")
            elif not crisis and i > 0 and risk_win >= head.threshold_window:
                crisis, category = True, cat_win
                reasons.append(f"classifier:window:{risk_win:.2f}")
            score = max(score, risk_last, risk_win if i > 0 else 0.0)
            signal = signal or max(risk_last, risk_win) >= SIGNAL_FRACTION * head.threshold_last
        elif hits and not crisis:
            score = 0.5
        safe = rules.states_safe(norm)
        out.append(TurnScore(crisis, category, round(score, 4), signal or crisis, safe, tuple(reasons), lang))
    return out


def _step(state: SafetyState, turn: TurnScore) -> SafetyState:
    seen = state.turns_seen + 1
    if turn.crisis:
        if not state.in_crisis:
            log.info("safety event: crisis category=%s score=%.3f", turn.category, turn.score)
        return SafetyState(
            in_crisis=True,
            category=turn.category,
            score=turn.score,
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
    for turn in scores:
        state = _step(state, turn)
    last = scores[-1]
    if last.crisis:
        return Assessment(True, last.category, last.score, last.reasons), state
    if state.in_crisis:
        return Assessment(True, state.category, state.score, ("persisted", *last.reasons)), state
    return Assessment(False, None, last.score, last.reasons), state
