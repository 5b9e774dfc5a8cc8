"""One settings object for the app and the CLI. Environment variables `COACH_<FIELD>` override the defaults;
command-line flags override both (see `app.py`). Every field says what it does."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from coach.errors import CoachError

DEFAULT_HUB_MODEL = "google/flan-t5-small"
LOCAL_MODEL_DIR = Path("models/coach-flan-t5-small")


def _default_model() -> str:
    # A model trained locally wins over the hub id, so `make run` after training just works.
    return str(LOCAL_MODEL_DIR) if (LOCAL_MODEL_DIR / "config.json").exists() else DEFAULT_HUB_MODEL


@dataclass
class Settings:
    model: str = field(
        default_factory=_default_model,
        metadata={"help": "model dir or hub id (default: models/coach-flan-t5-small if trained, else the hub id)"},
    )
    adapter: str | None = field(default=None, metadata={"help": "optional PEFT (LoRA) adapter dir"})
    backend: str = field(
        default="auto", metadata={"help": "generation backend: auto (fastest installed on CPU), torch, ct2, retrieval"}
    )
    db: str | None = field(
        default=None, metadata={"help": "SQLite store from `coach prepare` (default: the bundled sample)"}
    )
    runs: str = field(default="runs", metadata={"help": "directory of evaluation runs"})
    locale: str = field(default="US", metadata={"help": "country code choosing crisis resources (US: 988)"})
    max_new_tokens: int = field(default=64, metadata={"help": "longest reply, in tokens"})
    max_message_chars: int = field(default=2000, metadata={"help": "longer chat messages are refused"})
    concurrency: int = field(
        default=8, metadata={"help": "chat requests served at once; the micro-batcher decodes them together"}
    )
    max_queue: int = field(default=32, metadata={"help": "requests waiting in the app's queue before refusing"})
    offline: bool = field(
        default=False, metadata={"help": "skip the generative model; answer with the retrieval responder"}
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then `COACH_*` variables, then explicit overrides (None means 'not given')."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f"COACH_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _parse(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise CoachError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**values)


def _parse(f: dataclasses.Field, raw: str) -> object:
    kind = str(f.type)
    try:
        if kind.startswith("bool"):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind.startswith("int"):
            return int(raw)
    except ValueError:
        raise CoachError(f"COACH_{f.name.upper()} must be a whole number, got {raw!r}") from None
    return raw
