"""`python -m coach compare RUN RUN [...]`: evaluation runs side by side, with paired bootstrap intervals.

The first run is the baseline. Each other run is compared with it on the examples both scored (same ids, same
references): the difference of means, and a 95% interval from resampling those examples with their pairs kept.
A run is called better or worse only when that interval excludes 0; otherwise the difference is within noise.
The table goes to stderr and the JSON to stdout, so `compare a b > comparison.json` keeps clean JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from coach.errors import CoachError

# metric -> does higher mean better? (rates of repetition and blocked replies: lower is better)
METRICS: dict[str, bool] = {
    "rouge_l": True,
    "semantic_similarity": True,
    "distinct_2": True,
    "repetition": False,
    "blocked": False,
    "length_words": True,
}
NEUTRAL = ("length_words",)  # shown, never called better or worse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR", help="run directories; the first is the baseline")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the intervals")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    parser.add_argument("--json", dest="json_out", help="also write the JSON to this file")


def run(args: argparse.Namespace) -> int:
    if len(args.runs) < 2:
        raise CoachError("compare needs at least two run directories (the first is the baseline)")
    if args.bootstrap < 1:
        raise CoachError("--bootstrap must be at least 1")
    result = compare_runs(args.runs, resamples=args.bootstrap, seed=args.seed)
    print(format_table(result), file=sys.stderr)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json_out:
        Path(args.json_out).write_text(text + "\n", encoding="utf-8")
    return 0


def _values(rows: Sequence[dict], metric: str) -> list[float | None]:
    return [None if row.get(metric) is None else float(row[metric]) for row in rows]


def compare_runs(run_dirs: Sequence[str | Path], resamples: int = 1000, seed: int = 0) -> dict:
    """Each run's means on its own examples, and each run against the first on the shared examples."""
    from coach import metrics
    from coach.evaluate import read_run

    loaded = []
    for run_dir in run_dirs:
        summary, rows = read_run(run_dir)
        db = summary.get("data", {}).get("db")
        loaded.append((str(run_dir), summary.get("name") or Path(run_dir).name, {r["id"]: r for r in rows}, db))

    runs = []
    for path, name, by_id, _ in loaded:
        rows = list(by_id.values())
        means = {}
        for metric in METRICS:
            values = [v for v in _values(rows, metric) if v is not None]
            if values:
                means[metric] = metrics.bootstrap_mean(values, resamples, seed).as_dict()
        runs.append({"run": path, "name": name, "n": len(rows), "metrics": means})

    base_path, base_name, base, base_db = loaded[0]
    comparisons = []
    for path, name, other, db in loaded[1:]:
        shared = [i for i in base if i in other]
        if not shared:
            raise CoachError(
                f"{base_path} and {path} share no examples; evaluate both with the same --db, --split, --n and --seed"
            )
        mismatched = [i for i in shared if base[i].get("reference") != other[i].get("reference")]
        if mismatched:
            raise CoachError(
                f"{base_path} and {path} have different references for example {mismatched[0]}: "
                "they were evaluated on different data"
            )
        differences = {}
        for metric, higher_is_better in METRICS.items():
            a, b = _values([base[i] for i in shared], metric), _values([other[i] for i in shared], metric)
            pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
            if not pairs:
                continue
            xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
            diff = metrics.paired_bootstrap(xs, ys, resamples, seed)
            differences[metric] = {
                "baseline": sum(xs) / len(xs),
                "run": sum(ys) / len(ys),
                "difference": diff.as_dict(),
                "verdict": _verdict(diff, higher_is_better, metric in NEUTRAL),
                "pairs": len(pairs),
            }
        notes = []
        if len(shared) < max(len(base), len(other)):
            notes.append(f"only {len(shared)} of {len(base)} and {len(other)} examples are shared")
        if db != base_db:
            notes.append("the runs read different dataset stores")
        comparisons.append(
            {
                "notes": notes,
                "baseline": base_name,
                "run": name,
                "run_dir": path,
                "shared_examples": len(shared),
                "metrics": differences,
            }
        )
    return {
        "baseline": base_name,
        "runs": runs,
        "comparisons": comparisons,
        "bootstrap": {"resamples": resamples, "seed": seed, "confidence": metrics.CONFIDENCE, "paired": True},
    }


def _verdict(diff, higher_is_better: bool, neutral: bool) -> str:
    """'better' or 'worse' only when the interval excludes 0; else 'within noise'."""
    if not diff.excludes_zero():
        return "within noise"
    if neutral:
        return "longer" if diff.mean > 0 else "shorter"
    return "better" if (diff.mean > 0) == higher_is_better else "worse"


def format_table(result: dict) -> str:
    """A plain-text table: each run's means, then each difference from the baseline with its interval."""
    metric_names = list(METRICS)
    lines = []
    header = ["run", "n", *metric_names]
    table = [header]
    for run in result["runs"]:
        table.append(
            [run["name"], str(run["n"])]
            + [f"{run['metrics'][m]['mean']:.4f}" if m in run["metrics"] else "-" for m in metric_names]
        )
    lines += _columns(table)
    for comp in result["comparisons"]:
        lines.append("")
        lines.append(
            f"{comp['run']} - {comp['baseline']} on {comp['shared_examples']} shared examples "
            f"(paired bootstrap {int(result['bootstrap']['confidence'] * 100)}% interval):"
        )
        lines += [f"note: {note}" for note in comp.get("notes", [])]
        rows = [["metric", "difference", "interval", "verdict"]]
        for metric, item in comp["metrics"].items():
            d = item["difference"]
            rows.append([metric, f"{d['mean']:+.4f}", f"[{d['low']:+.4f}, {d['high']:+.4f}]", item["verdict"]])
        lines += _columns(rows)
    return "\n".join(lines)


def _columns(table: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
