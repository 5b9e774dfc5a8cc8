"""Benchmark `python -m coach prepare` on synthetic conversations in the hub schema.

    .venv/bin/python -m benchmarks.bench_prepare [--conversations 20000] [--format jsonl|parquet]

Writes train/valid/test files (80/10/10) into a temp dir, runs `python -m coach prepare` in a fresh process (so
imports count, as they do for a user) and prints JSON, also written to benchmarks/results/prepare.json:
wall seconds, the child's peak RSS, counts.
The target (issue 2) is at most 10 s wall for 20,000 conversations on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
EMOTIONS = ["proud", "anxious", "lonely", "grateful", "disappointed", "hopeful", "nostalgic", "embarrassed"]
# Random sentences over a small vocabulary: nearly every turn is unique text, and the lengths are like
# EmpatheticDialogues' (2 to 6 turns, about 8 to 25 words each), so nothing repeated flatters the timing.
_WORDS = (
    "I we my our you your it that this the a an and but so because when after before since then still just "
    "really very quite never always often today yesterday tomorrow week month year morning night weekend "
    "work job boss team exam class school teacher friend friends sister brother mum dad family neighbour dog "
    "cat house flat car train bus garden kitchen letter phone call message party trip holiday birthday "
    "wedding game match race test result interview promotion move new old first last long short big small "
    "felt feel feeling happy glad proud nervous worried excited tired sad lonely grateful surprised upset "
    "calm hopeful finally almost again together alone home away back out up down over about with without "
    "got get went go came come made make took take found find lost lose heard hear told tell asked ask"
)
VOCABULARY = _WORDS.split()


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(VOCABULARY, k=rng.randint(low, high))
    return " ".join(words).capitalize() + rng.choice([".", "!", "?", "..."])


def synthetic_conversation(rng: random.Random, i: int) -> dict:
    turns = [
        {"role": "user" if t % 2 == 0 else "assistant", "content": sentence(rng, 8, 25)}
        for t in range(rng.randint(2, 6))
    ]
    return {
        "conv_id": f"synthetic:{i}",
        "situation": sentence(rng, 6, 20),
        "emotion": rng.choice(EMOTIONS),
        "conversations": turns,
    }


def write_source(directory: Path, n: int, fmt: str, seed: int = 0) -> None:
    rng = random.Random(seed)
    rows = [synthetic_conversation(rng, i) for i in range(n)]
    cut1, cut2 = int(n * 0.8), int(n * 0.9)
    for split, part in (("train", rows[:cut1]), ("valid", rows[cut1:cut2]), ("test", rows[cut2:])):
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(part), directory / f"{split}.parquet")
        else:
            with open(directory / f"{split}.jsonl", "w", encoding="utf-8") as f:
                f.writelines(json.dumps(row) + "\n" for row in part)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20_000)
    parser.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument(
        "--out", type=Path, default=RESULTS / "prepare.json", help="where the JSON goes too (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        source.mkdir()
        write_source(source, args.conversations, args.format)
        db = Path(tmp) / "bench.db"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "coach", "prepare", "--source", str(source), "--db", str(db)],
            capture_output=True,
            text=True,
            env=env,
        )
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        # of the waited-for child: ru_maxrss in KiB on Linux; CPU time says what a busy machine hides in wall time
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kib = usage.ru_maxrss
        summary = json.loads(proc.stdout)
        result = {
            "benchmark": "prepare",
            "conversations": args.conversations,
            "format": args.format,
            "wall_s": round(wall, 2),
            "prepare_s": summary["seconds"],
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "peak_rss_mib": round(peak_kib / 1024, 1),
            "examples": sum(s["examples"] for s in summary["splits"].values()),
            "db_mib": round(db.stat().st_size / 2**20, 1),
            "tokenizer": summary["tokenizer"],
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "target_wall_s": 10,
        }
    text = json.dumps(result, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
