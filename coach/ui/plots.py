"""Plotly figures built from evaluation rows (the lines of a run's examples.jsonl).

The app's Evaluation tab shows them and `coach evaluate` saves them as HTML, so both always draw the same thing.
Every function takes `runs`: run name -> list of example rows; several runs are overlaid for comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import plotly.graph_objects as go

Rows = Sequence[Mapping[str, Any]]

LABELS = {
    "rouge_l": "ROUGE-L F1",
    "semantic_similarity": "semantic similarity (cosine, all-MiniLM-L6-v2)",
    "length_words": "reply length (words)",
}
_LAYOUT = {"margin": {"l": 40, "r": 10, "t": 50, "b": 40}, "height": 360, "legend": {"orientation": "h", "y": -0.2}}


def _empty(title: str) -> go.Figure:
    import plotly.graph_objects as go

    return go.Figure().update_layout(title=f"{title} (no runs selected)", **_LAYOUT)


def metric_histogram(runs: Mapping[str, Rows], metric: str, bins: int = 20) -> go.Figure:
    """Histogram of one per-example metric, one overlaid trace per run."""
    import plotly.graph_objects as go

    label = LABELS.get(metric, metric)
    if not runs:
        return _empty(label)
    fig = go.Figure()
    for name, rows in runs.items():
        values = [row[metric] for row in rows if row.get(metric) is not None]
        fig.add_trace(go.Histogram(x=values, name=name, opacity=0.6, nbinsx=bins))
    fig.update_layout(barmode="overlay", title=label, xaxis_title=label, yaxis_title="examples", **_LAYOUT)
    return fig


def length_histogram(runs: Mapping[str, Rows], bins: int = 30) -> go.Figure:
    """Reply lengths in words per run, with the references' lengths for scale."""
    import plotly.graph_objects as go

    from coach.metrics import words

    title = LABELS["length_words"]
    if not runs:
        return _empty(title)
    fig = go.Figure()
    first = next(iter(runs.values()))
    fig.add_trace(
        go.Histogram(x=[len(words(r["reference"])) for r in first], name="references", opacity=0.45, nbinsx=bins)
    )
    for name, rows in runs.items():
        fig.add_trace(go.Histogram(x=[r["length_words"] for r in rows], name=name, opacity=0.6, nbinsx=bins))
    fig.update_layout(barmode="overlay", title=title, xaxis_title="words", yaxis_title="examples", **_LAYOUT)
    return fig


def emotion_means(runs: Mapping[str, Rows], metric: str = "semantic_similarity") -> go.Figure:
    """Mean of a metric per emotion label, one bar group per run (emotions sorted by the first run's mean)."""
    import plotly.graph_objects as go

    label = LABELS.get(metric, metric)
    title = f"Mean {label} per emotion"
    if not runs:
        return _empty(title)
    means: dict[str, dict[str, float]] = {}
    for name, rows in runs.items():
        groups: dict[str, list[float]] = {}
        for row in rows:
            if row.get(metric) is not None:
                groups.setdefault(row.get("emotion") or "unknown", []).append(float(row[metric]))
        means[name] = {emotion: sum(v) / len(v) for emotion, v in groups.items()}
    first = next(iter(means.values()))
    order = sorted(first, key=lambda e: -first[e])
    fig = go.Figure()
    for name, by_emotion in means.items():
        fig.add_trace(go.Bar(x=order, y=[by_emotion.get(e) for e in order], name=name))
    fig.update_layout(barmode="group", title=title, yaxis_title=label, **_LAYOUT)
    fig.update_xaxes(tickangle=-45)
    return fig


def run_figures(runs: Mapping[str, Rows]) -> dict[str, go.Figure]:
    """Every figure of a run (or runs), keyed by the file stem `coach evaluate` saves it under."""
    return {
        "rouge_l_hist": metric_histogram(runs, "rouge_l"),
        "semantic_similarity_hist": metric_histogram(runs, "semantic_similarity"),
        "length_hist": length_histogram(runs),
        "emotion_rouge_l": emotion_means(runs, "rouge_l"),
        "emotion_semantic_similarity": emotion_means(runs, "semantic_similarity"),
    }


def write_plots(runs: Mapping[str, Rows], out_dir: str | Path) -> list[Path]:
    """Save `run_figures` as HTML under out_dir; plotly.js is written once beside them, so they open offline."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, fig in run_figures(runs).items():
        path = out / f"{stem}.html"
        fig.write_html(path, include_plotlyjs="directory", full_html=True)
        paths.append(path)
    return paths
