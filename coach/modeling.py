"""Load a seq2seq model (hub id or local dir) with an optional PEFT adapter, on the best device, once.

Everything a user can get wrong (a missing dir, a hub id that isn't cached while offline, an adapter dir without
`adapter_config.json`, an adapter made for another base) is checked before weights load, and raised as one-line
`CoachError`s. An adapter is merged into the base weights after loading (`merge_and_unload`): generation then runs
at the plain model's speed, and the adapter can't be switched off later, which serving never needs.

dtype: bf16 on CUDA GPUs that support it, fp32 elsewhere; never fp16, where T5 overflows.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from pathlib import Path

from coach.errors import CoachError

logger = logging.getLogger(__name__)

_HUB_ID = re.compile(r"^[\w.-]+(/[\w.-]+)?$")
TRAINING_CONFIG = "training_config.yaml"  # written by train/train.py (coach.training.RESOLVED_CONFIG)
_TOKENIZER_FILES = ("tokenizer_config.json", "tokenizer.json", "spiece.model")


def load_model(model: str, adapter: str | None = None, device: str | None = None):
    """Return `(model, tokenizer)` ready for generation (eval mode, on `device`), cached by arguments.

    `model` is a local model dir or a hub id; `adapter` an optional PEFT adapter dir (merged into the weights);
    `device` is "cuda", "cuda:1", "mps", "cpu" or None for the best available.
    """
    model_ref = resolve_model(model)
    adapter_path = str(check_adapter(adapter, model_ref)) if adapter else None
    return _load(model_ref, adapter_path, resolve_device(device))


def source_token_budget(model: str, adapter: str | None = None) -> int:
    """The prompt token budget the model was trained with (`data.max_source_tokens` in the training_config.yaml
    that train/train.py saves beside the adapter or the weights), so serving truncates exactly as training did;
    `coach.prompting.DEFAULT_MAX_SOURCE_TOKENS` for a model trained elsewhere (e.g. a hub id)."""
    from coach.prompting import DEFAULT_MAX_SOURCE_TOKENS

    for folder in (adapter, model):
        file = Path(folder).expanduser() / TRAINING_CONFIG if folder else None
        if file is None or not file.is_file():
            continue
        import yaml

        try:
            value = (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("data", {}).get("max_source_tokens")
        except (OSError, yaml.YAMLError, AttributeError):
            value = None
        if isinstance(value, int) and value > 0:
            return value
        logger.warning("%s has no usable data.max_source_tokens; using %d", file, DEFAULT_MAX_SOURCE_TOKENS)
    return DEFAULT_MAX_SOURCE_TOKENS


def clear_cache() -> None:
    """Forget loaded models (tests, or to free memory)."""
    _load.cache_clear()


def resolve_device(device: str | None = None) -> str:
    import torch

    if device is None:
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise CoachError(f"device {device!r} asked for, but no CUDA GPU is available; leave the device unset")
    if device == "mps" and not torch.backends.mps.is_available():
        raise CoachError("device 'mps' asked for, but MPS is not available; leave the device unset")
    return device


def dtype_for(device: str):
    """bf16 on CUDA GPUs that support it, fp32 everywhere else (T5 overflows in fp16)."""
    import torch

    if device.startswith("cuda") and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def resolve_model(model: str) -> str:
    """A local model dir (as an absolute path) or a hub id whose config can be loaded; else a CoachError."""
    if not model or not str(model).strip():
        raise CoachError("no model given; pass a model dir or hub id (or set COACH_MODEL)")
    path = Path(model).expanduser()
    if path.is_dir():
        if (path / "config.json").is_file():
            return str(path.resolve())
        if (path / "adapter_config.json").is_file():
            base = _read_adapter_config(path).get("base_model_name_or_path") or "its base model"
            raise CoachError(f"{model} is a PEFT adapter, not a model; use --model {base} --adapter {model}")
        raise CoachError(f"{model} is not a model dir (no config.json in it)")
    if path.exists():
        raise CoachError(f"{model} is a file; expected a model dir or a hub id")
    if not _HUB_ID.match(model) or "--" in model or ".." in model:
        raise CoachError(f"model dir {model} does not exist; train one or set COACH_MODEL")
    return _check_hub_model(model)


def _check_hub_model(model_id: str) -> str:
    from huggingface_hub import try_to_load_from_cache
    from huggingface_hub.constants import is_offline_mode

    if isinstance(try_to_load_from_cache(model_id, "config.json"), str):
        return model_id
    message = (
        f"{model_id!r} is not a local dir, not in the local cache and the hub is unreachable; "
        "train one or set COACH_MODEL"
    )
    if is_offline_mode():
        raise CoachError(message)
    from transformers import AutoConfig

    try:
        AutoConfig.from_pretrained(model_id)
    except (OSError, ValueError) as err:
        raise CoachError(f"{message} ({_first_line(err)})") from None
    return model_id


def check_adapter(adapter: str, model_ref: str) -> Path:
    """Check an adapter dir against the base model's shapes before loading any weights."""
    path = Path(adapter).expanduser()
    if not path.is_dir():
        raise CoachError(f"adapter dir {adapter} does not exist")
    if not (path / "adapter_config.json").is_file():
        raise CoachError(f"{adapter} is not a PEFT adapter dir (no adapter_config.json in it)")
    adapter_config = _read_adapter_config(path)
    shapes = _adapter_shapes(path)
    if shapes:
        problem = _shape_mismatch(shapes, model_ref)
        if problem:
            base = adapter_config.get("base_model_name_or_path") or "another base model"
            raise CoachError(f"adapter {adapter} was made for {base}, not for {model_ref}: {problem}")
    return path.resolve()


