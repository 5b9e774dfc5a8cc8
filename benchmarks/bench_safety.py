"""Safety layer timings: `.venv/bin/python -m benchmarks.bench_safety` prints JSON.

- load_s: importing coach.safety and loading everything it needs to assess (embedder + classifier head),
  measured in a fresh process (target <= 5 s on 2 CPU cores);
- assess_ms p50/p95: one new user message assessed with the embedder loaded, the way the app calls it
  (the state carried, so only the new turn is scored; target p95 <= 25 ms on 2 CPU cores).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

MESSAGES = (
    "I had a long day at work and I'm exhausted",
    "my sister and I had a fight about the holidays",
    "I feel like nobody listens to me lately",
    "this commute is killing me",
    "I'm nervous about my exam tomorrow",
    "I miss my grandmother so much",
    "can you tell me something nice",
    "I don't really want to be here anymore",
)
_LOAD = "import time; t = time.perf_counter(); import coach.safety as s; s.warm_up(); print(time.perf_counter() - t)"


def load_seconds() -> float:
    """Cold load of the layer in a fresh interpreter (imports, embedder, head, first assessment)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    out = subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="messages to time")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (the serving target has 2 cores)")
    args = parser.parse_args(argv)

    load_s = load_seconds()
    import torch

    torch.set_num_threads(args.threads)
    from coach.safety import assess, warm_up

    classifier = warm_up()
    timings = []
    turns: list[str] = []
    state = None
    for i in range(args.n):
        turns.append(MESSAGES[i % len(MESSAGES)] + f" ({i})")
        started = time.perf_counter()
        _, state = assess(turns, state)
        timings.append((time.perf_counter() - started) * 1000)
        if len(turns) > 6:  # a new conversation every few turns, as in the app
            turns, state = [], None
    # the rules layer alone (what runs when the embedder is unavailable), for a sense of where the time goes
    from coach.safety.detector import assess_with

    rules_ms = []
    for i in range(args.n):
        started = time.perf_counter()
        assess_with([MESSAGES[i % len(MESSAGES)] + f" [{i}]"], None, None, None)
        rules_ms.append((time.perf_counter() - started) * 1000)
    result = {
        "load_s": round(load_s, 3),
        "assess_ms_p50": round(statistics.median(timings), 2),
        "assess_ms_p95": round(percentile(timings, 0.95), 2),
        "rules_only_ms_p50": round(statistics.median(rules_ms), 3),
        "rules_only_ms_p95": round(percentile(rules_ms, 0.95), 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "n": args.n,
        "threads": args.threads,
        "classifier": classifier,
        "targets": {"load_s": 5.0, "assess_ms_p95": 25.0},
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
