"""Run every benchmark one after another (never side by side: 2 cores are easily disturbed).

Each benchmark prints JSON and writes it under benchmarks/results/; the README quotes those figures.
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = [
    "bench_prepare",
    "bench_safety",
    "bench_train",
    "bench_eval",
    "bench_backends",
    "bench_concurrency",
    "bench_load",
]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        start = time.perf_counter()
        print(f"== {name}", flush=True)
        if subprocess.call([sys.executable, "-m", f"benchmarks.{name}"]) != 0:
            failed.append(name)
        print(f"== {name} done in {time.perf_counter() - start:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
