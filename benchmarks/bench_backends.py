"""Generation backends side by side on a flan-t5-small-shaped model: ms per token, load time, peak memory.

    python benchmarks/bench_backends.py                      # all installed CPU backends, prints JSON
    python benchmarks/bench_backends.py --quality-model DIR  # also greedy agreement with torch fp32 on DIR

The model has random weights (speed and memory don't depend on them) and the public flan-t5-small shapes from
/work/shared/reference/flan_t5_shapes.json; its tokenizer is a word-level one built offline with `tokenizers`
over the full 32128-token vocabulary. Every prompt is exactly 128 tokens (built with `coach.prompting`), and the
model's generation settings force exactly 48 new tokens (`min_new_tokens`, which ct2 maps to
`min_decoding_length`), so every backend decodes the same number of steps. Each backend runs in its own process,
so peak memory (max RSS) is its own. ms/token is the wall time of one `generate` call divided by the 48 steps.

Quality (with --quality-model, a trained model): each fast backend's greedy replies against torch fp32's on the
bundled sample's test conversations: token agreement (same token at the same position), exact matches, ROUGE-L.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHAPES = Path("/work/shared/reference/flan_t5_shapes.json")
RESULTS = ROOT / "benchmarks" / "results"
INPUT_TOKENS = 128
NEW_TOKENS = 48
BACKENDS = ("torch", "torch-int8", "ct2")


def build_model(out: Path, shape: str = "google/flan-t5-small", shapes_file: Path = SHAPES) -> Path:
    """A random-weight model with `shape`'s config, a word-level tokenizer over its vocabulary, forced length."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import GenerationConfig, PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    shapes = json.loads(shapes_file.read_text())
    values = {**shapes["common"], **{k: v for k, v in shapes[shape].items() if k != "params_millions"}}
    config = T5Config(**{**values, "dropout_rate": 0.0})
    specials = ["<pad>", "</s>", "<unk>"]
    vocab = {token: i for i, token in enumerate(specials + [f"w{i}" for i in range(config.vocab_size - 3)])}
    core = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    core.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", 1)])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    torch.manual_seed(0)
    model = T5ForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        decoder_start_token_id=0, eos_token_id=1, pad_token_id=0, min_new_tokens=NEW_TOKENS
    )
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def bench_model(shape: str) -> Path:
    """The benchmark model, built once per shape into ~/.cache/coach/bench/ (building takes a while on 2 cores)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coach" / "bench"
    out = base / f"{shape.replace('/', '--')}-random-min{NEW_TOKENS}"
    if not (out / "generation_config.json").is_file():
        staged = Path(tempfile.mkdtemp(prefix=".build-", dir=base.mkdir(parents=True, exist_ok=True) or base))
        build_model(staged, shape)
        staged.rename(out)
    return out


def conversations(tokenizer, count: int, input_tokens: int = INPUT_TOKENS) -> list[list[str]]:
    """`count` different one-turn conversations whose prompts are exactly `input_tokens` tokens."""
    from coach.prompting import build_prompt, count_tokens

    overhead = count_tokens(build_prompt(["w1"], tokenizer, 10_000), tokenizer) - 1
    words = input_tokens - overhead
    result = []
    for i in range(count):
        turn = " ".join(f"w{(i * 997 + j * 31) % 30000 + 10}" for j in range(words))
        assert count_tokens(build_prompt([turn], tokenizer, input_tokens), tokenizer) == input_tokens
        result.append([turn])
    return result


def bench_one(backend: str, model_dir: str, repeats: int, threads: int = 0) -> dict:
    """Load `backend` and time greedy and beam-4 decoding at batch 1 and 8 (run in a child process)."""
    import torch

    from coach.backends import load_generator
    from coach.backends.base import GenerationConfig

    options = {}
    if threads:  # torch's and CTranslate2's thread pools, the same size
        torch.set_num_threads(threads)
        options = {"threads": threads} if backend == "ct2" else {}
    began = time.perf_counter()
    generator = load_generator(model_dir, backend=backend, max_source_tokens=INPUT_TOKENS, batch_size=8, **options)
    load_s = time.perf_counter() - began
    convs = conversations(generator.tokenizer, 8)
    runs = []
    for beams in (1, 4):
        config = GenerationConfig(max_new_tokens=NEW_TOKENS, num_beams=beams)  # the app's decoding settings
        for batch in (1, 8):
            generator.generate(convs[:batch], config)  # warm-up
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                out = generator.generate(convs[:batch], config)
                times.append(time.perf_counter() - start)
                # Every reply runs the full 48 steps; the torch backend doesn't count a generated <pad> (id 0), which
                # random weights emit now and then, so its counts can read a little lower.
                if max(g.num_tokens for g in out) != NEW_TOKENS:
                    raise RuntimeError(f"{backend} decoded {[g.num_tokens for g in out]} tokens, not {NEW_TOKENS}")
            wall = statistics.median(times)
            runs.append(
                {
                    "decoding": "greedy" if beams == 1 else f"beam{beams}",
                    "batch": batch,
                    "ms_per_token": round(1000 * wall / NEW_TOKENS, 2),
                    "ms_per_token_min": round(1000 * min(times) / NEW_TOKENS, 2),
                    "tokens_per_s": round(batch * NEW_TOKENS / wall, 1),
                }
            )
    return {
        "backend": backend,
        "threads": threads or torch.get_num_threads(),
        "description": generator.description,
        "load_s": round(load_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "runs": runs,
    }


def quality(model_dir: str, backends: list[str], limit: int) -> list[dict]:
    """Greedy replies of each fast backend against torch fp32 on the sample's test conversations.

    Twice: with the app's decoding settings, and as plain greedy (no repetition penalties), where the first token
    that differs can be explained: `divergence_margin_nats` is how much more likely torch fp32 found its own token
    than the fast backend's at that point (under fp32, given the same prefix). Margins near zero mean the two
    candidates were all but tied and int8 rounding picked the other; a large margin would mean a bug.
    """
    from rouge_score import rouge_scorer

    from coach.backends import load_generator
    from coach.backends.base import GenerationConfig
    from coach.data import default_db
    from coach.data.store import read_examples

    examples = read_examples(default_db(), split="test", limit=limit)
    convs = [list(e.context) for e in examples]
    settings = {
        "app": GenerationConfig(max_new_tokens=64),
        "plain_greedy": GenerationConfig(max_new_tokens=64, no_repeat_ngram_size=0, repetition_penalty=1.0),
    }
    reference_gen = load_generator(model_dir, backend="torch")
    tokenizer = reference_gen.tokenizer
    scorer = rouge_scorer.RougeScorer(["rougeL"])
    rows = []
    for name, config in settings.items():
        reference = [g.text for g in reference_gen.generate(convs, config)]
        for backend in backends:
            if backend == "torch":
                continue
            texts = [g.text for g in load_generator(model_dir, backend=backend).generate(convs, config)]
            rouge = [scorer.score(r, t)["rougeL"].fmeasure for r, t in zip(reference, texts, strict=True)]
            agree = total = 0
            margins = []
            for turns, ours, theirs in zip(convs, texts, reference, strict=True):
                a = tokenizer(ours, add_special_tokens=False)["input_ids"]
                b = tokenizer(theirs, add_special_tokens=False)["input_ids"]
                agree += sum(x == y for x, y in zip(a, b, strict=False))
                total += max(len(a), len(b))
                if name == "plain_greedy" and a != b:
                    margins.append(_divergence_margin(reference_gen, turns, b, a))
            row = {
                "backend": backend,
                "decoding": name,
                "conversations": len(convs),
                "token_agreement": round(agree / max(total, 1), 4),
                "exact_match": round(sum(x == y for x, y in zip(texts, reference, strict=True)) / len(convs), 4),
                "rougeL_vs_torch": round(statistics.mean(rouge), 4),
            }
            if margins:
                row["divergence_margin_nats"] = {
                    "median": round(statistics.median(margins), 4),
                    "max": round(max(margins), 4),
                }
            rows.append(row)
    return rows


def _divergence_margin(reference_gen, turns: list[str], ref_ids: list[int], fast_ids: list[int]) -> float:
    """log p(torch's token) - log p(fast backend's token) under torch fp32 at the first position they differ."""
    import torch

    pairs = enumerate(zip(ref_ids, fast_ids, strict=False))
    k = next((i for i, (x, y) in pairs if x != y), min(len(ref_ids), len(fast_ids)))
    tokenizer, model = reference_gen.tokenizer, reference_gen.model
    eos = tokenizer.eos_token_id
    inputs = reference_gen._encode(reference_gen.prompts([turns]))
    start = model.generation_config.decoder_start_token_id
    decoder = torch.tensor([[start, *ref_ids[:k]]])
    with torch.inference_mode():
        logits = model(**inputs, decoder_input_ids=decoder).logits[0, -1]
    logp = torch.log_softmax(logits.float(), dim=-1)
    ours = ref_ids[k] if k < len(ref_ids) else eos
    theirs = fast_ids[k] if k < len(fast_ids) else eos
    return float(logp[ours] - logp[theirs])


def installed(backends: list[str]) -> list[str]:
    import importlib.util

    return [b for b in backends if b != "ct2" or importlib.util.find_spec("ctranslate2") is not None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per backend (default: torch's default, every core)"
    )
    parser.add_argument("--shape", default="google/flan-t5-small")
    parser.add_argument("--quality-model", default=None, help="a trained model dir for the quality comparison")
    parser.add_argument("--quality-limit", type=int, default=32)
    parser.add_argument("--no-speed", action="store_true", help="only the quality comparison")
    parser.add_argument("--out", default=str(RESULTS / "backends.json"))
    parser.add_argument("--_child", nargs=2, metavar=("BACKEND", "MODEL_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    if args._child:
        print(json.dumps(bench_one(args._child[0], args._child[1], args.repeats, args.threads)))
        return 0

    backends = installed(args.backends)
    if args.no_speed:
        if not args.quality_model:
            parser.error("--no-speed needs --quality-model")
        report = {"benchmark": "bench_backends", "quality": quality(args.quality_model, backends, args.quality_limit)}
        print(json.dumps(report, indent=2))
        return 0
    model_dir = bench_model(args.shape)
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        dirs = dict.fromkeys(backends, str(model_dir))
        convert_s = None
        if "ct2" in backends:  # convert once, outside the timed load (a one-off cost, reported on its own)
            from coach.backends.convert import convert_model

            began = time.perf_counter()
            dirs["ct2"] = str(convert_model(str(model_dir), Path(tmp) / "ct2", quantization="int8"))
            convert_s = round(time.perf_counter() - began, 2)
        rows = []
        for backend in backends:
            child = subprocess.run(
                [sys.executable, __file__, "--repeats", str(args.repeats), "--threads", str(args.threads)]
                + ["--_child", backend, dirs[backend]],
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                raise SystemExit(f"{backend} failed:\n{child.stderr[-3000:]}")
            rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
    report = {
        "benchmark": "bench_backends",
        "model_shape": args.shape,
        "input_tokens": INPUT_TOKENS,
        "new_tokens": NEW_TOKENS,
        "cpu_cores": len(os.sched_getaffinity(0)),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "machine": platform.processor() or platform.machine(),
        "ct2_convert_s": convert_s,
        "backends": rows,
        "speedup_greedy_batch1_vs_torch": _speedups(rows, "greedy", 1),
        "speedup_beam4_batch1_vs_torch": _speedups(rows, "beam4", 1),
    }
    if args.quality_model:
        report["quality"] = quality(args.quality_model, backends, args.quality_limit)
    text = json.dumps(report, indent=2)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text + "\n")
    return 0


def _speedups(rows: list[dict], decoding: str, batch: int) -> dict:
    def ms(row: dict) -> float:
        return next(r["ms_per_token"] for r in row["runs"] if r["decoding"] == decoding and r["batch"] == batch)

    base = next((ms(r) for r in rows if r["backend"] == "torch"), None)
    return {r["backend"]: round(base / ms(r), 2) for r in rows} if base else {}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
