"""The data pipeline: a dialogue source -> cleaned conversations -> examples -> the SQLite store.

`prepare(source, db)` runs it (the `python -m coach prepare` command); `default_db()` is the store built
from the bundled sample, used wherever no database is configured. Only the standard library is imported
here: the steps load their libraries when they run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections import Counter
from importlib.resources import files
from pathlib import Path

from coach.errors import CoachError

log = logging.getLogger(__name__)


def sample_dir() -> Path:
    """The bundled sample: `train/valid/test.jsonl` in the hub schema, shipped inside the package."""
    return Path(str(files("coach.data") / "sample"))


def prepare(source: str | Path, db: str | Path, tokenizer: str | None = None) -> dict:
    """Load, clean, build examples, count tokens and write the store atomically. Returns the summary."""
    from coach.data import clean, examples, load, stats, store

    start = time.perf_counter()
    loaded = load.load_source(str(source))
    skipped: Counter[str] = Counter(loaded.skipped)
    turns_changed: Counter[str] = Counter()
    kept: list[clean.Conversation] = []
    built: list[list[store.Example]] = []
    seen: set[str] = set()
    for raw in loaded.conversations:
        if raw.conv_id in seen:  # one conversation, one split: the first occurrence wins
            skipped["duplicate_conv_id"] += 1
            continue
        seen.add(raw.conv_id)
        conv, changes = clean.clean_conversation(raw)
        turns_changed.update(changes)
        conv_examples = examples.build_examples(conv)
        if not conv_examples:
            skipped["broken_conversation"] += 1  # no assistant turn answers a user turn: no example
            continue
        kept.append(conv)
        built.append(conv_examples)
    if not kept:
        reasons = ", ".join(f"{reason}: {n}" for reason, n in sorted(skipped.items()))
        raise CoachError(f"no usable conversation in {source}" + (f" (skipped {reasons})" if reasons else ""))
    # store order: train, valid, test, and source order within each split (a stable sort)
    order = sorted(range(len(kept)), key=lambda i: load.SPLITS.index(kept[i].split))
    kept, built = [kept[i] for i in order], [built[i] for i in order]
    log.info("%d conversations, %d examples; counting tokens", len(kept), sum(map(len, built)))

    counter = stats.load_counter(tokenizer)
    flat = [e for conv_examples in built for e in conv_examples]
    lengths = stats.example_lengths(kept, built, counter)
    token_stats = stats.token_stats([e.split for e in flat], lengths, counter.name)

    splits = {
        split: {
            "conversations": sum(c.split == split for c in kept),
            "examples": sum(e.split == split for e in flat),
        }
        for split in load.SPLITS
    }
    summary = {
        "source": str(source),
        "format": loaded.format,
        "splits": splits,
        "skipped": dict(sorted(skipped.items())),
        "turns_changed": dict(sorted(turns_changed.items())),
        "tokenizer": counter.name,
    }
    meta = {
        "source": str(source),
        "format": loaded.format,
        "tokenizer": counter.name,
        "summary": json.dumps(summary, sort_keys=True),
    }
    path = store.write_db(db, kept, flat, lengths, token_stats, meta)
    return {**summary, "db": str(path), "seconds": round(time.perf_counter() - start, 3)}


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coach"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / "coach-cache"  # e.g. a read-only home on a hosted Space
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def default_db() -> Path:
    """A store built from the bundled sample on first use, cached under ~/.cache/coach/ by the sample's hash."""
    from coach.data import stats, store

    sample = sample_dir()
    parts = sorted(sample.glob("*.jsonl"))
    if not parts:
        raise CoachError(f"the bundled sample is missing: no .jsonl files in {sample}")
    digest = hashlib.sha256(f"schema {store.SCHEMA_VERSION}\n".encode())
    for part in parts:
        digest.update(part.name.encode() + b"\0" + part.read_bytes() + b"\0")
    # the counting tokenizer changes the stored statistics, so it is part of the key
    digest.update(b"flan-t5" if stats.flan_t5_cached() else b"minilm")
    path = _cache_dir() / f"sample-{digest.hexdigest()[:16]}.db"
    if not path.is_file():
        log.info("building the sample store at %s", path)
        prepare(sample, path)
    return path
