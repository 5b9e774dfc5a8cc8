"""Evaluation throughput (examples/s): batched against one conversation at a time, side by side in one run.

    .venv/bin/python -m benchmarks.bench_eval [--n 16] [--batch-size 16] [--max-new-tokens 64] [--threads 2]

Runs the whole of `coach.evaluate.evaluate` (safety flags, generation, ROUGE-L, semantic similarity, files) on
the bundled sample's valid split with a flan-t5-small-shaped model with random weights (the public shapes from
/work/shared/reference/flan_t5_shapes.json; built by `benchmarks.bench_backends.bench_model`, whose tokenizer is a
word-level one over the 32128-token vocabulary, built offline with `tokenizers`: about one token per word, close
to flan-t5's SentencePiece counts). Random weights never emit the end token, and the model's generation config
asks for at least 48 new tokens, so every reply decodes 48 to `--max-new-tokens` steps in both modes.

Torch runs on `--threads` threads (2 by default, the serving target) and, where the machine has more cores, the
process is pinned to that many. The model, embedder and safety classifier are loaded and warmed up first, so both
modes time the same work. JSON on stdout and in benchmarks/results/eval.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def _pin(threads: int) -> list[int] | None:
    import torch

    torch.set_num_threads(threads)
    if hasattr(os, "sched_getaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        if len(cores) > threads:
            os.sched_setaffinity(0, cores[:threads])
        return sorted(os.sched_getaffinity(0))
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16, help="examples per mode (the sample's valid split has 60)")
    parser.add_argument("--batch-size", type=int, default=16, help="batch size of the batched mode")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (and cores pinned)")
    parser.add_argument("--output", default=str(RESULTS / "eval.json"))
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cores = _pin(args.threads)
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    from benchmarks.bench_backends import bench_model
    from coach import safety
    from coach.backends import load_generator
    from coach.backends.base import GenerationConfig
    from coach.evaluate import EvalOptions, evaluate

    began = time.perf_counter()
    model_dir = bench_model("google/flan-t5-small")
    generator = load_generator(str(model_dir), backend="torch", batch_size=args.batch_size, device="cpu")
    # warm-up: first calls pay for lazy loads (embedder, classifier, kernels) that a real run pays once
    safety.assess(["warming up"])
    generator.generate([["warming up"]], GenerationConfig(max_new_tokens=4))
    setup_s = time.perf_counter() - began

    modes = {}
    with tempfile.TemporaryDirectory(prefix="coach-bench-eval-") as tmp:
        for mode, batch_size in (("batched", args.batch_size), ("one_at_a_time", 1)):
            options = EvalOptions(
                model=str(model_dir),
                split="valid",
                n=args.n,
                seed=0,
                batch_size=batch_size,
                max_new_tokens=args.max_new_tokens,
            )
            summary = evaluate(options, Path(tmp) / mode, generator=generator)
            timing = summary["timing"]
            modes[mode] = {
                "batch_size": batch_size,
                "examples": summary["n"],
                "wall_s": timing["wall_s"],
                "examples_per_s": timing["examples_per_s"],
                "generation_s": timing["generation_s"],
                "generation_examples_per_s": round(summary["n"] / timing["generation_s"], 3),
                "mean_new_tokens": round(summary["metrics"]["num_tokens"]["mean"], 1),
            }
            print(f"{mode}: {modes[mode]['examples_per_s']} examples/s", file=sys.stderr)

    result = {
        "benchmark": "evaluation throughput, batched vs one at a time",
        "model": "random weights, google/flan-t5-small shapes (77M params)",
        "tokenizer": "word-level over the 32128-token vocabulary (tokenizers, offline)",
        "data": "bundled sample, valid split, seed 0",
        "max_new_tokens": args.max_new_tokens,
        "threads": args.threads,
        "cores": cores,
        "setup_s": round(setup_s, 2),
        "modes": modes,
        "speedup": round(modes["batched"]["examples_per_s"] / modes["one_at_a_time"]["examples_per_s"], 2),
        "generation_speedup": round(
            modes["batched"]["generation_examples_per_s"] / modes["one_at_a_time"]["generation_examples_per_s"], 2
        ),
        "machine": {"platform": platform.platform(), "processor": platform.processor(), "cpus": os.cpu_count()},
        # other work on the machine slows both modes; a load well above `cpus` makes the figures noisy
        "load_average_1m": {
            "before": round(load_before[0], 2) if load_before else None,
            "after": round(os.getloadavg()[0], 2) if load_before else None,
        },
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = out.with_suffix(".json.tmp")
    tmp_out.write_text(text + "\n", encoding="utf-8")
    tmp_out.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
