"""The model card (README.md) written beside every trained model: data, recipe, eval loss, use, limits, safety."""

from __future__ import annotations

from pathlib import Path
from typing import Any

_DISCLAIMER = """\
**This model is not a crisis service, a therapist or a doctor.** It is a small language model that writes
supportive replies; it can be wrong, miss what matters, or say something unhelpful. In the Coach app a safety
layer stands in front of it: messages that signal a crisis never reach the model and get crisis resources
instead. Used on its own, the model has no such protection.

If you or someone you know is in crisis or may be in danger, please reach a person now: in the US call or text
**988** (988 Suicide & Crisis Lifeline, chat at 988lifeline.org), in the UK and Ireland call Samaritans on
**116 123**, in Australia call Lifeline on **13 11 14**; elsewhere, find a line at
[findahelpline.com](https://findahelpline.com) or the IASP directory (iasp.info/suicidalthoughts), or call your
local emergency number."""


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)


def render_model_card(config: dict[str, Any], metrics: dict[str, Any]) -> str:
    """Markdown for a model trained with `config` (the resolved training config) that reached `metrics`."""
    model, data, lora, training, run = (config.get(k, {}) for k in ("model", "data", "lora", "training", "run"))
    base = model.get("model_name_or_path") or "a tiny T5 built from a config (random weights: a smoke test)"
    method = (
        f"LoRA (r={lora.get('lora_r')}, alpha={lora.get('lora_alpha')}, dropout={lora.get('lora_dropout')}, "
        f"target modules {lora.get('lora_target_modules')}); this directory holds the adapter"
        + ("; `merged/` holds the merged full model" if lora.get("merge_lora") else "")
        if lora.get("use_lora")
        else "full fine-tune"
    )
    recipe_rows = [
        ("base model", base),
        ("method", method),
        ("epochs", training.get("num_train_epochs")),
        ("max steps", training.get("max_steps") if (training.get("max_steps") or -1) > 0 else None),
        ("learning rate", training.get("learning_rate")),
        ("scheduler", training.get("lr_scheduler_type")),
        ("warmup steps (a value below 1 is a ratio)", training.get("warmup_steps")),
        ("batch size per device", training.get("per_device_train_batch_size")),
        ("gradient accumulation", training.get("gradient_accumulation_steps")),
        ("world size", run.get("world_size")),
        ("weight decay", training.get("weight_decay")),
        ("label smoothing", training.get("label_smoothing_factor")),
        ("gradient clipping (max norm)", training.get("max_grad_norm")),
        ("precision", "bf16" if run.get("bf16") else "fp32"),
        ("seed", training.get("seed")),
        ("early stopping patience", training.get("early_stopping_patience")),
        (
            "prompt budget / target budget (tokens)",
            f"{data.get('max_source_tokens')} / {data.get('max_target_tokens')}",
        ),
    ]
    result_rows = [
        ("train loss", metrics.get("train_loss")),
        ("eval loss", metrics.get("eval_loss")),
        ("train runtime (s)", metrics.get("train_runtime")),
        ("epochs run", metrics.get("epoch")),
    ]
    table = "\n".join(f"| {k} | {_fmt(v)} |" for k, v in recipe_rows)
    results = "\n".join(f"| {k} | {_fmt(v)} |" for k, v in result_rows)
    return f"""---
library_name: {"peft" if lora.get("use_lora") else "transformers"}
pipeline_tag: text2text-generation
license: apache-2.0
tags: [coach, empathetic-dialogues, mental-health-support]
---

# Coach reply model

A seq2seq model fine-tuned by Coach (an open mental-health support chat app) to write short, empathetic replies
in a supportive conversation, trained with `train/train.py` (the transformers `Seq2SeqTrainer`, under Accelerate).

## Data

Dialogues from EmpatheticDialogues (the `Estwld/empathetic_dialogues_llm` layout) or the bundled sample, cleaned by
`python -m coach prepare` into a SQLite store (`{run.get("db") or data.get("db")}`). One example per assistant
turn: the prompt is an instruction plus the conversation so far (the oldest turns dropped first to fit the
budget, built by `coach.prompting.build_prompt`, the same builder the app uses), the target is the listener's reply.
Split `{data.get("train_split")}`: {_fmt(run.get("train_examples"))} examples; split `{data.get("eval_split")}`:
{_fmt(run.get("eval_examples"))} examples.

## Recipe

| setting | value |
|---|---|
{table}

The full resolved configuration is in `training_config.yaml`, the metrics log in `metrics.jsonl`, and the
decoding defaults (no-repeat n-gram size, repetition penalty, max new tokens) in `generation_config.json`.

## Results

| metric | value |
|---|---|
{results}

Loss is the token cross-entropy of the replies given the prompts above (label smoothing included in the train
loss). For ROUGE-L and semantic similarity run `python -m coach evaluate --model <this dir> --out runs/<name>`.

## Intended use

Research, teaching and demos of supportive chat: replies in the style of a caring listener, served behind the Coach
safety layer. Not for diagnosis, treatment, therapy, or any decision about a person's health or safety.

## Limits

- Trained on crowd-sourced everyday conversations in English; it knows nothing about a person's real situation,
  repeats generic phrases, and can be confidently wrong.
- It does not recognise crises reliably; that is the safety layer's job, never the model's.
- Small models drift off topic in long conversations; only the newest turns fit the prompt budget.

## Safety

{_DISCLAIMER}
"""


def write_model_card(output_dir: str | Path, config: dict[str, Any], metrics: dict[str, Any]) -> Path:
    """Write `README.md` in `output_dir`; returns its path."""
    path = Path(output_dir) / "README.md"
    path.write_text(render_model_card(config, metrics), encoding="utf-8")
    return path
