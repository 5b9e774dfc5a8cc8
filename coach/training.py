"""Fine-tuning recipes as data: argument dataclasses, the dataset from the SQLite store, and one `train` call.

`train/train.py` parses a YAML recipe (plus `key=value` overrides) with `parse_config` and calls `train`.
Everything a training loop does (clipping, warmup, schedules, evaluation, checkpoints, resume, early stopping,
logging, DDP/FSDP through Accelerate) is the `Seq2SeqTrainer`'s job; this module only builds its inputs and
writes what belongs beside the weights.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.errors import CoachError

logger = logging.getLogger(__name__)

BYTE_TOKENIZER = "byt5"  # `tokenizer: byt5` builds ByT5's byte tokenizer, which needs no download
RESOLVED_CONFIG = "training_config.yaml"
METRICS_LOG = "metrics.jsonl"


@dataclass
class ModelArguments:
    """Which model to fine-tune: a hub id, a local dir, or a tiny T5 built from a config (offline smoke runs)."""

    model_name_or_path: str | None = field(
        default=None,
        metadata={"help": "hub id (google/flan-t5-small) or local model dir; leave empty to build from model_config"},
    )
    model_config: dict | None = field(
        default=None,
        metadata={"help": "T5Config fields for a random model (d_model, num_layers, ...), for smoke runs"},
    )
    tokenizer: str | None = field(
        default=None,
        metadata={"help": "tokenizer dir or hub id, or 'byt5' for the byte tokenizer; default: the model's own"},
    )
    precision: str = field(
        default="auto",
        metadata={"help": "auto (bf16 on GPUs that support it, else fp32), bf16 or fp32; never fp16: T5 overflows"},
    )

    def __post_init__(self) -> None:
        if not self.model_name_or_path and not self.model_config:
            raise CoachError("set model_name_or_path (hub id or local dir) or model_config (a tiny T5 for smoke runs)")
        if self.model_name_or_path and self.model_config:
            raise CoachError("set only one of model_name_or_path and model_config")
        if self.model_config and not self.tokenizer:
            raise CoachError("a model built from model_config needs a tokenizer (e.g. tokenizer: byt5)")
        if self.precision not in {"auto", "bf16", "fp32"}:
            raise CoachError(f"precision must be auto, bf16 or fp32 (never fp16 for T5), got {self.precision!r}")
        if self.model_name_or_path:
            from coach.modeling import resolve_model

            # A missing dir, an adapter dir, or a hub id that is neither cached nor reachable: fail now, not later.
            self.model_name_or_path = resolve_model(self.model_name_or_path)


@dataclass
class DataArguments:
    """Which examples to train on and how long prompts and targets may be."""

    db: str = field(
        default="sample",
        metadata={"help": "SQLite store from `python -m coach prepare`, or 'sample' for the bundled dialogues"},
    )
    train_split: str = field(default="train", metadata={"help": "split to train on"})
    eval_split: str | None = field(default="valid", metadata={"help": "split for eval loss each epoch (null: none)"})
    max_source_tokens: int = field(
        default=256, metadata={"help": "prompt token budget; the oldest turns are dropped first (coach.prompting)"}
    )
    max_target_tokens: int = field(default=64, metadata={"help": "longer responses are cut to this many tokens"})
    max_train_examples: int | None = field(default=None, metadata={"help": "use at most this many train examples"})
    max_eval_examples: int | None = field(default=None, metadata={"help": "use at most this many eval examples"})

    def __post_init__(self) -> None:
        if self.db != "sample" and not Path(self.db).expanduser().is_file():
            raise CoachError(f"database {self.db} not found; build it with `python -m coach prepare --db {self.db}`")
        for name in ("max_source_tokens", "max_target_tokens"):
            if int(getattr(self, name)) < 8:
                raise CoachError(f"{name} must be at least 8, got {getattr(self, name)}")
        for name in ("max_train_examples", "max_eval_examples"):
            value = getattr(self, name)
            if value is not None and int(value) < 1:
                raise CoachError(f"{name} must be a positive number or null, got {value}")


@dataclass
class LoraArguments:
    """LoRA through PEFT: train small adapters instead of every weight."""

    use_lora: bool = field(default=False, metadata={"help": "train a LoRA adapter instead of the full model"})
    lora_r: int = field(default=16, metadata={"help": "LoRA rank"})
    lora_alpha: int = field(default=32, metadata={"help": "LoRA scaling numerator (scale = alpha / r)"})
    lora_dropout: float = field(default=0.05, metadata={"help": "dropout on the LoRA path"})
    lora_target_modules: list[str] | str = field(
        default_factory=lambda: ["q", "v"],
        metadata={"help": "modules to adapt: T5 attention q and v by default; 'all-linear' for every linear layer"},
    )
    merge_lora: bool = field(default=False, metadata={"help": "also save a merged full model in <output_dir>/merged"})

    def __post_init__(self) -> None:
        if self.lora_r < 1 or self.lora_alpha < 1:
            raise CoachError("lora_r and lora_alpha must be positive")
        if not 0.0 <= self.lora_dropout < 1.0:
            raise CoachError(f"lora_dropout must be in [0, 1), got {self.lora_dropout}")
        if isinstance(self.lora_target_modules, str) and self.lora_target_modules != "all-linear":
            self.lora_target_modules = [m.strip() for m in self.lora_target_modules.split(",") if m.strip()]
        if not self.lora_target_modules:
            raise CoachError("lora_target_modules is empty; use q,v or all-linear")
        if self.merge_lora and not self.use_lora:
            raise CoachError("merge_lora needs use_lora: true")


def _training_arguments_class() -> type:
    """`Seq2SeqTrainingArguments` plus early stopping, built on first use so importing this module stays light.

    It is published as the module attribute `CoachTrainingArguments` (see `__getattr__`) so the Trainer can pickle it
    into checkpoints.
    """
    if "CoachTrainingArguments" in globals():
        return globals()["CoachTrainingArguments"]
    from transformers import Seq2SeqTrainingArguments

    @dataclass
    class CoachTrainingArguments(Seq2SeqTrainingArguments):
        early_stopping_patience: int | None = field(
            default=None,
            metadata={"help": "stop after this many evaluations without eval_loss improving (null: never)"},
        )
        early_stopping_threshold: float = field(
            default=0.0, metadata={"help": "how much eval_loss must improve to count as better"}
        )

    CoachTrainingArguments.__qualname__ = "CoachTrainingArguments"
    globals()["CoachTrainingArguments"] = CoachTrainingArguments
    return CoachTrainingArguments


def __getattr__(name: str) -> Any:
    if name == "CoachTrainingArguments":
        return _training_arguments_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class TrainConfig:
    """One resolved run: the four argument groups."""

    model: ModelArguments
    data: DataArguments
    lora: LoraArguments
    training: Any  # CoachTrainingArguments (a Seq2SeqTrainingArguments)

    def to_dict(self) -> dict[str, Any]:
        training = {k: v for k, v in self.training.to_dict().items() if not k.startswith("_")}
        return {
            "model": dataclasses.asdict(self.model),
            "data": dataclasses.asdict(self.data),
            "lora": dataclasses.asdict(self.lora),
            "training": _plain(training),
        }


@dataclass(frozen=True)
class TrainResult:
    output_dir: Path
    train_loss: float
    eval_loss: float | None
    train_examples: int
    eval_examples: int
    world_size: int
    log_history: tuple[dict, ...]
    model: Any = field(default=None, repr=False, compare=False)  # the trained model in memory (PEFT-wrapped for LoRA)


# Defaults that differ from the Trainer's own: the project's recipe shape (no hub, no wandb, epoch evals).
RECIPE_DEFAULTS: dict[str, Any] = {
    "report_to": "none",
    "eval_strategy": "epoch",
    "save_strategy": "epoch",
    "logging_strategy": "steps",
    "logging_steps": 10,
    "save_total_limit": 2,
    "load_best_model_at_end": True,
    "metric_for_best_model": "eval_loss",
    "greater_is_better": False,
    "predict_with_generate": False,
    "seed": 42,
    "disable_tqdm": False,
}


def parse_config(
    config: str | Path | dict | None, overrides: Sequence[str] = (), output_dir: str | None = None
) -> TrainConfig:
    """A YAML recipe (or dict), then `key=value` overrides, then `output_dir`: one validated `TrainConfig`.

    An unknown key, a bad value or a missing model/DB raises `CoachError` here, before any long work.
    """
    import yaml
    from transformers import HfArgumentParser

    if isinstance(config, dict):
        values = dict(config)
    elif config is not None:
        path = Path(config)
        if not path.is_file():
            raise CoachError(f"config file {path} not found")
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise CoachError(f"config file {path} must hold a mapping of key: value")
        values = loaded
    else:
        values = {}
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise CoachError(f"override {item!r} must look like key=value")
        values[key.strip().lstrip("-")] = yaml.safe_load(raw) if raw.strip() else None
    if output_dir is not None:
        values["output_dir"] = output_dir

    training_cls = _training_arguments_class()
    classes = (ModelArguments, DataArguments, LoraArguments, training_cls)
    known = {f.name: f for cls in classes for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(values) - set(known))
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, known, n=1)
            hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
        raise CoachError(f"unknown config key(s): {', '.join(hints)}")
    if values.get("fp16"):
        raise CoachError("fp16 is not supported: T5 overflows in fp16; use precision: bf16 on a GPU that has it")
    if not values.get("output_dir"):
        raise CoachError("set output_dir (in the config or with --output_dir)")

    values = {**RECIPE_DEFAULTS, **{k: _coerce(known[k], v) for k, v in values.items()}}
    values.update(_precision_flags(values.get("precision", "auto"), values))
    if "eval_split" in values and values["eval_split"] is None:
        values.update(eval_strategy="no", load_best_model_at_end=False, early_stopping_patience=None)
    try:
        model, data, lora, training = HfArgumentParser(classes).parse_dict(values)
    except CoachError:
        raise
    except (TypeError, ValueError) as err:  # the Trainer's own consistency checks, e.g. save vs eval strategy
        raise CoachError(f"invalid training config: {' '.join(str(err).split())}") from None
    return TrainConfig(model, data, lora, training)


def _precision_flags(precision: str, values: dict[str, Any]) -> dict[str, Any]:
    import torch

    cuda = torch.cuda.is_available() and not values.get("use_cpu")
    bf16_ok = cuda and torch.cuda.is_bf16_supported()
    if precision == "bf16" and not bf16_ok:
        raise CoachError("precision bf16 needs a GPU with bf16 support; use precision: auto or fp32")
    flags: dict[str, Any] = {"bf16": precision == "bf16" or (precision == "auto" and bf16_ok)}
    if not cuda:
        flags["use_cpu"] = True  # also makes the Trainer use gloo when launched as several CPU processes
    return flags


def _coerce(f: dataclasses.Field, value: Any) -> Any:
    """YAML reads `5e-4` as a string (YAML 1.1); make numbers numbers where the field wants one."""
    if not isinstance(value, str):
        return value
    kind = str(f.type)
    try:
        if "float" in kind:
            return float(value)
        if re.search(r"\bint\b", kind) and "str" not in kind:
            return int(value)
    except ValueError:
        raise CoachError(f"{f.name} must be a number, got {value!r}") from None
    return value


def _plain(value: Any) -> Any:
    """JSON/YAML-safe copy of a config value (enums and paths become strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if value is None or isinstance(value, bool):
        return value
    for kind in (int, float, str):  # exact builtins: yaml can't write subclasses such as torch's version string
        if isinstance(value, kind):
            return kind(value)
    return str(value)


def resolve_db(db: str) -> Path:
    """`sample` means the bundled dialogues (built once into a cached DB by coach.data)."""
    if db == "sample":
        from coach.data import default_db

        return Path(default_db())
    return Path(db).expanduser()


def load_split(db: Path, split: str, limit: int | None = None) -> list:
    """Examples of one split; an empty split is an error now rather than a crash mid-run."""
    from coach.data.store import read_examples

    examples = read_examples(db, split=split, limit=limit)
    if not examples:
        raise CoachError(f"split {split!r} of {db} has no examples; check `python -m coach prepare` output")
    return examples


def build_tokenizer(args: ModelArguments):
    from transformers import AutoTokenizer, ByT5Tokenizer

    name = args.tokenizer or args.model_name_or_path
    if name == BYTE_TOKENIZER:
        return ByT5Tokenizer()
    try:
        return AutoTokenizer.from_pretrained(name)
    except OSError as err:
        raise CoachError(f"cannot load tokenizer {name!r} (offline, or not a tokenizer dir): {err}") from None


def build_model(args: ModelArguments, tokenizer, seed: int):
    """The base model: pretrained weights, or a random T5 from `model_config` (seeded, so runs repeat)."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, T5Config, T5ForConditionalGeneration

    if args.model_config:
        fields = {
            "vocab_size": len(tokenizer),
            "pad_token_id": tokenizer.pad_token_id,
            "eos_token_id": tokenizer.eos_token_id,
            "decoder_start_token_id": tokenizer.pad_token_id,
            "tie_word_embeddings": False,
            **args.model_config,
        }
        torch.manual_seed(seed)
        try:
            config = T5Config(**fields)
        except (TypeError, ValueError) as err:
            raise CoachError(f"invalid model_config: {err}") from None
        return T5ForConditionalGeneration(config)
    try:
        # fp32 weights; bf16 comes from the Trainer's autocast, which keeps optimizer state in fp32.
        return AutoModelForSeq2SeqLM.from_pretrained(args.model_name_or_path, dtype=torch.float32)
    except OSError as err:
        raise CoachError(f"cannot load model {args.model_name_or_path!r} (offline, or not a model): {err}") from None


def apply_lora(model, args: LoraArguments):
    from peft import LoraConfig, TaskType, get_peft_model

    config = LoraConfig(
        task_type=TaskType.SEQ_2_SEQ_LM,
        r=args.lora_r,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        target_modules=args.lora_target_modules,
    )
    try:
        model = get_peft_model(model, config)
    except ValueError as err:  # e.g. target modules the model does not have
        raise CoachError(f"cannot apply LoRA: {err}") from None
    model.print_trainable_parameters()
    return model


def build_dataset(examples: Sequence, tokenizer, data: DataArguments):
    """Prompts through the one prompt builder (no train/serve skew), tokenised with `datasets.map`."""
    from datasets import Dataset

    from coach.prompting import build_prompt

    try:
        sources = [build_prompt(ex.context, tokenizer, max_source_tokens=data.max_source_tokens) for ex in examples]
    except ValueError as err:  # a budget too small for the instruction itself
        raise CoachError(str(err)) from None
    targets = [ex.response for ex in examples]

    def tokenize(batch: dict[str, list[str]]) -> dict[str, list]:
        features = tokenizer(batch["source"], max_length=data.max_source_tokens, truncation=True)
        labels = tokenizer(text_target=batch["target"], max_length=data.max_target_tokens, truncation=True)
        features["labels"] = labels["input_ids"]
        return features

    dataset = Dataset.from_dict({"source": sources, "target": targets})
    return dataset.map(tokenize, batched=True, remove_columns=["source", "target"], desc="tokenising")


def decoding_defaults(model, tokenizer):
    """The model's generation config with the project's decoding defaults (coach.backends.base), saved beside it."""
    from transformers import GenerationConfig as HFGenerationConfig

    from coach.backends.base import GenerationConfig

    defaults = GenerationConfig()
    return HFGenerationConfig(
        decoder_start_token_id=model.config.decoder_start_token_id,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        max_new_tokens=defaults.max_new_tokens,
        no_repeat_ngram_size=defaults.no_repeat_ngram_size,
        repetition_penalty=defaults.repetition_penalty,
    )


def train(cfg: TrainConfig, examples: dict[str, Sequence] | None = None) -> TrainResult:
    """Build data, model and `Seq2SeqTrainer` from `cfg`, train, and save everything beside the weights.

    `examples` ({"train": [...], "valid": [...]}, `coach.data.store.Example` records) replaces reading the DB, for
    notebooks and tests that train on a handful of hand-written examples.
    """
    from transformers import DataCollatorForSeq2Seq, EarlyStoppingCallback, Seq2SeqTrainer, set_seed

    args = cfg.training
    set_seed(args.seed)
    resume = _resume_arg(args.resume_from_checkpoint)

    # Cheap checks first: the DB and its splits, then the tokenizer and model, then tokenising.
    if examples is None:
        db = resolve_db(cfg.data.db)
        train_examples = load_split(db, cfg.data.train_split, cfg.data.max_train_examples)
        eval_examples = load_split(db, cfg.data.eval_split, cfg.data.max_eval_examples) if cfg.data.eval_split else []
    else:
        db = Path("<in-memory examples>")
        train_examples = list(examples.get(cfg.data.train_split, ()))
        eval_examples = list(examples.get(cfg.data.eval_split, ())) if cfg.data.eval_split else []
        if not train_examples:
            raise CoachError(f"no {cfg.data.train_split!r} examples given")
    tokenizer = build_tokenizer(cfg.model)
    model = build_model(cfg.model, tokenizer, args.seed)
    generation_config = decoding_defaults(model, tokenizer)
    base_dir = None
    if cfg.lora.use_lora:
        if cfg.model.model_config:
            # A random base exists nowhere else: keep it so the adapter can be loaded later.
            base_dir = Path(args.output_dir) / "base"
            if args.process_index == 0:
                model.save_pretrained(base_dir)
                tokenizer.save_pretrained(base_dir)
                generation_config.save_pretrained(base_dir)
            model.name_or_path = str(base_dir)  # PEFT records it as the adapter's base
        model = apply_lora(model, cfg.lora)

    with args.main_process_first(desc="tokenising"):
        train_dataset = build_dataset(train_examples, tokenizer, cfg.data)
        eval_dataset = build_dataset(eval_examples, tokenizer, cfg.data) if eval_examples else None

    callbacks = []
    if eval_dataset is not None and args.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(args.early_stopping_patience, args.early_stopping_threshold))
    trainer = Seq2SeqTrainer(
        model=model,
        args=args,
        train_dataset=train_dataset,
        eval_dataset=eval_dataset,
        data_collator=DataCollatorForSeq2Seq(tokenizer, model=model, label_pad_token_id=-100),
        processing_class=tokenizer,
        callbacks=callbacks,
    )
    if resume is True and not _has_checkpoint(args.output_dir):
        logger.warning("resume_from_checkpoint: true, but %s has no checkpoint; starting fresh", args.output_dir)
        resume = None
    train_output = trainer.train(resume_from_checkpoint=resume)
    metrics = dict(train_output.metrics)
    metrics["train_examples"] = len(train_examples)
    eval_loss = None
    if eval_dataset is not None:
        eval_metrics = trainer.evaluate()
        eval_loss = float(eval_metrics["eval_loss"])
        metrics.update(eval_metrics)
        metrics["eval_examples"] = len(eval_examples)

    out = Path(args.output_dir)
    trainer.save_model(str(out))  # a PEFT model saves just its adapter here
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(out)
        generation_config.save_pretrained(out)
        if cfg.lora.use_lora and cfg.lora.merge_lora:
            save_merged(base_dir or cfg.model.model_name_or_path, out, out / "merged")
            tokenizer.save_pretrained(out / "merged")
            generation_config.save_pretrained(out / "merged")
        trainer.log_metrics("all", metrics)
        trainer.save_metrics("all", metrics, combined=False)
        trainer.save_state()
        _write_jsonl(out / METRICS_LOG, trainer.state.log_history)
        resolved = cfg.to_dict()
        resolved["run"] = _run_facts(args, db, len(train_examples), len(eval_examples), base_dir)
        _write_yaml(out / RESOLVED_CONFIG, resolved)
        from coach.model_card import write_model_card

        write_model_card(out, resolved, metrics)
        logger.info("saved model, tokenizer, generation config, config, metrics and model card in %s", out)
    trainer.accelerator.wait_for_everyone()
    return TrainResult(
        output_dir=out,
        train_loss=float(metrics.get("train_loss", float("nan"))),
        eval_loss=eval_loss,
        train_examples=len(train_examples),
        eval_examples=len(eval_examples),
        world_size=args.world_size,
        log_history=tuple(trainer.state.log_history),
        model=trainer.model,
    )


def save_merged(base: str | Path, adapter_dir: Path, merged_dir: Path) -> None:
    """Base weights + the saved adapter, merged into one plain model (loaded afresh from disk, so this works the
    same after DDP, FSDP or DeepSpeed training, and leaves the trained model untouched)."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForSeq2SeqLM

    base_model = AutoModelForSeq2SeqLM.from_pretrained(base, dtype=torch.float32)
    merged = PeftModel.from_pretrained(base_model, adapter_dir).merge_and_unload()
    merged.save_pretrained(merged_dir)


def _resume_arg(value: Any) -> bool | str | None:
    if value in (None, False, "", "false", "False"):
        return None
    if value in (True, "true", "True"):
        return True
    if not Path(value).is_dir():
        raise CoachError(f"checkpoint {value} not found")
    return str(value)


def _has_checkpoint(output_dir: str) -> bool:
    from transformers.trainer_utils import get_last_checkpoint

    return Path(output_dir).is_dir() and get_last_checkpoint(output_dir) is not None


def _run_facts(args, db: Path, n_train: int, n_eval: int, base_dir: Path | None) -> dict[str, Any]:
    import accelerate
    import peft
    import torch
    import transformers

    return {
        "world_size": args.world_size,
        "device": str(args.device),
        "bf16": bool(args.bf16),
        "db": str(db),
        "train_examples": n_train,
        "eval_examples": n_eval,
        "base_model_dir": str(base_dir) if base_dir else None,
        "launcher": "accelerate/torchrun" if "LOCAL_RANK" in os.environ else "python",
        "versions": {
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "peft": peft.__version__,
            "accelerate": accelerate.__version__,
        },
    }


def _write_yaml(path: Path, data: dict) -> None:
    import yaml

    path.write_text(yaml.safe_dump(_plain(data), sort_keys=False), encoding="utf-8")


def _write_jsonl(path: Path, rows: Sequence[dict]) -> None:
    path.write_text("".join(json.dumps(_plain(row)) + "\n" for row in rows), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """`train/train.py --config X.yaml [--output_dir D] [key=value ...]`; errors a user caused exit 2."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="train/train.py",
        description="Fine-tune a seq2seq model on the Coach example store (full or LoRA).",
        epilog="Any config key can be overridden as key=value, e.g. num_train_epochs=1 learning_rate=1e-4.",
    )
    parser.add_argument("--config", help="recipe YAML, e.g. train/configs/flan-t5-small.yaml")
    parser.add_argument("--output_dir", "--output-dir", dest="output_dir", help="where the model goes")
    parser.add_argument("overrides", nargs="*", metavar="key=value", help="override any config key")
    ns = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cfg = parse_config(ns.config, ns.overrides, ns.output_dir)
        result = train(cfg)
    except CoachError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if result.world_size == 1 or int(os.environ.get("RANK", "0")) == 0:
        summary = {
            f.name: getattr(result, f.name)
            for f in dataclasses.fields(result)
            if f.name not in {"log_history", "model"}
        }
        print(json.dumps(_plain(summary)))
    return 0
