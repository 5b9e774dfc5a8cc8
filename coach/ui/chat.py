"""The Chat tab: it only wires `coach.conversation` into a Gradio ChatInterface.

Each browser session (and each API client) has its own `Session` in a `gr.State`, so history and crisis state
are never shared between people. The chat is also the API endpoint `/chat`: message in, reply text out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import gradio as gr

from coach.backends.base import GenerationConfig
from coach.config import Settings
from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.conversation import Session
    from coach.ui.app import ModelService

log = logging.getLogger(__name__)

FRIENDLY_ERROR = "Sorry, something went wrong on my side while replying. Please try again in a moment."
DISCLAIMER = (
    "Coach is a supportive chat companion. It is **not a therapist** and **not for emergencies**: if you might be "
    "in danger, contact the crisis line or emergency number beside the chat now. Nothing you type is stored."
)
SESSION_TTL_S = 3600
EXAMPLES = [
    "I've been really stressed about my exams and can't switch off at night.",
    "My best friend moved to another city and I feel lonely.",
    "I finally finished a big project at work today!",
    "I had an argument with my sister and I don't know how to fix it.",
]


def message_text(content: Any) -> str:
    """The text of one Gradio message: a string, a list of content blocks, or a single block."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", "")) if content.get("type", "text") == "text" else ""
    if isinstance(content, (list, tuple)):
        return "".join(message_text(part) for part in content)
    return ""


def history_to_turns(history: Sequence[dict] | None) -> list[str]:
    """Gradio messages -> the project's turns: oldest first, alternating user/assistant, roles merged."""
    turns: list[str] = []
    last_role = None
    for message in history or []:
        role = message.get("role")
        if role not in ("user", "assistant"):
            continue
        text = message_text(message.get("content")).strip()
        if not text:
            continue
        if role == last_role:
            turns[-1] = f"{turns[-1]}\n{text}"
        elif last_role is None and role == "assistant":
            continue  # the project's turns start with the user
        else:
            turns.append(text)
            last_role = role
    return turns


@dataclass
class ChatState:
    """One browser session's chat: the conversation Session, plus its turns at each chat length seen.

    Undo, retry and clear shorten the visible history; the snapshot for that length puts the session's turns
    back where they were. The crisis state is deliberately never rolled back: once a conversation has needed
    crisis support, undoing a message does not make it safe again.
    """

    session: Session
    turns_at: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def new(cls, locale: str) -> ChatState:
        from coach.conversation import Session

        return cls(session=Session(locale=locale), turns_at={0: []})

    def rewind(self, history_len: int) -> None:
        turns = self.turns_at.get(history_len)
        if turns is not None and list(self.session.turns) != turns:
            self.session.turns[:] = turns
        # Later snapshots belong to a branch that no longer exists.
        self.turns_at = {n: t for n, t in self.turns_at.items() if n <= history_len}

    def remember(self, history_len: int) -> None:
        self.turns_at[history_len] = list(self.session.turns)


def crisis_flag(state: ChatState) -> str:
    """A short value for the banner state: the crisis category while the session is in crisis mode, else ''."""
    session = state.session
    return (getattr(session.safety_state, "category", None) or "crisis") if session.in_crisis else ""


def chat_turn(
    message: str,
    history: list[dict],
    state: ChatState | None,
    locale: str | None,
    *,
    settings: Settings,
    service: ModelService,
) -> Iterator[tuple[str, ChatState, str]]:
    """One chat turn for the ChatInterface: yields (reply so far, state, crisis flag)."""
    from coach.conversation import stream_respond

    locale = locale or settings.locale
    if state is None:
        state = ChatState.new(locale)
    state.session.locale = locale
    state.rewind(len(history))
    config = GenerationConfig(max_new_tokens=settings.max_new_tokens)
    text = ""
    try:
        replies = stream_respond(
            state.session, message or "", service.generator(), config, max_chars=settings.max_message_chars
        )
        for reply in replies:
            text = reply.text
            yield text, state, crisis_flag(state)
    except CoachError as err:
        yield str(err), state, crisis_flag(state)
    except Exception as err:  # the person sees a friendly line; the log gets the kind of failure, never their text
        log.error("chat turn failed (%s)", type(err).__name__)
        yield (f"{text}\n\n{FRIENDLY_ERROR}" if text else FRIENDLY_ERROR), state, crisis_flag(state)
    state.remember(len(history) + 2)


def locale_choices() -> list[tuple[str, str]]:
    """(label, code) pairs for the locale selector, e.g. ("United Kingdom (GB)", "GB")."""
    from coach.safety import LOCALES, resources

    choices = []
    for code in LOCALES:
        country = getattr(resources(code), "country", "") or code
        choices.append((f"{country} ({code})" if country != code else code, code))
    return choices


def resources_panel(locale: str) -> str:
    from coach.safety import resources_markdown

    return resources_markdown(locale)


def banner_markdown(flag: str, locale: str) -> dict:
    if not flag:
        return gr.update(value="", visible=False)
    text = (
        "### You don't have to go through this alone\n"
        "This conversation is in **crisis-support mode**. Please reach out to a person who can help right now; "
        "the lines below are free and confidential.\n\n" + resources_panel(locale)
    )
    return gr.update(value=text, visible=True)


def build_chat_tab(settings: Settings, service: ModelService) -> gr.ChatInterface:
    """Lay out the chat inside the current Blocks context."""
    gr.Markdown(DISCLAIMER)
    banner = gr.Markdown(visible=False, elem_classes=["coach-banner"], elem_id="coach-crisis-banner")
    # Conversations live only in server memory, per browser session, and expire after an idle hour.
    state_box = gr.State(None, time_to_live=SESSION_TTL_S)
    flag_box = gr.State("", time_to_live=SESSION_TTL_S)
    with gr.Row():
        with gr.Column(scale=3):
            chat_area = gr.Column()
        with gr.Column(scale=1, min_width=240):
            locale_box = gr.Dropdown(
                choices=locale_choices(),
                value=settings.locale,
                label="Your country (for crisis resources)",
                allow_custom_value=True,  # any other code gets the international resources, never an error
            )
            resources = gr.Markdown(resources_panel(settings.locale), elem_id="coach-resources")

    # The parameter names are the `/chat` API's: `message`, and optionally `locale` (the state stays server-side).
    def respond(message: str, history: list[dict], state: ChatState | None, locale: str | None):
        yield from chat_turn(message, history, state, locale, settings=settings, service=service)

    with chat_area:
        chat = gr.ChatInterface(
            respond,
            chatbot=gr.Chatbot(label="Coach", height=480, elem_id="coach-chatbot"),
            textbox=gr.Textbox(
                placeholder="Type a message and press Enter", show_label=False, scale=7, elem_id="coach-message"
            ),
            additional_inputs=[state_box, locale_box],
            additional_outputs=[state_box, flag_box],
            examples=[[text, None, None] for text in EXAMPLES],
            api_name="chat",
            api_description="Send a message; returns Coach's reply. History is kept per client session.",
            concurrency_limit=settings.concurrency,
            fill_height=False,
            analytics_enabled=False,
        )
    locale_box.change(resources_panel, locale_box, resources, queue=False, api_visibility="private")
    flag_box.change(banner_markdown, [flag_box, locale_box], banner, queue=False, api_visibility="private")
    locale_box.change(banner_markdown, [flag_box, locale_box], banner, queue=False, api_visibility="private")
    return chat
