"""`python -m coach evaluate`: score a model's replies on held-out dialogues, reproducibly.

A seeded sample of N examples from a split of the store is answered in batches through the same generator and
prompt builder as chat (`coach.backends.load_generator`), then scored per example (`coach.metrics`). The run lands
in `runs/<name>/` (or `--out`): `examples.jsonl` (one line per example), `summary.json` (means with bootstrap 95%
intervals, and everything needed to reproduce the run) and `plots/*.html` (`coach.ui.plots`, the figures the app's
Evaluation tab shows). The directory is built under a temporary name and renamed into place when complete, so a
failed run leaves nothing half-written.

Safety: crisis inputs are still sent to the model, so every run scores the same examples and stays comparable;
`safety_fired` records that the app would have answered with its crisis response instead. Reply checks are
recorded (`blocked`) but the metrics score the model's own text. `--no-safety` skips both checks.

Everything a user can get wrong (unknown split, N larger than the split, missing model, empty database, an
output path that is not a run) is checked before the model loads.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import CoachError

log = logging.getLogger(__name__)

BACKEND_CHOICES = ("torch", "ct2", "retrieval", "auto")
EXAMPLES_FILE = "examples.jsonl"
SUMMARY_FILE = "summary.json"
PLOTS_DIR = "plots"
# Per-example numbers summarised with a mean and a bootstrap interval (booleans become rates).
SUMMARY_METRICS = (
    "rouge_l",
    "semantic_similarity",
    "length_words",
    "num_tokens",
    "distinct_1",
    "distinct_2",
    "repetition",
    "blocked",
    "safety_fired",
    "latency_s",
)
SAFETY_NOTE = (
    "Crisis inputs were still sent to the model and are flagged (safety_fired), so runs score the same examples; "
    "in the app they would get the crisis response instead. Reply checks are recorded (blocked), not applied to "
    "the metrics."
)

Progress = Callable[[int, int], None]  # (examples done, total)


@dataclass(frozen=True)
class EvalOptions:
    """One evaluation run. `model=None` means the configured model (COACH_MODEL, else the trained or hub model)."""

    model: str | None = None
    adapter: str | None = None
    backend: str = "torch"  # the reference path; "auto" would change meaning as faster backends land
    db: str | None = None  # None: the bundled sample
    split: str = "valid"
    n: int = 200
    seed: int = 0  # picks the sample and seeds the bootstrap
    batch_size: int = 16
    max_new_tokens: int | None = None  # None: the chat's setting (COACH_MAX_NEW_TOKENS, default 64)
    num_beams: int = 1
    safety: bool = True
    bootstrap: int = 1000
    device: str | None = None
    retrieval_split: str = "train"  # what the retrieval baseline searches


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="model dir or hub id (default: COACH_MODEL, else the trained or hub model)")
    parser.add_argument("--adapter", help="PEFT (LoRA) adapter dir, merged into the model")
    parser.add_argument(
        "--backend", default="torch", choices=BACKEND_CHOICES, help="generation backend; retrieval is the baseline"
    )
    parser.add_argument("--db", help="SQLite store from `coach prepare` (default: the bundled sample)")
    parser.add_argument("--split", default="valid", help="split to sample from (train, valid, test)")
    parser.add_argument("--n", type=int, default=200, help="examples to sample")
    parser.add_argument("--seed", type=int, default=0, help="seed for the sample and the bootstrap")
    parser.add_argument("--batch-size", type=int, default=16, help="conversations decoded together")
    parser.add_argument("--max-new-tokens", type=int, help="longest reply in tokens (default: the chat's, 64)")
    parser.add_argument("--num-beams", type=int, default=1, help="beam search width (1: greedy, as in chat)")
    parser.add_argument("--no-safety", action="store_true", help="skip the crisis detector and reply checks")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the intervals")
    parser.add_argument("--device", help="cuda, mps or cpu (default: the best available)")
    parser.add_argument("--name", help="run name (default: made from model, backend, split, n and seed)")
    parser.add_argument("--out", help="run directory (default: runs/<name>, runs/ from COACH_RUNS)")


def run(args: argparse.Namespace) -> int:
    from coach.config import Settings

    settings = Settings.from_env()
    options = EvalOptions(
        model=args.model,
        adapter=args.adapter,
        backend=args.backend,
        db=args.db,
        split=args.split,
        n=args.n,
        seed=args.seed,
        batch_size=args.batch_size,
        max_new_tokens=args.max_new_tokens,
        num_beams=args.num_beams,
        safety=not args.no_safety,
        bootstrap=args.bootstrap,
        device=args.device,
    )
    out = Path(args.out) if args.out else Path(settings.runs) / (args.name or default_name(resolved(options)))
    summary = evaluate(options, out, name=args.name)
    brief = {
        "run": str(out),
        "n": summary["n"],
        **{k: summary["metrics"][k] for k in ("rouge_l", "semantic_similarity")},
        "distinct_2": summary["corpus"]["distinct_2"],
        "repetition_rate": summary["corpus"]["repetition_rate"],
        "examples_per_s": summary["timing"]["examples_per_s"],
    }
    print(json.dumps(brief, indent=2))
    return 0


def resolved(options: EvalOptions) -> EvalOptions:
    """Fill the settings-dependent defaults (model, max_new_tokens) from `coach.config.Settings`."""
    from coach.config import Settings

    settings = Settings.from_env()
    return dataclasses.replace(
        options,
        model=options.model or settings.model,
        max_new_tokens=options.max_new_tokens or settings.max_new_tokens,
    )


def default_name(options: EvalOptions) -> str:
    if options.backend == "retrieval":
        who = "retrieval"
    else:
        who = _slug(Path(str(options.model)).name) + (
            f"+{_slug(Path(options.adapter).name)}" if options.adapter else ""
        )
        who += f"-{options.backend}"
    return f"{who}-{options.split}-n{options.n}-seed{options.seed}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def example_id(example) -> str:
    """A stable id per example: the conversation and the number of turns before the reply."""
    return f"{example.conv_id}:{len(example.context)}"


def sample_examples(db: str | Path, split: str, n: int, seed: int) -> list:
    """N examples of a split, chosen by `seed` and independent of the store's row order; CoachError when short."""
    import random

    from coach.data.store import read_examples

    if n < 1:
        raise CoachError(f"--n must be at least 1, got {n}")
    examples = read_examples(db, split=split)
    if not examples:
        raise CoachError(f"the {split} split of {db} has no examples; prepare a dataset that has one")
    if n > len(examples):
        raise CoachError(
            f"--n {n} is larger than the {split} split ({len(examples)} examples); use --n {len(examples)}"
        )
    by_id = {example_id(e): e for e in examples}
    picked = random.Random(seed).sample(sorted(by_id), n)
    return [by_id[i] for i in picked]


