"""Coach's Gradio app. Thin: parse flags and environment, build the Blocks app, launch."""

from __future__ import annotations

import gradio as gr


def build_demo() -> gr.Blocks:
    with gr.Blocks(title="Coach") as demo:
        gr.Markdown("# Coach\nA supportive chat companion. Not a therapist and not for emergencies.")
    return demo


if __name__ == "__main__":
    build_demo().launch()
