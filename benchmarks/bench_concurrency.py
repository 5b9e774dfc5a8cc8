"""8 concurrent users through the micro-batcher vs one user at a time: throughput and latency.

    python benchmarks/bench_concurrency.py                   # the default CPU backend (auto: ct2 int8)
    python benchmarks/bench_concurrency.py --backend torch

Same model and request shape as bench_backends.py (flan-t5-small shapes, random weights, 128 input tokens,
exactly 48 new greedy tokens). One user at a time: requests sent back to back straight to the generator.
Concurrent: `--users` threads, each sending `--requests` requests back to back (a closed loop, as chat users wait
for a reply before writing again), through `coach.backends.batching.MicroBatcher`; and, for contrast, the same
threads calling the generator directly without the batcher. Targets (issue 7): throughput at least 3x one at a
time, p95 latency at most 2x the single-user latency.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


def one_at_a_time(generator, convs, config, count: int) -> list[float]:
    latencies = []
    for i in range(count):
        start = time.perf_counter()
        generator.generate([convs[i % len(convs)]], config)
        latencies.append(time.perf_counter() - start)
    return latencies


def concurrent(generator, convs, config, users: int, requests: int) -> tuple[list[float], float]:
    """Per-request latencies and the wall time for `users` threads each sending `requests` in turn."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(users + 1)

    def user(index: int) -> None:
        barrier.wait()
        for r in range(requests):
            start = time.perf_counter()
            generator.generate([convs[(index + r) % len(convs)]], config)
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began


def summary(latencies: list[float], wall: float) -> dict:
    return {
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / wall, 3),
        "mean_latency_s": round(statistics.mean(latencies), 3),
        "p50_latency_s": round(percentile(latencies, 50), 3),
        "p95_latency_s": round(percentile(latencies, 95), 3),
    }


def main(argv: list[str] | None = None) -> int:
    from bench_backends import INPUT_TOKENS, NEW_TOKENS, bench_model, conversations

    from coach.backends import load_generator
    from coach.backends.base import GenerationConfig
    from coach.backends.batching import DEFAULT_WINDOW_S, MicroBatcher

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3, help="requests per user")
    parser.add_argument("--window-ms", type=float, default=DEFAULT_WINDOW_S * 1000)
    parser.add_argument("--threads", type=int, default=0, help="backend threads (default: every core)")
    parser.add_argument("--no-unbatched", action="store_true", help="skip the concurrent run without the batcher")
    parser.add_argument("--out", default=str(RESULTS / "concurrency.json"))
    args = parser.parse_args(argv)

    model_dir = bench_model("google/flan-t5-small")
    options = {}
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
        options = {"threads": args.threads} if args.backend in ("auto", "ct2") else {}
    generator = load_generator(
        str(model_dir), backend=args.backend, max_source_tokens=INPUT_TOKENS, batch_size=8, **options
    )
    convs = conversations(generator.tokenizer, args.users)
    config = GenerationConfig(max_new_tokens=NEW_TOKENS)
    one_at_a_time(generator, convs, config, 2)  # warm-up

    single = one_at_a_time(generator, convs, config, 2 * args.users)
    single_wall = sum(single)
    batcher = MicroBatcher(generator, window_s=args.window_ms / 1000, max_batch=args.users)
    batched, batched_wall = concurrent(batcher, convs, config, args.users, args.requests)
    batcher.close()
    report = {
        "benchmark": "bench_concurrency",
        "backend": generator.name,
        "description": batcher.description,
        "users": args.users,
        "requests_per_user": args.requests,
        "input_tokens": INPUT_TOKENS,
        "new_tokens": NEW_TOKENS,
        "cpu_cores": len(os.sched_getaffinity(0)),
        "threads": args.threads or "all",
        "load_average_1m": round(os.getloadavg()[0], 2),
        "one_at_a_time": summary(single, single_wall),
        "concurrent_batched": {
            **summary(batched, batched_wall),
            "mean_batch": round(batcher.batched_requests / batcher.batches, 2),
        },
    }
    if not args.no_unbatched:
        direct, direct_wall = concurrent(generator, convs, config, args.users, args.requests)
        report["concurrent_unbatched"] = summary(direct, direct_wall)
    # Against the single user's median (not mean): a stall from a noisy neighbour can't flatter the ratios.
    single_p50 = report["one_at_a_time"]["p50_latency_s"]
    report["throughput_vs_one_at_a_time"] = round(report["concurrent_batched"]["throughput_rps"] * single_p50, 2)
    report["p95_vs_single_latency"] = round(report["concurrent_batched"]["p95_latency_s"] / single_p50, 2)
    report["targets_met"] = report["throughput_vs_one_at_a_time"] >= 3 and report["p95_vs_single_latency"] <= 2
    text = json.dumps(report, indent=2)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
    sys.exit(main())