def sample_hash(ids: Sequence[str]) -> str:
    """sha256 over the sampled ids, in order: two runs with the same hash scored the same examples."""
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()


def user_turns(context: Sequence[str]) -> list[str]:
    """The person's turns of a context (the last turn is theirs; turns alternate), oldest first."""
    return list(context[len(context) - 1 :: -2][::-1])


def evaluate(
    options: EvalOptions,
    out_dir: str | Path,
    name: str | None = None,
    progress: Progress | None = None,
    generator=None,
) -> dict:
    """Run one evaluation and write it to `out_dir`; returns the summary. `generator` reuses a loaded one."""
    from coach.backends.base import GenerationConfig

    options = resolved(options)
    _check_options(options)
    out = Path(out_dir)
    _check_out(out)
    db = _resolve_db(options.db)
    examples = sample_examples(db, options.split, options.n, options.seed)
    if generator is None:
        generator = _load_generator(options, db)
    config = GenerationConfig(max_new_tokens=options.max_new_tokens, num_beams=options.num_beams)

    started = time.time()
    began = time.perf_counter()
    flags = _safety_flags(examples) if options.safety else [None] * len(examples)
    generations, generation_s = _generate(generator, examples, config, options.batch_size, progress)
    rows = score(examples, generations, flags, options.safety)
    wall_s = time.perf_counter() - began

    summary = summarize(rows, resamples=options.bootstrap, seed=options.seed)
    summary.update(
        _provenance(options, generator, db, [r["id"] for r in rows], config, name or out.name),
        timing={
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
            "wall_s": round(wall_s, 3),
            "generation_s": round(generation_s, 3),
            "examples_per_s": round(len(rows) / wall_s, 3) if wall_s > 0 else None,
        },
    )
    write_run(out, rows, summary)
    log.info("wrote %s", out)
    return summary


def _check_options(options: EvalOptions) -> None:
    for flag in ("batch_size", "max_new_tokens", "num_beams", "bootstrap"):
        if getattr(options, flag) < 1:
            raise CoachError(f"--{flag.replace('_', '-')} must be at least 1")
    if options.n < 1:
        raise CoachError(f"--n must be at least 1, got {options.n}")
    if options.backend not in BACKEND_CHOICES:
        raise CoachError(f"unknown backend {options.backend!r}; choose one of: {', '.join(BACKEND_CHOICES)}")
    if options.backend != "retrieval":
        from coach.modeling import check_adapter, resolve_model

        model_ref = resolve_model(str(options.model))  # a missing model fails here, before anything loads
        if options.adapter:
            check_adapter(options.adapter, model_ref)


