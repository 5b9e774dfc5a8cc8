"""Training examples from cleaned conversations: one per assistant turn that answers at least one user turn."""

from __future__ import annotations

from coach.data.clean import ASSISTANT, USER, Conversation
from coach.data.store import Example


def build_examples(conv: Conversation) -> list[Example]:
    """Each assistant turn after a user turn becomes the response; every earlier turn is its context.

    No truncation here: fitting the context into a token budget is the prompt builder's job, so the
    store keeps the whole history.
    """
    examples = []
    texts = tuple(turn.content for turn in conv.turns)
    seen_user = False
    for i, turn in enumerate(conv.turns):
        if turn.role == USER:
            seen_user = True
        elif turn.role == ASSISTANT and seen_user:
            examples.append(Example(conv.conv_id, conv.split, conv.emotion, conv.situation, texts[:i], texts[i]))
    return examples
