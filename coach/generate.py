"""`python -m coach generate`: replies for conversations in a jsonl file, through the safety layer by default.

Input lines: `{"id", "turns": [user, assistant, user, ...]}` (oldest first, ending with the user's turn).
Output lines: `{"id", "response", "num_tokens", "latency_s", "crisis", "category", "blocked", "source"}`, in input
order. With safety on, a conversation in crisis gets the crisis response and no model call (`source: "crisis"`,
`num_tokens: 0`), and every model reply goes through `safety.check_reply` (`blocked: true` when it was replaced).
With `--no-safety`, `crisis`, `category` and `blocked` are null. The whole input is checked before the model
loads, and the output is written atomically (a failed run leaves no partial file).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from coach.backends import BACKENDS
from coach.errors import CoachError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Item:
    id: str | int
    turns: tuple[str, ...]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="model dir or hub id (default: COACH_MODEL, else the trained or hub model)")
    parser.add_argument("--adapter", help="PEFT (LoRA) adapter dir, merged into the model")
    parser.add_argument(
        "--backend", default="torch", choices=BACKENDS, help="generation backend (auto: fastest installed)"
    )
    parser.add_argument("--no-safety", action="store_true", help="skip crisis detection and reply checks")
    parser.add_argument("--max-new-tokens", type=int, default=64, help="longest reply, in tokens")
    parser.add_argument("--num-beams", type=int, default=1, help="beam search width (1: greedy or sampling)")
    parser.add_argument("--do-sample", action="store_true", help="sample (temperature 0.7, top-p 0.9)")
    parser.add_argument("--seed", type=int, help="random seed for sampling")
    parser.add_argument("--batch-size", type=int, default=8, help="conversations decoded together")
    parser.add_argument("--device", help="cuda, mps or cpu (default: the best available)")
    parser.add_argument("--locale", help="country code choosing crisis resources (default: COACH_LOCALE, else US)")
    parser.add_argument("--input", required=True, help="jsonl: {id, turns}")
    parser.add_argument("--output", required=True, help="jsonl written atomically: {id, response, ...}")


def run(args: argparse.Namespace) -> int:
    from coach.backends.base import GenerationConfig
    from coach.config import Settings

    for flag in ("max_new_tokens", "num_beams", "batch_size"):
        if getattr(args, flag) < 1:
            raise CoachError(f"--{flag.replace('_', '-')} must be at least 1")
    items = read_items(args.input)
    settings = Settings.from_env(model=args.model, adapter=args.adapter, locale=args.locale)
    config = GenerationConfig(
        max_new_tokens=args.max_new_tokens, num_beams=args.num_beams, do_sample=args.do_sample, seed=args.seed
    )
    output = Path(args.output)
    if output.exists() and output.is_dir():
        raise CoachError(f"--output {output} is a directory; give a file path")

    rows = generate_rows(
        items,
        model=settings.model,
        adapter=settings.adapter,
        backend=args.backend,
        config=config,
        safety_on=not args.no_safety,
        locale=settings.locale,
        batch_size=args.batch_size,
        device=args.device,
    )
    write_jsonl_atomic(output, rows)
    summary = {
        "output": str(output),
        "conversations": len(rows),
        "crisis": sum(bool(r["crisis"]) for r in rows),
        "blocked": sum(bool(r["blocked"]) for r in rows),
        "generated_tokens": sum(r["num_tokens"] for r in rows),
        "model_seconds": round(sum(r["latency_s"] for r in rows if r["source"] != "crisis"), 3),
    }
    print(json.dumps(summary))
    return 0


def read_items(path: str | Path) -> list[Item]:
    """Every line checked before any work: a problem is one CoachError naming the file and line."""
    path = Path(path)
    if not path.is_file():
        raise CoachError(f"input file {path} does not exist")
    items: list[Item] = []
    seen: set = set()
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise CoachError(f"{where}: not valid JSON ({err.msg})") from None
            if not isinstance(record, dict):
                raise CoachError(f'{where}: expected an object {{"id", "turns"}}')
            if "id" not in record or not isinstance(record["id"], str | int) or isinstance(record["id"], bool):
                raise CoachError(f"{where}: missing or invalid 'id' (a string or number)")
            if record["id"] in seen:
                raise CoachError(f"{where}: duplicate id {record['id']!r}")
            turns = record.get("turns")
            if not isinstance(turns, list) or not all(isinstance(t, str) for t in turns):
                raise CoachError(f"{where}: 'turns' must be a list of strings")
            if not turns:
                raise CoachError(f"{where}: 'turns' is empty; a conversation needs at least one user turn")
            if len(turns) % 2 == 0:
                raise CoachError(
                    f"{where}: the conversation must end with a user turn (turns alternate user/assistant)"
                )
            if not turns[-1].strip():
                raise CoachError(f"{where}: the last user turn is empty")
            seen.add(record["id"])
            items.append(Item(record["id"], tuple(turns)))
    if not items:
        raise CoachError(f"input file {path} has no conversations")
    return items


def generate_rows(
    items: list[Item],
    *,
    model: str,
    adapter: str | None,
    backend: str,
    config,
    safety_on: bool,
    locale: str,
    batch_size: int,
    device: str | None = None,
) -> list[dict]:
    from tqdm.auto import tqdm

    from coach.backends import load_generator

    options: dict = {"batch_size": batch_size}
    if device:
        options["device"] = device
    generator = load_generator(model, adapter=adapter, backend=backend, **options)
    logger.info("generating with %s", generator.description)

    rows: dict[int, dict] = {}
    to_model: list[int] = []
    if safety_on:
        from coach import safety

        for index, item in enumerate(items):
            began = time.perf_counter()
            assessment, _ = safety.assess(list(item.turns[0::2]))  # user turns: the even positions
            if assessment.crisis:
                text = safety.crisis_response(assessment.category, locale)
                rows[index] = _row(item, text, 0, time.perf_counter() - began, True, assessment.category, False)
                rows[index]["source"] = "crisis"
            else:
                to_model.append(index)
    else:
        to_model = list(range(len(items)))

    with tqdm(total=len(items), desc="generate", unit="conv", file=sys.stderr) as progress:
        progress.update(len(items) - len(to_model))
        for start in range(0, len(to_model), batch_size):
            chunk = to_model[start : start + batch_size]
            generations = generator.generate([list(items[i].turns) for i in chunk], config)
            for index, gen in zip(chunk, generations, strict=True):
                if safety_on:
                    check = safety.check_reply(gen.text)
                    rows[index] = _row(
                        items[index], check.text, gen.num_tokens, gen.latency_s, False, None, not check.ok
                    )
                else:
                    rows[index] = _row(items[index], gen.text, gen.num_tokens, gen.latency_s, None, None, None)
            progress.update(len(chunk))
    return [rows[i] for i in range(len(items))]


def _row(item: Item, text: str, num_tokens: int, latency_s: float, crisis, category, blocked) -> dict:
    return {
        "id": item.id,
        "response": text,
        "num_tokens": num_tokens,
        "latency_s": round(latency_s, 6),
        "crisis": crisis,
        "category": category,
        "blocked": blocked,
        "source": "fallback" if blocked else "model",
    }


def write_jsonl_atomic(path: Path, rows: list[dict]) -> None:
    """Write to a temp file beside `path`, then rename over it: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
