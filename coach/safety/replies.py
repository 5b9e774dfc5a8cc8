"""Checks on every model reply before a person sees it.

A reply is blocked when it is empty or degenerate (repeating itself), gives method/means information, dosing or
medication advice, a diagnosis, claims to be a human, therapist or doctor, or encourages harm. A blocked reply is
replaced with a warm fallback, and `BLOCKED` counts the reasons (never the text) for the app to show.
"""

from __future__ import annotations

import collections
import logging
import re
from dataclasses import dataclass

from coach.safety.normalize import normalize

log = logging.getLogger(__name__)

# reason -> number of replies blocked for it in this process
BLOCKED: collections.Counter[str] = collections.Counter()

FALLBACK = (
    "I'm not sure I said that well. I'm here to listen: could you tell me a little more about what's on your mind? "
    "If things feel like too much, a crisis line or someone you trust can help right now."
)


@dataclass(frozen=True)
class ReplyCheck:
    ok: bool
    reason: str | None
    text: str  # the reply when ok, otherwise the safe fallback


_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "method",
        re.compile(
            r"\b(?:how|way|ways|best way|easiest way|painless way|quickest way) to (?:kill (?:yourself|myself|oneself)"
            r"|end (?:your|my) life|die|commit suicide|hurt (?:yourself|myself)|cut (?:yourself|myself)|overdose)\b|"
            r"\b(?:lethal|fatal|deadly) (?:dose|amount|dosage|quantity)\b|\b(?:enough|amount of) (?:pills|tablets|"
            r"medication) to\b|\bsuicide methods?\b|\bmethods? (?:of|for) (?:suicide|self harm|killing)\b|\b(?:you cou"
            r"ld|"
            r"try to|you can|you should) (?:just )?(?:end|take|harm|hurt|kill|cut) (?:yourself|your (?:own )?life)\b"
        ),
    ),
    (
        "dosing",
        re.compile(
            r"\b\d+(?:\.\d+)?\s?(?:mg|milligrams?|mcg|ml|g|grams?|tablets?|pills?|capsules?)\b|\b(?:take|try|increase|"
            r"double|reduce|stop taking|start taking|prescribe|prescribed) (?:\w+ ){0,3}(?:medication|meds|pills|"
            r"antidepressants?|tablets|dose|dosage|prescription|painkillers)\b|\b(?:dose|dosage) of\b"
        ),
    ),
    (
        "diagnosis",
        re.compile(
            r"\b(?:you|u) (?:have|has|suffer from|are suffering from|definitely have|probably have|clearly have|might "
            r"have|may have|sound like you have|seem to have) (?:\w+ ){0,2}(?:depression|bipolar|bpd|borderline|"
            r"ptsd|ocd|adhd|autism|schizophrenia|psychosis|anxiety disorder|an? (?:\w+ )?disorder|a personality "
            r"disorder|an eating disorder|a mental illness)\b|\b(?:you are|you're) (?:clinically )?(?:depressed|bipola"
            r"r|"
            r"psychotic|schizophrenic|autistic)\b|\bmy diagnosis\b|\bi diagnose\b|\b(?:sounds|looks) like (?:clinical "
            r"depression|bipolar|bpd|ptsd|ocd|adhd|schizophrenia)\b"
        ),
    ),
    (
        "claims_human",
        re.compile(
            r"\bi(?:'m| am) (?:a |an |your )?(?:real )?(?:human|person|therapist|psychologist|psychiatrist|doctor|"
            r"counsel+or|nurse|licensed \w+|social worker|physician|man|woman|girl|guy)\b|\bi(?:'m| am) not (?:a |an )"
            r"?"
            r"(?:bot|robot|ai|program|machine|chatbot)\b|\bas (?:a|your) (?:therapist|doctor|psychologist|"
            r"psychiatrist|counsel+or|nurse)\b"
        ),
    ),
    (
        "encourages_harm",
        re.compile(
            r"\b(?:you should|you could|go ahead and|why don't you|just) (?:\w+ ){0,2}(?:kill|hurt|harm|cut|end|"
            r"punish|starve) (?:yourself|your life|him|her|them)\b|\b(?:you should|you could|you deserve to|go ahead "
            r"and|just) (?:die|disappear)\b|\b(?:kill|hurt) yourself\b|\bkys\b|\b(?:nobody|no one) would (?:miss|care "
            r"about) you\b|\b(?:better off|world (?:is|would be) better) (?:dead|without you)\b|\bdo it\b(?=.{0,20}"
            r"\b(?:tonight|now|already)\b)"
        ),
    ),
)


def _degenerate(text: str) -> bool:
    """Repeated sentences or a short loop of words, the failure mode of small seq2seq models."""
    sentences = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    if len(sentences) >= 2 and len(set(sentences)) <= len(sentences) / 2:
        return True
    if len(sentences) >= 2 and any(a == b for a, b in zip(sentences, sentences[1:], strict=False)):
        return True
    words = re.findall(r"\w+", text.lower())
    if len(words) >= 8:
        # the same 3-word phrase making up a large part of the text
        grams = collections.Counter(zip(words, words[1:], words[2:], strict=False))
        top = grams.most_common(1)[0][1]
        if top >= 3 and top * 3 >= len(words) * 0.5:
            return True
        if len(set(words)) <= len(words) / 4:
            return True
    return False


def check_reply(text: str) -> ReplyCheck:
    """Pass a model reply through unchanged, or replace it with a safe fallback and count why."""
    raw = text if isinstance(text, str) else ""
    stripped = raw.strip()
    reason: str | None = None
    if not stripped or not re.search(r"\w", stripped):
        reason = "empty"
    elif _degenerate(stripped):
        reason = "degenerate"
    else:
        norm = normalize(stripped)
        reason = next((name for name, pattern in _CHECKS if pattern.search(norm)), None)
    if reason is None:
        return ReplyCheck(True, None, stripped)
    BLOCKED[reason] += 1
    log.info("reply blocked: %s", reason)  # the reason only, never the text
    return ReplyCheck(False, reason, FALLBACK)
