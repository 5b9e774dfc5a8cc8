"""Load benchmark: simulated concurrent users chatting with the app over loopback through gradio_client.

    .venv/bin/python -m benchmarks.bench_load --offline                  # retrieval responder
    .venv/bin/python -m benchmarks.bench_load --model models/coach-flan-t5-small --backend torch
    .venv/bin/python -m benchmarks.bench_load --random-shape google/flan-t5-small --backend ct2   # no trained model

Starts `app.py` as its own process (as a user would), waits until the models have loaded, then runs N users,
each with its own client session, sending M everyday messages one after another. Reports p50/p95 reply latency,
throughput, errors (must be 0) and the server's peak resident memory (RSS, children included) over the run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
MESSAGES = [
    "I've been so stressed about my exams lately.",
    "My dog learned a new trick today and I'm really proud of him.",
    "I feel a bit lonely since my roommate moved out.",
    "Work has been overwhelming this week and I can't keep up.",
    "I finally called my grandmother after months and it felt great.",
    "I'm nervous about a job interview tomorrow.",
    "My friend forgot my birthday and I feel hurt.",
    "We just moved to a new city and I don't know anyone yet.",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"the app did not answer at {url} within {timeout:.0f} s")


class RssSampler:
    """Peak resident memory of a process and its children, sampled in a thread."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.every_s = every_s
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        import psutil

        total = 0
        for proc in [self.proc, *self.proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a child may exit between listing and reading
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.rss())
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_user(url: str, user: int, messages: int) -> tuple[list[float], list[str]]:
    """One user: its own client session, `messages` messages one after another."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    latencies, errors = [], []
    for i in range(messages):
        text = MESSAGES[(user + i) % len(MESSAGES)]
        start = time.perf_counter()
        try:
            reply = client.predict(text, api_name="/chat")
            if not isinstance(reply, str) or not reply.strip():
                errors.append(f"user {user} message {i}: empty reply {reply!r}")
                continue
            latencies.append(time.perf_counter() - start)
        except Exception as err:  # every failure counts as an error in the report
            errors.append(f"user {user} message {i}: {type(err).__name__}: {err}")
    client.close()
    return latencies, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8, help="concurrent users")
    parser.add_argument("--messages", type=int, default=4, help="messages per user")
    parser.add_argument("--offline", action="store_true", help="serve with the retrieval responder only")
    parser.add_argument("--model", help="model dir or hub id (else COACH_MODEL or the default)")
    parser.add_argument("--adapter", help="PEFT adapter dir")
    parser.add_argument("--backend", help="auto, torch, ct2 or retrieval")
    parser.add_argument(
        "--random-shape",
        metavar="HUB_ID",
        help="serve a random-weight model of this shape (e.g. google/flan-t5-small; built offline, cached)",
    )
    parser.add_argument("--startup-timeout", type=float, default=300.0, help="seconds to wait for the models")
    parser.add_argument("--out", type=Path, help="JSON file to write (default benchmarks/results/load_<mode>.json)")
    args = parser.parse_args(argv)

    from gradio_client import Client

    if args.random_shape:
        from benchmarks.bench_backends import bench_model

        args.model = str(bench_model(args.random_shape))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, str(ROOT / "app.py")]
    for flag in ("model", "adapter", "backend"):
        if getattr(args, flag):
            command += [f"--{flag}", getattr(args, flag)]
    if args.offline:
        command.append("--offline")
    env = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as log:  # the app's output, shown if it fails to start
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            page_s = wait_http(url, proc, 120.0)
            probe = Client(url, verbose=False)
            while True:
                status = probe.predict(api_name="/status")
                if not status["loading"]:
                    break
                if time.perf_counter() - start > args.startup_timeout:
                    raise TimeoutError("the models did not finish loading")
                time.sleep(0.5)
            ready_s = time.perf_counter() - start
            probe.predict(MESSAGES[0], api_name="/chat")  # warm-up: first-call costs are not load
            probe.close()

            with RssSampler(proc.pid) as sampler:
                idle_rss = sampler.rss()
                t0 = time.perf_counter()
                with ThreadPoolExecutor(max_workers=args.users) as pool:
                    results = list(pool.map(lambda u: run_user(url, u, args.messages), range(args.users)))
                wall = time.perf_counter() - t0
        except (RuntimeError, TimeoutError):
            log.seek(0)
            print(log.read()[-4000:], file=sys.stderr)
            raise
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    latencies = [x for lat, _ in results for x in lat]
    errors = [e for _, errs in results for e in errs]
    report = {
        "mode": "offline" if args.offline else "model",
        "model": None if args.offline else (f"random {args.random_shape}" if args.random_shape else args.model),
        "answering": status["answering"],
        "description": status["description"],
        "model_error": status["model_error"],
        "users": args.users,
        "messages_per_user": args.messages,
        "replies": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "latency_p50_s": round(percentile(latencies, 0.50), 3),
        "latency_p95_s": round(percentile(latencies, 0.95), 3),
        "latency_mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
        "throughput_replies_per_s": round(len(latencies) / wall, 2) if wall else None,
        "wall_s": round(wall, 2),
        "page_up_s": round(page_s, 2),
        "models_ready_s": round(ready_s, 2),
        "rss_idle_mb": round(idle_rss / 2**20, 1),
        "rss_peak_mb": round(max(sampler.samples, default=idle_rss) / 2**20, 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    name = report["mode"] + (f"_{args.backend}" if args.backend and not args.offline else "")
    out = args.out or RESULTS / f"load_{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