def _read_adapter_config(path: Path) -> dict:
    try:
        return json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise CoachError(f"{path}/adapter_config.json can't be read: {_first_line(err)}") from None


def _adapter_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """Tensor shapes in adapter_model.safetensors, read from the header only (no weights loaded)."""
    file = path / "adapter_model.safetensors"
    if not file.is_file():
        return {}  # an older .bin adapter: PEFT's own error is translated at load time instead
    from safetensors import safe_open

    try:
        with safe_open(str(file), framework="pt") as f:
            return {key: tuple(f.get_slice(key).get_shape()) for key in f.keys()}  # noqa: SIM118
    except Exception as err:  # a truncated or foreign file: say so in one line
        raise CoachError(f"{file} can't be read: {_first_line(err)}") from None


def _shape_mismatch(shapes: dict[str, tuple[int, ...]], model_ref: str) -> str | None:
    """The first LoRA weight that doesn't fit the base model's layers, described; None when all fit."""
    import torch
    from transformers import AutoConfig, AutoModelForSeq2SeqLM

    config = AutoConfig.from_pretrained(model_ref)
    with torch.device("meta"):  # the model's skeleton: shapes, no memory, no weights read
        skeleton = AutoModelForSeq2SeqLM.from_config(config)
    for key, shape in shapes.items():
        for part, dim in ((".lora_A.", 1), (".lora_B.", 0)):
            if part not in key:
                continue
            module_name = key.split(part)[0].removeprefix("base_model.model.")
            try:
                module = skeleton.get_submodule(module_name)
            except AttributeError:
                return f"the base has no layer {module_name}"
            expected = getattr(module, "in_features" if dim == 1 else "out_features", None)
            if expected is not None and len(shape) == 2 and shape[dim] != expected:
                side = "inputs" if dim == 1 else "outputs"
                return f"{module_name} has {expected} {side} here, the adapter expects {shape[dim]}"
    return None


@functools.lru_cache(maxsize=4)
def _load(model_ref: str, adapter_path: str | None, device: str):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    dtype = dtype_for(device)
    logger.info(
        "loading %s%s on %s (%s)", model_ref, f" + adapter {adapter_path}" if adapter_path else "", device, dtype
    )
    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(model_ref, dtype=dtype)
    except (OSError, ValueError) as err:
        raise CoachError(f"can't load model {model_ref}: {_first_line(err)}") from None
    tokenizer_source = model_ref
    if adapter_path:
        from peft import PeftModel

        try:
            model = PeftModel.from_pretrained(model, adapter_path).merge_and_unload()
        except (RuntimeError, ValueError, KeyError, OSError) as err:
            raise CoachError(f"adapter {adapter_path} doesn't fit {model_ref}: {_first_line(err)}") from None
        if any((Path(adapter_path) / name).is_file() for name in _TOKENIZER_FILES):
            tokenizer_source = adapter_path  # saved beside the adapter by training: the one it was trained with
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_source)
    model.to(device).eval()
    return model, tokenizer


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
