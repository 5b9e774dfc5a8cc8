"""Benchmark training throughput and peak memory: full fine-tune vs LoRA, side by side, through the real Trainer.

    .venv/bin/python -m benchmarks.bench_train [--model google/flan-t5-small] [--device cpu|cuda] [--steps 5]

The model has the real shapes of the named checkpoint (../shared/reference/flan_t5_shapes.json, copied below) and
random weights: throughput and memory don't depend on the weights, and nothing is downloaded. (One difference:
transformers 5 ties a T5's output layer to its input embeddings when the model is built from a config, so the
output layer's parameters are counted once; the FLOPs per step are the same.) Batches are random
token ids at the training budgets (256 prompt tokens, 64 reply tokens by default). Each mode runs in a fresh
process so its peak memory is its own; the first `--warmup` steps are not timed. Prints JSON, also written to
benchmarks/results/train[_<device>_<model>].json. On CUDA, `--bf16` trains in bf16 autocast as the recipes do.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
# The public google/flan-t5 config.json values (also in ../shared/reference/flan_t5_shapes.json).
COMMON = {
    "vocab_size": 32128,
    "d_kv": 64,
    "feed_forward_proj": "gated-gelu",
    "tie_word_embeddings": False,
    "relative_attention_num_buckets": 32,
    "relative_attention_max_distance": 128,
    "layer_norm_epsilon": 1e-06,
    "dropout_rate": 0.1,
    "pad_token_id": 0,
    "eos_token_id": 1,
    "decoder_start_token_id": 0,
}
SHAPES = {
    "google/flan-t5-small": {"d_model": 512, "d_ff": 1024, "num_heads": 6, "num_layers": 8, "num_decoder_layers": 8},
    "google/flan-t5-base": {"d_model": 768, "d_ff": 2048, "num_heads": 12, "num_layers": 12, "num_decoder_layers": 12},
    "google/flan-t5-large": {
        "d_model": 1024,
        "d_ff": 2816,
        "num_heads": 16,
        "num_layers": 24,
        "num_decoder_layers": 24,
    },
}
MODES = ("full", "lora")


def measure(args: argparse.Namespace) -> dict:
    """One mode in this process: build the model, train `warmup + steps` steps with the Trainer, time the rest."""
    import psutil
    import torch
    from datasets import Dataset
    from transformers import (
        Seq2SeqTrainer,
        Seq2SeqTrainingArguments,
        T5Config,
        T5ForConditionalGeneration,
        TrainerCallback,
        default_data_collator,
    )

    from coach.training import LoraArguments, apply_lora

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = T5ForConditionalGeneration(T5Config(**COMMON, **SHAPES[args.model]))
    total_params = sum(p.numel() for p in model.parameters())
    if args.mode == "lora":
        model = apply_lora(model, LoraArguments(use_lora=True, lora_r=args.lora_r, lora_alpha=2 * args.lora_r))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)

    # Random ids (never pad or eos), fixed lengths: every step does the same work.
    n = args.batch * (args.warmup + args.steps)
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(2, COMMON["vocab_size"], (n, args.source_tokens), generator=generator)
    labels = torch.randint(2, COMMON["vocab_size"], (n, args.target_tokens), generator=generator)
    dataset = Dataset.from_dict(
        {"input_ids": ids.tolist(), "attention_mask": torch.ones_like(ids).tolist(), "labels": labels.tolist()}
    )

    class StepTimer(TrainerCallback):
        def __init__(self) -> None:
            self.times: list[float] = []
            self.start = 0.0

        def on_step_begin(self, *_, **__):
            if args.device == "cuda":
                torch.cuda.synchronize()
            self.start = time.perf_counter()

        def on_step_end(self, *_, **__):
            if args.device == "cuda":
                torch.cuda.synchronize()
            self.times.append(time.perf_counter() - self.start)

    timer = StepTimer()
    process = psutil.Process()
    if args.device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    rss_before = process.memory_info().rss
    with tempfile.TemporaryDirectory() as out:
        training_args = Seq2SeqTrainingArguments(
            output_dir=out,
            max_steps=args.warmup + args.steps,
            per_device_train_batch_size=args.batch,
            learning_rate=1e-4,
            weight_decay=0.01,
            max_grad_norm=1.0,
            report_to="none",
            save_strategy="no",
            logging_strategy="no",
            disable_tqdm=True,
            use_cpu=args.device == "cpu",
            bf16=args.bf16,
            dataloader_num_workers=0,
            seed=0,
        )
        trainer = Seq2SeqTrainer(
            model=model,
            args=training_args,
            train_dataset=dataset,
            data_collator=default_data_collator,
            callbacks=[timer],
        )
        trainer.train()
    timed = timer.times[args.warmup :]
    step_s = sorted(timed)[len(timed) // 2]  # median: robust to a neighbour's burst on a shared machine
    result = {
        "mode": args.mode,
        "total_params_millions": round(total_params / 1e6, 1),
        "trainable_params_millions": round(trainable / 1e6, 3),
        "trainable_percent": round(100 * trainable / total_params, 2),
        "step_s_median": round(step_s, 3),
        "step_s_all": [round(t, 3) for t in timed],
        "examples_per_s": round(args.batch / step_s, 2),
        "tokens_per_s": round(args.batch * (args.source_tokens + args.target_tokens) / step_s, 1),
        "rss_model_mib": round(rss_before / 2**20),
        "peak_rss_mib": _peak_rss_mib(),
    }
    if args.device == "cuda":
        result["peak_cuda_mib"] = round(torch.cuda.max_memory_allocated() / 2**20)
    return result


def _peak_rss_mib() -> int:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(SHAPES), default="google/flan-t5-small", help="shapes to copy")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--bf16", action="store_true", help="bf16 autocast (CUDA GPUs that support it)")
    parser.add_argument("--batch", type=int, default=8, help="examples per step")
    parser.add_argument("--source-tokens", type=int, default=256, help="prompt length (the recipes' budget)")
    parser.add_argument("--target-tokens", type=int, default=64, help="reply length (the recipes' budget)")
    parser.add_argument("--steps", type=int, default=5, help="timed steps per mode")
    parser.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    parser.add_argument("--lora-r", type=int, default=16, help="LoRA rank (q and v, as in the recipes)")
    parser.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0: torch's default)")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--out", type=Path, help="JSON file (default: benchmarks/results/train[...].json)")
    parser.add_argument("--_child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bf16 and args.device != "cuda":
        parser.error("--bf16 is for CUDA; CPU training runs in fp32")

    if args._child:
        args.mode = args._child
        print(json.dumps(measure(args)))
        return 0

    import torch

    passthrough = [
        *("--model", args.model, "--device", args.device, "--batch", str(args.batch), "--steps", str(args.steps)),
        *("--source-tokens", str(args.source_tokens), "--target-tokens", str(args.target_tokens)),
        *("--warmup", str(args.warmup), "--lora-r", str(args.lora_r), "--threads", str(args.threads)),
        *(["--bf16"] if args.bf16 else []),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    runs = []
    for mode in args.modes:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_train", *passthrough, "--_child", mode],
            capture_output=True,
            text=True,
            env=env,
            cwd=Path(__file__).resolve().parents[1],
        )
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return done.returncode
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    summary = {
        "benchmark": "train",
        "model_shape": args.model,
        "weights": "random (same shapes as the checkpoint)",
        "device": args.device,
        "precision": "bf16" if args.bf16 else "fp32",
        "batch": args.batch,
        "source_tokens": args.source_tokens,
        "target_tokens": args.target_tokens,
        "timed_steps": args.steps,
        "lora": {"r": args.lora_r, "alpha": 2 * args.lora_r, "target_modules": ["q", "v"]},
        "machine": {
            "cpu_count": os.cpu_count(),
            "torch_threads": args.threads or torch.get_num_threads(),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "platform": platform.platform(),
            "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name(0) if args.device == "cuda" else None,
        },
        "runs": runs,
    }
    if len(runs) == 2:
        full, lora = runs
        summary["lora_vs_full"] = {
            "speedup": round(full["step_s_median"] / lora["step_s_median"], 2),
            "peak_rss_saved_mib": full["peak_rss_mib"] - lora["peak_rss_mib"],
        }
    text = json.dumps(summary, indent=2)
    print(text)
    name = "train.json" if args.device == "cpu" and args.model == "google/flan-t5-small" else None
    out = args.out or RESULTS / (name or f"train_{args.device}_{args.model.split('/')[-1]}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
