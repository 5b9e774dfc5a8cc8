"""The About tab: what Coach is and is not, privacy, the crisis resources, and which model answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import gradio as gr

from coach.config import Settings

if TYPE_CHECKING:
    from coach.ui.app import ModelService

ABOUT = """
## What Coach is
Coach is a small open-source chat companion for everyday worries: stress, loneliness, a hard day, good news you
want to share. It listens and answers in a warm, supportive way. Its replies come from a small language model
(google/flan-t5) fine-tuned on EmpatheticDialogues, a public collection of everyday conversations between
people, or, when that model is not available, from the closest reply in those dialogues.

## What Coach is not
- **Not a therapist or counsellor**, and not a replacement for one. It gives no diagnosis and no medical advice.
- **Not for emergencies.** If you might hurt yourself or someone else, or you are in danger, contact the
  crisis line or emergency number below now. When a message signals a crisis, Coach does not pass it to the
  model: it answers with a short message pointing to people who can help, and the conversation stays in that
  mode.
- A small model that can be wrong, repeat itself or misunderstand you.

## Privacy
Nothing you type is stored or logged by Coach. A conversation is held only in the server's memory for your
browser session, never written to disk, and dropped when you close the page or after an idle hour; reloading
the page starts a new one. The app keeps no run history in your browser. If you use a public share link or a
hosted Space, the host's own policies also apply.
"""


def settings_table(settings: Settings) -> str:
    rows = [
        ("model", settings.model),
        ("adapter", settings.adapter or "none"),
        ("backend", settings.backend),
        ("offline mode", "on" if settings.offline else "off"),
        ("dataset", settings.db or "bundled sample"),
        ("crisis resources", settings.locale),
        ("longest reply", f"{settings.max_new_tokens} tokens"),
        ("longest message", f"{settings.max_message_chars} characters"),
    ]
    return "| setting | value |\n|---|---|\n" + "\n".join(f"| {name} | `{value}` |" for name, value in rows)


def build_about_tab(settings: Settings, service: ModelService) -> gr.Markdown:
    """Lay out the About tab; returns the model status line so the app can refresh it while models load."""
    from coach.safety import resources_markdown

    gr.Markdown(ABOUT)
    gr.Markdown(
        "## Crisis resources\n" + resources_markdown(settings.locale) + "\n\nFor another country, choose it beside "
        "the chat: the resources panel and crisis replies follow your choice."
    )
    gr.Markdown("## What is answering now")
    status = gr.Markdown(service.status().markdown, elem_id="coach-about-status")
    gr.Markdown(settings_table(settings))
    return status
