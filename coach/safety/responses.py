"""Crisis responses: fixed text the project wrote, one per category, following safe-messaging guidance.

Each first response acknowledges the person warmly, asks directly about immediate safety, encourages reaching a person
now (the locale's line, the emergency number, someone they trust) and says honestly that Coach is an automated program.
Follow-ups keep engaging in later turns without repeating a wall of numbers, and still name the line.
No model text ever appears in crisis mode, and nothing here describes any method, means or dose.
"""

from __future__ import annotations

from coach.safety.resources import Line, Resources, resources

CATEGORIES = ("suicide", "self_harm", "harm_to_others", "abuse", "medical", "other_at_risk")

_HONEST = (
    "I'm an automated program, not a person or a therapist, so I want to help you reach someone who can be there "
    "with you."
)


def _contact(line: Line) -> str:
    return f"{line.name} ({line.contact})"


def _emergency(res: Resources) -> str:
    return f"call {res.emergency}" if res.known else "call your local emergency number"


def _line(res: Resources) -> str:
    if res.known:
        return f"you can reach {_contact(res.line)}, any time"
    return (
        "Coach doesn't have a line for your country yet, but the IASP directory (iasp.info/suicidalthoughts) and "
        "Find A Helpline (findahelpline.com) list free lines near you"
    )


def _first(category: str, res: Resources) -> str:
    emergency, line = _emergency(res), _line(res)
    if category == "suicide":
        return (
            "I'm really glad you told me, and I'm sorry you're carrying this much pain right now. I care about what "
            "happens to you. Are you safe right now? Are you thinking about ending your life today?\n\n"
            f"Please reach a person now: {line}. If you are in immediate danger, {emergency}. If you can, tell "
            "someone you trust and ask them to stay with you. Reaching out is a strong step, and feelings this heavy "
            f"can change with support.\n\n{_HONEST}"
        )
    if category == "self_harm":
        return (
            "Thank you for telling me. It sounds like you're going through something really painful, and you don't "
            "deserve to be hurt, by anyone, including yourself. Are you safe right now? Have you hurt yourself "
            "today?\n\n"
            f"Please talk to a person now: {line}. If you are injured or in immediate danger, {emergency}. Being near "
            "someone you trust can help the urge pass.\n\n"
            f"{_HONEST}"
        )
    if category == "harm_to_others":
        return (
            "Thank you for saying this out loud; that takes honesty, and it tells me part of you wants to keep "
            "everyone safe. Is anyone in immediate danger right now, including you?\n\n"
            f"If someone could be hurt soon, {emergency}. You can also talk this through with {_contact(res.line)} "
            "right now; they help with overwhelming anger and frightening thoughts too. If you can, put distance "
            "between yourself and the person, and between yourself and anything you could use to hurt someone.\n\n"
            f"{_HONEST}"
        )
    if category == "abuse":
        dv = res.dv
        dv_text = (
            f"{_contact(dv)} can help you make a safety plan, confidentially"
            if dv
            else f"{_contact(res.line)} can help you think through your next steps"
        )
        return (
            "I'm so sorry this is happening to you. It is not your fault, and you deserve to be safe. Are you safe "
            "right now? Is the person who hurt you nearby?\n\n"
            f"If you are in danger right now, {emergency}. {dv_text[0].upper() + dv_text[1:]}. If you can, reach "
            "someone you trust or a place where other people are around.\n\n"
            f"{_HONEST}"
        )
    if category == "medical":
        poison = res.poison
        poison_text = f" For a poisoning or overdose, {_contact(poison)} can also advise." if poison else ""
        return (
            f"This sounds like a medical emergency. Please {emergency} now, or ask someone near you to call for "
            f"you.{poison_text} Don't wait for symptoms; getting help quickly matters, and you deserve care.\n\n"
            f"Are you alone right now? If you can, unlock the door and tell someone nearby. When you're safe, "
            f"{_contact(res.line)} is there to talk too.\n\n"
            f"{_HONEST}"
        )
    if category == "other_at_risk":
        return (
            "Thank you for looking out for them; it matters. Is the person in immediate danger right now?\n\n"
            f"If they are in danger now, {emergency}. If it's safe for you, stay with them or keep them on the phone, "
            f"and don't keep it a secret: tell another adult or someone close to them. You can call "
            f"{_contact(res.line)} together, or call for advice on how to help. Ask them directly if they're "
            "thinking about suicide; asking doesn't put the idea in their head.\n\n"
            f"{_HONEST} And please look after yourself too; this is a lot to hold."
        )
    return _first("suicide", res)


def _followups(category: str, res: Resources) -> tuple[str, ...]:
    line, emergency = _contact(res.line) if res.known else "a crisis line near you", _emergency(res)
    if category == "other_at_risk":
        return (
            f"I'm still here with you. How are they doing right now? If you haven't yet, {line} can help you both.",
            f"You're doing a good thing by staying with this. If they are in danger, {emergency}; you don't have to "
            "handle this alone.",
            "How are you holding up? Supporting someone in crisis is hard. Is there another person who can be with "
            f"you both? {line} is there for you too.",
        )
    if category == "medical":
        return (
            f"Please {emergency} now if you haven't. Is someone with you?",
            f"I'm still here. Getting medical help quickly matters, so please {emergency} or ask someone to call for "
            "you.",
            f"Has help arrived, or is someone on their way? If not, please {emergency} right now.",
        )
    return (
        f"I'm still here with you. Can you tell me how you're doing right now, and whether you're safe? {line} is "
        "there whenever you're ready to talk to a person.",
        "Thank you for staying and talking with me. What feels hardest in this moment? If things feel like too "
        f"much or you're in danger, {emergency}.",
        "You don't have to go through this by yourself. Is there someone you trust who could be with you, or "
        f"could you reach {line} together?",
        "I hear you. Whatever you're feeling is important, and I'm glad you're still talking. Would it help to "
        f"think together about the next hour, and who you could call? {line} is there any time.",
    )


_LANG_NOTE = {
    "es": "Si prefieres hablar en español: por favor, contacta ahora con una línea de crisis o con emergencias.",
    "fr": "Si vous préférez parler en français : appelez maintenant une ligne d'écoute ou les urgences.",
    "de": "Auf Deutsch: Bitte wende dich jetzt an eine Krisenhotline oder den Notruf.",
    "pt": "Em português: por favor, procure agora uma linha de apoio ou os serviços de emergência.",
    "it": "In italiano: per favore contatta ora una linea di ascolto o i servizi di emergenza.",
}


def crisis_response(
    category: str | None, locale: str = "US", followup: bool = False, turn: int = 0, lang: str | None = None
) -> str:
    """The fixed crisis response for a category and locale; `followup` (with `turn` to vary it) for later turns."""
    res = resources(locale)
    category = category if category in CATEGORIES else "suicide"
    if followup:
        options = _followups(category, res)
        # a one-line footer keeps the resources present in every follow-up without repeating the whole first message
        footer = f"{res.line.name}: {res.line.contact} · Emergency: {res.emergency}"
        text = options[turn % len(options)] + "\n\n" + footer
    else:
        text = _first(category, res)
    if lang in _LANG_NOTE:
        text += "\n\n" + _LANG_NOTE[lang]
    return text
