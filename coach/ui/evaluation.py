"""The Evaluation tab: pick runs from `runs/`, see their score histograms, summary with intervals, best and worst
replies, and start a small evaluation of the app's own model with a progress bar.

Runs are what `python -m coach evaluate` writes; the figures come from `coach.ui.plots`, the same functions the
CLI saves as HTML. The table and figure builders are plain functions, tested without a browser. The tab reads
runs when it is opened (or on Refresh), so building the app stays instant.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from coach.config import Settings
from coach.errors import CoachError

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

RANK_METRICS = ["rouge_l", "semantic_similarity"]
SUMMARY_COLUMNS = ["run", "metric", "mean", "95% low", "95% high", "n"]
EXAMPLE_COLUMNS = ["rouge_l", "semantic_similarity", "emotion", "last user turn", "reference", "prediction"]
SHOWN_METRICS = [
    "rouge_l",
    "semantic_similarity",
    "distinct_2",
    "repetition",
    "length_words",
    "blocked",
    "safety_fired",
]
SMALL_RUN_MAX = 50


def run_names(runs_dir: str | Path) -> list[str]:
    """Names of the complete runs in `runs_dir`, newest first."""
    from coach.evaluate import list_runs

    return [p.name for p in list_runs(runs_dir)]


def load_runs(runs_dir: str | Path, names: Sequence[str]) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """(summaries, rows) of the named runs, by name, in the order given."""
    from coach.evaluate import read_run

    summaries, rows = {}, {}
    for name in names:
        summaries[name], rows[name] = read_run(Path(runs_dir) / name)
    return summaries, rows


def summary_table(summaries: dict[str, dict]) -> pd.DataFrame:
    """One row per run and metric: the mean and its bootstrap 95% interval, plus corpus-level numbers."""
    import pandas as pd

    table = []
    for name, summary in summaries.items():
        n = summary.get("n")
        for metric in SHOWN_METRICS:
            stats = summary.get("metrics", {}).get(metric)
            if stats:
                table.append([name, metric, stats["mean"], stats["low"], stats["high"], n])
        corpus = summary.get("corpus", {})
        for key in ("distinct_2", "repetition_rate"):
            if corpus.get(key) is not None:
                table.append([name, f"corpus {key}", corpus[key], None, None, n])
    frame = pd.DataFrame(table, columns=SUMMARY_COLUMNS)
    return frame.round(4)


def extremes(rows: Sequence[dict], metric: str = "rouge_l", k: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The k best and k worst examples of a run by `metric` (ties keep file order)."""
    import pandas as pd

    def frame(chosen: Sequence[dict]) -> pd.DataFrame:
        records = [
            [
                round(r["rouge_l"], 4),
                round(r["semantic_similarity"], 4),
                r.get("emotion", ""),
                (r.get("context") or [""])[-1],
                r["reference"],
                r["prediction"],
            ]
            for r in chosen
        ]
        return pd.DataFrame(records, columns=EXAMPLE_COLUMNS)

    ranked = sorted(rows, key=lambda r: r[metric], reverse=True)
    return frame(ranked[:k]), frame(list(reversed(ranked[-k:])) if ranked else [])


def view(runs_dir: str | Path, names: Sequence[str], metric: str = "rouge_l") -> tuple:
    """Everything the tab shows for a selection: note, summary table, 4 figures, best and worst of the first run."""
    from coach.ui import plots

    summaries, rows = load_runs(runs_dir, names)
    figures = (
        plots.metric_histogram(rows, "rouge_l"),
        plots.metric_histogram(rows, "semantic_similarity"),
        plots.length_histogram(rows),
        plots.emotion_means(rows, metric),
    )
    if names:
        best, worst = extremes(rows[names[0]], metric)
        first = summaries[names[0]]
        model = first.get("model", {})
        data = first.get("data", {})
        who = model.get("description") or model.get("backend")
        note = (
            f"Best and worst by {metric} are from **{names[0]}**: {who}, "
            f"{data.get('split')} split, n={first.get('n')}, seed {data.get('seed')}."
        )
        if first.get("safety", {}).get("note"):
            note += " " + first["safety"]["note"]
    else:
        best, worst = extremes([], metric)
        note = "No run selected. Run `python -m coach evaluate`, or start a small evaluation below."
    return note, summary_table(summaries), *figures, best, worst


def small_run_options(settings: Settings, n: int, split: str):
    """The evaluation the tab starts: the app's model, adapter, backend and store, safety flags on."""
    from coach.evaluate import EvalOptions

    backend = "retrieval" if settings.offline else ("torch" if settings.backend == "auto" else settings.backend)
    return EvalOptions(
        model=settings.model,
        adapter=settings.adapter,
        backend=backend,
        db=settings.db,
        split=split,
        n=int(n),
        seed=0,
        batch_size=8,
        max_new_tokens=settings.max_new_tokens,
    )


