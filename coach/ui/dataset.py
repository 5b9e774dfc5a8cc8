"""The Dataset tab: token-length histograms, the emotion distribution and a searchable browser of examples.

It reads the SQLite store from `coach prepare` (the bundled sample when no DB is configured). The figure and
table builders are plain functions, so they are tested without a browser.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from coach.config import Settings
from coach.errors import CoachError

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

log = logging.getLogger(__name__)

ALL = "all"
SPLITS = [ALL, "train", "valid", "test"]
TABLE_COLUMNS = ["split", "emotion", "situation", "context", "response"]


def resolve_db(settings: Settings) -> Path:
    from coach.data import default_db

    return Path(settings.db) if settings.db else default_db()


def _split(split: str | None) -> str | None:
    return None if not split or split == ALL else split


def length_rows(db: str | Path, split: str | None = None, emotion: str | None = None) -> pd.DataFrame:
    """Per-example token lengths (context_tokens, response_tokens, emotion), filtered."""
    import pandas as pd

    from coach.data.store import read_token_lengths

    frame = pd.DataFrame(read_token_lengths(db, _split(split)))
    if emotion and emotion != ALL and not frame.empty:
        frame = frame[frame["emotion"] == emotion]
    return frame


def figures(db: str | Path, split: str | None = None, emotion: str | None = None) -> tuple[go.Figure, ...]:
    """Histograms of context and response token lengths, and the emotion distribution (plotly)."""
    import plotly.express as px
    import plotly.graph_objects as go

    frame = length_rows(db, split, emotion)
    where = "all splits" if _split(split) is None else f"{split} split"
    if emotion and emotion != ALL:
        where += f", emotion {emotion}"
    if frame.empty:
        empty = go.Figure().update_layout(title=f"No examples ({where})")
        return empty, empty, empty
    context = px.histogram(frame, x="context_tokens", nbins=40, title=f"Context length in tokens ({where})")
    response = px.histogram(frame, x="response_tokens", nbins=40, title=f"Response length in tokens ({where})")
    counts = frame["emotion"].value_counts().rename_axis("emotion").reset_index(name="examples")
    emotions = px.bar(counts, x="emotion", y="examples", title=f"Examples per emotion ({where})")
    for fig in (context, response, emotions):
        fig.update_layout(margin={"l": 40, "r": 10, "t": 50, "b": 40}, height=340)
    emotions.update_xaxes(tickangle=-45)
    return context, response, emotions


def stats_table(db: str | Path) -> pd.DataFrame:
    """Token statistics per split and field (count, mean, p50, p90, p95, max) from the store."""
    import pandas as pd

    from coach.data.store import read_token_stats

    return pd.DataFrame(read_token_stats(db))


def _format_context(context: Any) -> str:
    turns = list(context) if isinstance(context, (list, tuple)) else [str(context)]
    speakers = ["Speaker", "Listener"]
    return "\n".join(f"{speakers[i % 2]}: {turn}" for i, turn in enumerate(turns))


def examples_table(
    db: str | Path, split: str | None = None, emotion: str | None = None, query: str = "", limit: int = 50
) -> pd.DataFrame:
    """Context/response pairs matching the filters and the search text."""
    import pandas as pd

    from coach.data.store import search_examples

    found = search_examples(
        db,
        split=_split(split),
        emotion=None if emotion in (None, "", ALL) else emotion,
        query=query.strip() or None,
        limit=limit,
    )
    rows = [
        {
            "split": ex.split,
            "emotion": ex.emotion,
            "situation": ex.situation,
            "context": _format_context(ex.context),
            "response": ex.response,
        }
        for ex in found
    ]
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def build_dataset_tab(settings: Settings, tab: gr.Tab | None = None) -> None:
    """Lay out the dataset explorer; it loads when its tab is first opened (or at page load without a tab)."""
    with gr.Row():
        source = gr.Markdown("The dataset loads when this tab opens.")
        refresh = gr.Button("Reload", size="sm", scale=0)
    with gr.Row():
        split = gr.Dropdown(SPLITS, value=ALL, label="Split")
        emotion = gr.Dropdown([ALL], value=ALL, label="Emotion")
    with gr.Row():
        context_plot = gr.Plot(label="Context length")
        response_plot = gr.Plot(label="Response length")
    emotion_plot = gr.Plot(label="Emotions")
    with gr.Accordion("Token statistics", open=False):
        stats = gr.Dataframe(interactive=False, wrap=True)
    gr.Markdown("### Browse examples")
    with gr.Row():
        query = gr.Textbox(label="Search context and response", placeholder="e.g. exam", scale=4)
        limit = gr.Slider(5, 200, value=25, step=5, label="Rows", scale=1)
    table = gr.Dataframe(
        headers=TABLE_COLUMNS,
        interactive=False,
        wrap=True,
        column_widths=["7%", "9%", "20%", "34%", "30%"],
        elem_id="coach-examples",
    )

    def _db() -> Path:
        return resolve_db(settings)

    def load(split_value: str, emotion_value: str, query_value: str, limit_value: float):
        try:
            from coach.data.store import list_emotions

            db = _db()
            choices = [ALL, *list_emotions(db)]
            emotion_value = emotion_value if emotion_value in choices else ALL
            plots = figures(db, split_value, emotion_value)
            rows = examples_table(db, split_value, emotion_value, query_value or "", int(limit_value))
            note = f"Source: `{db}`"
            return (note, gr.update(choices=choices, value=emotion_value), *plots, stats_table(db), rows)
        except CoachError as err:
            return (f"Could not read the dataset: {err}", gr.update(), None, None, None, None, None)
        except Exception as err:  # never a traceback in the UI
            log.exception("dataset tab failed")
            return (f"Could not read the dataset ({type(err).__name__}).", gr.update(), None, None, None, None, None)

    def update(split_value: str, emotion_value: str, query_value: str, limit_value: float):
        try:
            db = _db()
            rows = examples_table(db, split_value, emotion_value, query_value or "", int(limit_value))
            return (*figures(db, split_value, emotion_value), rows)
        except CoachError as err:
            gr.Warning(str(err))
            return gr.update(), gr.update(), gr.update(), gr.update()
        except Exception as err:
            log.exception("dataset tab failed")
            gr.Warning(f"Could not read the dataset ({type(err).__name__}).")
            return gr.update(), gr.update(), gr.update(), gr.update()

    def search(split_value: str, emotion_value: str, query_value: str, limit_value: float):
        try:
            return examples_table(_db(), split_value, emotion_value, query_value or "", int(limit_value))
        except CoachError as err:
            gr.Warning(str(err))
            return gr.update()
        except Exception as err:
            log.exception("dataset search failed")
            gr.Warning(f"Could not search the dataset ({type(err).__name__}).")
            return gr.update()

    inputs = [split, emotion, query, limit]
    loaded = [source, emotion, context_plot, response_plot, emotion_plot, stats, table]
    triggers = [refresh.click] + ([tab.select] if tab is not None else [])
    gr.on(triggers, load, inputs, loaded, api_visibility="private")
    for control in (split, emotion):
        control.input(update, inputs, [context_plot, response_plot, emotion_plot, table], api_visibility="private")
    query.submit(search, inputs, table, api_visibility="private")
    limit.release(search, inputs, table, api_visibility="private")
