"""The safety layer: crisis detection across turns, crisis responses with local resources, and reply checks.

    assessment, state = assess(user_turns, state)      # before the model: crisis mode or not
    if assessment.crisis: reply = crisis_response(assessment.category, locale, followup=...)
    check = check_reply(model_text)                       # after the model: ok, or a safe fallback

Only the standard library loads at import; the embedder and the classifier head load on first use.
"""

from coach.safety.detector import STEP_DOWN_TURNS, Assessment, SafetyState, assess
from coach.safety.replies import BLOCKED, FALLBACK, ReplyCheck, check_reply
from coach.safety.resources import DEFAULT_LOCALE, Line, Resources, locales, resources, resources_markdown
from coach.safety.responses import CATEGORIES, crisis_response

LOCALES: tuple[str, ...] = locales()


def warm_up() -> bool:
    """Load the embedder and the classifier head now (e.g. in a background thread at app start).

    Returns True when the classifier is available, False when the layer runs on rules only."""
    from coach.safety import classifier

    available = classifier.classifier_available()
    if available:
        assess(["hello"])
    return available


__all__ = [
    "BLOCKED",
    "CATEGORIES",
    "DEFAULT_LOCALE",
    "FALLBACK",
    "LOCALES",
    "STEP_DOWN_TURNS",
    "Assessment",
    "Line",
    "ReplyCheck",
    "Resources",
    "SafetyState",
    "assess",
    "check_reply",
    "crisis_response",
    "locales",
    "resources",
    "resources_markdown",
    "warm_up",
]