def run_small_evaluation(settings: Settings, n: int, split: str, progress: Any = None) -> str:
    """Evaluate the app's model on n examples into `runs/ui-<time>-<name>`; returns the run's name."""
    from coach.evaluate import default_name, evaluate, resolved

    options = small_run_options(settings, n, split)
    name = f"ui-{time.strftime('%Y%m%d-%H%M%S')}-{default_name(resolved(options))}"

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(done / total, desc=f"{done}/{total} examples")

    if progress is not None:
        progress(0.0, desc="loading the model")
    evaluate(options, Path(settings.runs) / name, name=name, progress=report)
    return name


def build_evaluation_tab(settings: Settings) -> None:
    """Lay out the tab (inside the app's gr.Tab); runs load when the tab is selected or on Refresh."""
    from gradio.context import get_render_context

    runs_dir = Path(settings.runs)
    gr.Markdown(
        "Scores of evaluation runs on held-out dialogues (`python -m coach evaluate`, saved under "
        f"`{runs_dir}/`). ROUGE-L and semantic similarity compare each reply with the listener's real reply; "
        "intervals are bootstrap 95%. Use `python -m coach compare` for paired differences between runs."
    )
    with gr.Row():
        runs = gr.Dropdown([], value=[], multiselect=True, label="Runs", scale=4)
        metric = gr.Dropdown(RANK_METRICS, value="rouge_l", label="Rank examples by", scale=1)
        refresh = gr.Button("Refresh", size="sm", scale=0)
    note = gr.Markdown()
    summary = gr.Dataframe(headers=SUMMARY_COLUMNS, interactive=False, label="Summary")
    with gr.Row():
        rouge_plot = gr.Plot(label="ROUGE-L")
        similarity_plot = gr.Plot(label="Semantic similarity")
    with gr.Row():
        length_plot = gr.Plot(label="Length")
        emotion_plot = gr.Plot(label="Per emotion")
    with gr.Accordion("Best examples", open=False):
        best = gr.Dataframe(headers=EXAMPLE_COLUMNS, interactive=False, wrap=True)
    with gr.Accordion("Worst examples", open=False):
        worst = gr.Dataframe(headers=EXAMPLE_COLUMNS, interactive=False, wrap=True)
    with gr.Accordion("Run a small evaluation", open=False):
        gr.Markdown(
            f"Evaluates the app's model (`{settings.model}`, backend {settings.backend}"
            + (", offline: the retrieval responder" if settings.offline else "")
            + ") on a seeded sample of the dataset, with the chat's decoding settings. It runs on this machine and "
            "can take a few minutes."
        )
        with gr.Row():
            n = gr.Slider(5, SMALL_RUN_MAX, value=20, step=5, label="Examples")
            split = gr.Dropdown(["valid", "test"], value="valid", label="Split")
            start = gr.Button("Evaluate", variant="primary")
        run_status = gr.Markdown()

    outputs = [note, summary, rouge_plot, similarity_plot, length_plot, emotion_plot, best, worst]

    def show(selected: list[str] | None, rank_by: str):
        try:
            return view(runs_dir, list(selected or []), rank_by)
        except CoachError as err:
            gr.Warning(str(err))
        except Exception as err:  # never a traceback in the UI
            log.exception("evaluation view failed")
            gr.Warning(f"Could not show the runs ({type(err).__name__}).")
        return (gr.update(),) * len(outputs)

    def reload(selected: list[str] | None, rank_by: str):
        names = run_names(runs_dir)
        keep = [s for s in (selected or []) if s in names] or names[:1]
        return gr.update(choices=names, value=keep), *show(keep, rank_by)

    def start_run(selected: list[str] | None, rank_by: str, count: float, split_name: str, progress=gr.Progress()):
        try:
            name = run_small_evaluation(settings, int(count), split_name, progress)
        except CoachError as err:
            return f"Could not evaluate: {err}", gr.update(), *(gr.update(),) * len(outputs)
        except Exception as err:
            log.exception("evaluation from the tab failed")
            return f"Could not evaluate ({type(err).__name__}: {err}).", gr.update(), *(gr.update(),) * len(outputs)
        names = run_names(runs_dir)
        keep = [name, *[s for s in (selected or []) if s in names and s != name]]
        return f"Finished **{name}**.", gr.update(choices=names, value=keep), *show(keep, rank_by)

    triggers = [refresh.click]
    parent = get_render_context()
    if isinstance(parent, gr.Tab):  # load when the person opens the tab, not while the app builds
        triggers.append(parent.select)
    gr.on(triggers, reload, [runs, metric], [runs, *outputs], api_visibility="private")
    gr.on([runs.input, metric.input], show, [runs, metric], outputs, api_visibility="private")
    from coach.ui.app import MODEL_CONCURRENCY_ID

    start.click(
        start_run,
        [runs, metric, n, split],
        [run_status, runs, *outputs],
        api_visibility="private",
        concurrency_id=MODEL_CONCURRENCY_ID,
        concurrency_limit=settings.concurrency,
    )