def _check_out(out: Path) -> None:
    """Refuse to replace anything but an earlier run."""
    if out.is_file():
        raise CoachError(f"--out {out} is a file; give a directory for the run")
    if out.is_dir() and any(out.iterdir()) and not (out / SUMMARY_FILE).is_file():
        raise CoachError(f"--out {out} is a non-empty directory that is not an evaluation run; choose another")


def _resolve_db(db: str | None) -> Path:
    if db:
        path = Path(db).expanduser()
        if not path.is_file():
            raise CoachError(f"no dataset store at {path}: run `python -m coach prepare --db {path}` first")
        return path
    from coach.data import default_db

    return default_db()


def _load_generator(options: EvalOptions, db: Path):
    from coach.backends import load_generator

    if options.backend == "retrieval":
        return load_generator(str(options.model), backend="retrieval", db=db, split=options.retrieval_split)
    extra: dict[str, Any] = {"batch_size": options.batch_size}
    if options.device:
        extra["device"] = options.device
    return load_generator(str(options.model), adapter=options.adapter, backend=options.backend, **extra)


def _safety_flags(examples: Sequence) -> list[tuple[bool, str | None]]:
    """Would the app be in crisis mode after each example's last user turn? (crisis, category)"""
    from coach import safety

    flags = []
    for example in examples:
        assessment, _ = safety.assess(user_turns(example.context))
        flags.append((bool(assessment.crisis), assessment.category))
    return flags


def _generate(generator, examples: Sequence, config, batch_size: int, progress: Progress | None):
    from tqdm.auto import tqdm

    generations = []
    began = time.perf_counter()
    with tqdm(total=len(examples), desc="evaluate", unit="ex", file=sys.stderr) as bar:
        for start in range(0, len(examples), batch_size):
            chunk = examples[start : start + batch_size]
            generations += generator.generate([list(e.context) for e in chunk], config)
            bar.update(len(chunk))
            if progress is not None:
                progress(len(generations), len(examples))
    return generations, time.perf_counter() - began


def score(examples: Sequence, generations: Sequence, flags: Sequence, safety_on: bool) -> list[dict]:
    """One row per example: the texts, the metrics and the safety flags (None where safety was off)."""
    from coach import metrics

    predictions = [g.text for g in generations]
    references = [e.response for e in examples]
    similarities = metrics.semantic_similarities(predictions, references)
    checker = None
    if safety_on:
        from coach.safety import check_reply as checker
    rows = []
    for example, gen, similarity, flag in zip(examples, generations, similarities, flags, strict=True):
        check = checker(gen.text) if checker else None
        rows.append(
            {
                "id": example_id(example),
                "conv_id": example.conv_id,
                "emotion": example.emotion,
                "context": list(example.context),
                "reference": example.response,
                "prediction": gen.text,
                "rouge_l": metrics.rouge_l(gen.text, example.response),
                "semantic_similarity": similarity,
                "length_words": len(metrics.words(gen.text)),
                "num_tokens": gen.num_tokens,
                "distinct_1": metrics.distinct_n(gen.text, 1),
                "distinct_2": metrics.distinct_n(gen.text, 2),
                "repetition": metrics.has_repetition(gen.text),
                "blocked": None if check is None else not check.ok,
                "block_reason": None if check is None else check.reason,
                "safety_fired": None if flag is None else flag[0],
                "safety_category": None if flag is None else flag[1],
                "latency_s": round(gen.latency_s, 6),
            }
        )
    return rows


def summarize(rows: Sequence[dict], resamples: int = 1000, seed: int = 0) -> dict:
    """Means with bootstrap 95% intervals, corpus-level diversity and repetition, and per-emotion means."""
    from coach import metrics

    summary_metrics = {}
    for key in SUMMARY_METRICS:
        values = [float(r[key]) for r in rows if r.get(key) is not None]
        if values:
            summary_metrics[key] = metrics.bootstrap_mean(values, resamples, seed).as_dict()
    predictions = [r["prediction"] for r in rows]
    references = [r["reference"] for r in rows]
    corpus = {
        "distinct_1": metrics.corpus_distinct_n(predictions, 1),
        "distinct_2": metrics.corpus_distinct_n(predictions, 2),
        "repetition_rate": sum(bool(r["repetition"]) for r in rows) / len(rows) if rows else None,
        # the same numbers for the references, for scale
        "reference_distinct_2": metrics.corpus_distinct_n(references, 2),
        "reference_repetition_rate": sum(metrics.has_repetition(t) for t in references) / len(rows) if rows else None,
        "reference_length_words": sum(len(metrics.words(t)) for t in references) / len(rows) if rows else None,
    }
    by_emotion: dict[str, dict] = {}
    for row in rows:
        group = by_emotion.setdefault(row["emotion"], {"n": 0, "rouge_l": 0.0, "semantic_similarity": 0.0})
        group["n"] += 1
        group["rouge_l"] += row["rouge_l"]
        group["semantic_similarity"] += row["semantic_similarity"]
    for group in by_emotion.values():
        group["rouge_l"] /= group["n"]
        group["semantic_similarity"] /= group["n"]
    return {
        "n": len(rows),
        "metrics": summary_metrics,
        "corpus": corpus,
        "by_emotion": dict(sorted(by_emotion.items())),
        "bootstrap": {"resamples": resamples, "seed": seed, "confidence": metrics.CONFIDENCE, "method": "percentile"},
    }


