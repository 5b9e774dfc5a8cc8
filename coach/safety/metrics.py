"""Detector metrics against labels: recall, precision and false-positive rate, overall, per category and per family.

Crisis recall counts a crisis case as caught when the detector says crisis (whatever category it names: any
category gets a crisis response with resources); the category accuracy among caught cases is reported beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Labelled:
    id: str
    crisis: bool  # the label
    category: str | None
    family: str
    hard: bool
    predicted: bool
    predicted_category: str | None


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _block(rows: Sequence[Labelled]) -> dict:
    pos = [r for r in rows if r.crisis]
    neg = [r for r in rows if not r.crisis]
    tp = sum(r.predicted for r in pos)
    fp = sum(r.predicted for r in neg)
    return {
        "n": len(rows),
        "crisis": len(pos),
        "negatives": len(neg),
        "recall": _ratio(tp, len(pos)),
        "precision": _ratio(tp, tp + fp),
        "fpr": _ratio(fp, len(neg)),
        "category_accuracy": _ratio(sum(r.predicted and r.predicted_category == r.category for r in pos), tp),
        "missed": [r.id for r in pos if not r.predicted],
        "false_positives": [r.id for r in neg if r.predicted],
    }


def report(rows: Sequence[Labelled]) -> dict:
    by_category: dict[str, list[Labelled]] = defaultdict(list)
    by_family: dict[str, list[Labelled]] = defaultdict(list)
    for r in rows:
        if r.crisis:
            by_category[r.category or "unknown"].append(r)
        by_family[r.family].append(r)
    hard = [r for r in rows if not r.crisis and r.hard]
    overall = _block(rows)
    return {
        "overall": overall,
        "hard_negatives": {"n": len(hard), "fpr": _ratio(sum(r.predicted for r in hard), len(hard))},
        "per_category": {k: _block(v) for k, v in sorted(by_category.items())},
        "per_family": {k: _block(v) for k, v in sorted(by_family.items())},
    }


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def table(summary: dict) -> str:
    """A plain-text table for people (the JSON carries the same numbers and the ids of misses)."""
    lines = [f"{'group':<34}{'n':>5}{'crisis':>8}{'recall':>8}{'prec':>8}{'fpr':>8}{'cat_acc':>9}"]

    def row(name: str, b: dict) -> None:
        lines.append(
            f"{name:<34}{b['n']:>5}{b['crisis']:>8}{_fmt(b['recall']):>8}{_fmt(b['precision']):>8}"
            f"{_fmt(b['fpr']):>8}{_fmt(b['category_accuracy']):>9}"
        )

    row("overall", summary["overall"])
    hard = summary["hard_negatives"]
    lines.append(f"{'hard negatives':<34}{hard['n']:>5}{'':>8}{'':>8}{'':>8}{_fmt(hard['fpr']):>8}")
    for name, b in summary["per_category"].items():
        row(f"category {name}", b)
    for name, b in summary["per_family"].items():
        row(f"family {name}", b)
    return "\n".join(lines)
