"""`python -m coach safety-check`: run the crisis detector over conversations in a jsonl file (or the bundled corpus).

Input lines `{"id", "turns": [user turns, oldest first]}`; output lines `{"id", "crisis", "category", "score"}`:
would the app be in crisis mode after the last turn (the turns are replayed through `assess` with its state).
With `--report`, lines that carry `crisis` (and `category`, `family`, `hard`) labels are scored: recall, precision
and false-positive rate overall, per category and per family, as a table and JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coach.errors import CoachError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", help="jsonl of {id, turns: [user turns]} (optionally with crisis/category labels)")
    parser.add_argument("--output", help="jsonl to write {id, crisis, category, score} lines to")
    parser.add_argument(
        "--corpus",
        choices=["train", "dev", "test", "all"],
        help="run over the bundled labelled corpus split instead of --input",
    )
    parser.add_argument("--report", action="store_true", help="print recall, precision and FPR against the labels")
    parser.add_argument("--json", dest="json_out", help="also write the --report summary as JSON to this file")


def read_input(path: str) -> list[dict]:
    p = Path(path)
    if not p.is_file():
        raise CoachError(f"input file not found: {path}")
    rows = []
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CoachError(f"cannot read {path}: {err}") from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise CoachError(f"{path} line {n} is not valid JSON ({err.msg})") from None
        if not isinstance(row, dict):
            raise CoachError(f"{path} line {n} is not a JSON object")
        turns = row.get("turns")
        if not isinstance(turns, list) or not turns or not all(isinstance(t, str) for t in turns):
            raise CoachError(f"{path} line {n}: 'turns' must be a non-empty list of strings")
        if "id" not in row:
            raise CoachError(f"{path} line {n}: missing 'id'")
        rows.append(row)
    if not rows:
        raise CoachError(f"{path} holds no conversations")
    return rows


def corpus_rows(split: str) -> list[dict]:
    from coach.safety.corpus import load_corpus

    rows = [
        {
            "id": c.id,
            "turns": list(c.turns),
            "crisis": c.crisis,
            "category": c.category,
            "family": c.family,
            "hard": c.hard,
        }
        for c in load_corpus(split)
    ]
    if not rows:
        raise CoachError("the bundled safety corpus is empty or missing (coach/safety/data/corpus/)")
    return rows


def check(rows: list[dict]) -> list[dict]:
    from coach.safety import assess

    results = []
    for row in rows:
        assessment, _state = assess(row["turns"])
        results.append(
            {
                "id": row["id"],
                "crisis": assessment.crisis,
                "category": assessment.category if assessment.crisis else None,
                "score": round(float(assessment.score), 4),
            }
        )
    return results


def summarize(rows: list[dict], results: list[dict]) -> dict:
    from coach.safety.metrics import Labelled, report

    labelled = [
        Labelled(
            id=str(row["id"]),
            crisis=bool(row["crisis"]),
            category=row.get("category"),
            family=str(row.get("family") or "unlabelled"),
            hard=bool(row.get("hard", not row["crisis"])),
            predicted=res["crisis"],
            predicted_category=res["category"],
        )
        for row, res in zip(rows, results, strict=True)
        if "crisis" in row
    ]
    if not labelled:
        raise CoachError("--report needs input lines with a 'crisis' label")
    return report(labelled)


def aggregate_only(summary: dict) -> dict:
    """The summary without item ids or per-family rows: what the test split may show. It is never used to tune
    anything, and a list of the items it misses is one look away from tuning against them."""

    def strip(block: dict) -> dict:
        return {k: v for k, v in block.items() if k not in ("missed", "false_positives")}

    return {
        "overall": strip(summary["overall"]),
        "hard_negatives": summary["hard_negatives"],
        "per_category": {k: strip(v) for k, v in summary["per_category"].items()},
        "per_family": {},
    }


def run(args: argparse.Namespace) -> int:
    from coach.safety import classifier

    if bool(args.input) == bool(args.corpus):
        raise CoachError("give exactly one of --input FILE or --corpus SPLIT")
    if args.input and not args.output and not args.report:
        raise CoachError("give --output FILE (and/or --report)")
    rows = read_input(args.input) if args.input else corpus_rows(args.corpus)
    if not classifier.classifier_available():
        print("warning: classifier unavailable, rules only", file=sys.stderr)
    results = check(rows)
    if args.output:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as f:
            for res in results:
                f.write(json.dumps(res, ensure_ascii=False) + "\n")
    if args.report or args.corpus:
        from coach.safety.metrics import table

        summary = summarize(rows, results)
        if args.corpus == "test":
            summary = aggregate_only(summary)
        print(table(summary))
        print(json.dumps({k: summary[k] for k in ("overall", "hard_negatives")}, indent=2))
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0