def _provenance(options: EvalOptions, generator, db: Path, ids: list[str], config, name: str) -> dict:
    """Everything needed to rerun and to trust the comparison of runs."""
    import coach

    meta: dict[str, str] = {}
    try:
        from coach.data.store import read_meta

        meta = read_meta(db)
    except (CoachError, ImportError) as err:
        log.warning("could not read the store's metadata: %s", err)
    model_path = None
    if options.backend != "retrieval":
        local = Path(str(options.model)).expanduser()
        model_path = str(local.resolve()) if local.is_dir() else None
    return {
        "name": name,
        "model": {
            "model": None if options.backend == "retrieval" else options.model,
            "model_path": model_path,
            "adapter": str(Path(options.adapter).resolve()) if options.adapter else None,
            "backend": getattr(generator, "name", options.backend),
            "description": getattr(generator, "description", ""),
            "retrieval_split": options.retrieval_split if options.backend == "retrieval" else None,
        },
        "decoding": {**dataclasses.asdict(config), "batch_size": options.batch_size},
        "data": {
            "db": str(db.resolve()),
            "source": meta.get("source"),
            "format": meta.get("format"),
            "split": options.split,
            "n": options.n,
            "seed": options.seed,
            "sample_hash": sample_hash(ids),
        },
        "safety": {"mode": "flag" if options.safety else "off", "note": SAFETY_NOTE if options.safety else None},
        "environment": _environment(),
        "command": _command(),
        "coach_version": coach.__version__,
    }


def _command() -> list[str]:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if program == "__main__.py":  # `python -m coach ...`
        return ["python", "-m", "coach", *sys.argv[1:]]
    return [program, *sys.argv[1:]]


def _environment() -> dict:
    import coach

    versions = {}
    for package in ("torch", "transformers", "peft", "sentence_transformers", "rouge_score", "ctranslate2"):
        try:
            from importlib.metadata import version

            versions[package] = version(package.replace("_", "-"))
        except Exception:  # not installed: the run simply doesn't depend on it
            versions[package] = None
    return {
        "coach_version": coach.__version__,
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": None if _git("rev-parse", "HEAD") is None else bool(_git("status", "--porcelain")),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }


def _git(*args: str) -> str | None:
    root = Path(__file__).resolve().parent.parent
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip()


def write_run(out: Path, rows: Sequence[dict], summary: dict) -> None:
    """Build the run in a temp dir beside `out` and swap it in: readers see the old run or the new, never half."""
    from coach.ui.plots import write_plots

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        with (tmp / EXAMPLES_FILE).open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        (tmp / SUMMARY_FILE).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        write_plots({summary.get("name") or out.name: rows}, tmp / PLOTS_DIR)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)  # put the earlier run back
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_run(run_dir: str | Path) -> tuple[dict, list[dict]]:
    """(summary, example rows) of a run directory; CoachError when it is not a complete run."""
    path = Path(run_dir)
    summary_file, examples_file = path / SUMMARY_FILE, path / EXAMPLES_FILE
    if not summary_file.is_file() or not examples_file.is_file():
        raise CoachError(f"{path} is not an evaluation run (no {SUMMARY_FILE} and {EXAMPLES_FILE} in it)")
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        with examples_file.open(encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    except (OSError, json.JSONDecodeError) as err:
        raise CoachError(f"{path} can't be read as an evaluation run: {err}") from None
    return summary, rows


def list_runs(runs_dir: str | Path) -> list[Path]:
    """Complete runs under `runs_dir`, newest first."""
    root = Path(runs_dir)
    if not root.is_dir():
        return []
    runs = [p for p in root.iterdir() if not p.name.startswith(".") and (p / SUMMARY_FILE).is_file()]
    return sorted(runs, key=lambda p: (p / SUMMARY_FILE).stat().st_mtime, reverse=True)
