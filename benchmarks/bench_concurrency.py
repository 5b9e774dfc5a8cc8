"""8 concurrent users through the micro-batcher vs one user at a time: throughput and latency, per serving setup.

    python benchmarks/bench_concurrency.py                   # the default setups side by side (ct2 int8)
    python benchmarks/bench_concurrency.py --setup serial:compute=int8,inter=1,batch=8,workers=1 --rounds 3
    python benchmarks/bench_concurrency.py --backend torch --setup torch:batch=8

Same model and request shape as bench_backends.py (flan-t5-small shapes, random weights, 128 input tokens,
exactly 48 new greedy tokens). A setup is a generator plus a `MicroBatcher`: `compute` (ct2 compute type),
`inter` (ct2 calls decoded in parallel, each on cores/inter threads), `batch` (the batcher's max_batch), `workers`
(batches decoded at once) and `window` (ms). For each setup, one user at a time: requests sent back to back through
the batcher (what one person in the app waits, window included). Concurrent: `--users` threads, each sending
`--requests` requests back to back (a closed loop, as chat users wait for a reply before writing again).

Setups run in turns, `--rounds` times, so a noisy neighbour on the shared cores hits them all alike; latencies are
pooled over the rounds. Targets (issue 7): throughput at least 3x one at a time, p95 latency at most 2x the
single-user latency. Both ratios are against the setup's own single-user median, and `single_vs_reference` compares
that median with the first setup's (the reference), so a setup can't meet the targets by slowing the lone user.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_SETUPS = (
    "serial:compute=int8,inter=1,batch=8,workers=1",  # the previous default: one batch of 8 on both cores
    "parallel:compute=int8,inter=2,batch=4,workers=2",  # two batches of up to 4 at once, one core each
    "parallel-w5:compute=int8,inter=2,batch=4,workers=2,window=5",  # the same with a shorter window
)


@dataclass(frozen=True)
class Setup:
    name: str
    compute: str = "int8"
    inter: int = 1
    batch: int = 8
    workers: int = 1
    window: float = 15.0  # ms

    @classmethod
    def parse(cls, text: str) -> Setup:
        """`name:key=value,...`, e.g. `parallel:compute=int8,inter=2,batch=4,workers=2,window=15`."""
        name, _, rest = text.partition(":")
        values: dict = {}
        for item in filter(None, rest.split(",")):
            key, _, value = item.partition("=")
            if key not in ("compute", "inter", "batch", "workers", "window"):
                raise SystemExit(f"unknown setup key {key!r} in {text!r}")
            values[key] = value if key == "compute" else float(value) if key == "window" else int(value)
        return cls(name or "setup", **values)


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
    from coach.backends.batching import MicroBatcher

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--setup", action="append", help="name:key=value,... (repeatable; the first is the reference)")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3, help="requests per user per round")
    parser.add_argument("--rounds", type=int, default=2, help="turns through all setups")
    parser.add_argument("--threads", type=int, default=0, help="backend cores (default: every core)")
    parser.add_argument("--unbatched", action="store_true", help="also run the reference without the batcher")
    parser.add_argument("--out", default=str(RESULTS / "concurrency.json"))
    args = parser.parse_args(argv)
    setups = [Setup.parse(text) for text in args.setup or DEFAULT_SETUPS]
    if len({s.name for s in setups}) != len(setups):
        raise SystemExit("setup names must differ")

    model_dir = bench_model("google/flan-t5-small")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    config = GenerationConfig(max_new_tokens=NEW_TOKENS)
    generators, batchers = {}, {}
    for setup in setups:
        options: dict = {"max_source_tokens": INPUT_TOKENS, "batch_size": setup.batch}
        if args.backend in ("auto", "ct2"):
            options.update(compute_type=setup.compute, inter_threads=setup.inter, threads=args.threads)
        generators[setup.name] = load_generator(str(model_dir), backend=args.backend, **options)
        batchers[setup.name] = MicroBatcher(
            generators[setup.name], window_s=setup.window / 1000, max_batch=setup.batch, workers=setup.workers
        )
    convs = conversations(next(iter(generators.values())).tokenizer, args.users)
    for batcher in batchers.values():  # warm-up: threads, caches, both parallel slots
        one_at_a_time(batcher, convs, config, 2)
        concurrent(batcher, convs, config, args.users, 1)

    single: dict[str, list[float]] = {s.name: [] for s in setups}
    batched: dict[str, list[float]] = {s.name: [] for s in setups}
    walls: dict[str, float] = dict.fromkeys(single, 0.0)
    counts = {s.name: [0, 0] for s in setups}  # batches and requests of the concurrent runs
    per_round: dict[str, list[tuple[float, float]]] = {s.name: [] for s in setups}  # (throughput x, p95 x)
    loads = []
    for _ in range(args.rounds):
        for setup in setups:
            batcher = batchers[setup.name]
            alone = one_at_a_time(batcher, convs, config, args.users)
            single[setup.name] += alone
            before = (batcher.batches, batcher.batched_requests)
            latencies, wall = concurrent(batcher, convs, config, args.users, args.requests)
            alone_p50 = percentile(alone, 50)
            per_round[setup.name].append((len(latencies) / wall * alone_p50, percentile(latencies, 95) / alone_p50))
            counts[setup.name][0] += batcher.batches - before[0]
            counts[setup.name][1] += batcher.batched_requests - before[1]
            batched[setup.name] += latencies
            walls[setup.name] += wall
            loads.append(os.getloadavg()[0])

    reference_p50 = percentile(single[setups[0].name], 50)
    results = []
    for setup in setups:
        batcher = batchers[setup.name]
        single_p50 = percentile(single[setup.name], 50)
        concurrent_summary = summary(batched[setup.name], walls[setup.name])
        # Against the single user's median (not mean): a stall from a noisy neighbour can't flatter the ratios.
        throughput_ratio = round(concurrent_summary["throughput_rps"] * single_p50, 2)
        p95_ratio = round(concurrent_summary["p95_latency_s"] / single_p50, 2)
        results.append(
            {
                "setup": setup.name,
                **{k: v for k, v in vars(setup).items() if k != "name"},
                "description": batcher.description,
                "one_at_a_time": summary(single[setup.name], sum(single[setup.name])),
                "concurrent_batched": {
                    **concurrent_summary,
                    "mean_batch": round(counts[setup.name][1] / counts[setup.name][0], 2),
                },
                "throughput_vs_one_at_a_time": throughput_ratio,
                "p95_vs_single_latency": p95_ratio,
                "single_vs_reference": round(single_p50 / reference_p50, 2),
                # The same two ratios within each round (single and concurrent runs seconds apart), median of rounds:
                # steadier than the pooled ones when neighbours come and go.
                "round_median_throughput_x": round(statistics.median(r[0] for r in per_round[setup.name]), 2),
                "round_median_p95_x": round(statistics.median(r[1] for r in per_round[setup.name]), 2),
                "targets_met": throughput_ratio >= 3 and p95_ratio <= 2,
            }
        )
        batcher.close()
    report = {
        "benchmark": "bench_concurrency",
        "backend": next(iter(generators.values())).name,
        "users": args.users,
        "requests_per_user": args.requests * args.rounds,
        "rounds": args.rounds,
        "input_tokens": INPUT_TOKENS,
        "new_tokens": NEW_TOKENS,
        "cpu_cores": len(os.sched_getaffinity(0)),
        "threads": args.threads or "all",
        "load_average_1m": {"min": round(min(loads), 2), "max": round(max(loads), 2)},
        "setups": results,
    }
    if args.unbatched:
        direct, direct_wall = concurrent(generators[setups[0].name], convs, config, args.users, args.requests)
        report["concurrent_unbatched"] = summary(direct, direct_wall)
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
