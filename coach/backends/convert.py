"""`python -m coach convert`: a transformers seq2seq model (+ a LoRA adapter) as a CTranslate2 model dir.

A LoRA adapter is merged into the base weights first (PEFT `merge_and_unload`), then
`ctranslate2.converters.TransformersConverter` writes the CTranslate2 model; the tokenizer and the generation
settings are saved beside it, so a converted dir is all serving needs. Output is written to a temporary dir next to
the target and renamed into place, so a crash never leaves a half-written model where a reader looks.

`--backend ct2` on an unconverted model calls `cached_conversion`: the converted dir lives under
~/.cache/coach/ct2/, keyed by a hash of the model's (and adapter's) files and the quantization, and is reused.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from coach.errors import CoachError

logger = logging.getLogger(__name__)

QUANTIZATIONS = ("int8", "int8_float32", "float32")
DEFAULT_QUANTIZATION = "int8"
METADATA_FILE = "coach_conversion.json"  # written last; its presence marks a complete conversion
# Top-level files that define a model or adapter (subdirs such as checkpoint-*/ are training leftovers).
_HASHED_SUFFIXES = (".json", ".safetensors", ".bin", ".model", ".txt", ".pt")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help="model dir or hub id (a transformers T5 / flan-t5 model)")
    parser.add_argument("--adapter", default=None, help="optional PEFT (LoRA) adapter dir, merged before converting")
    parser.add_argument("--out", required=True, help="output dir for the CTranslate2 model")
    parser.add_argument(
        "--quantization",
        choices=QUANTIZATIONS,
        default=DEFAULT_QUANTIZATION,
        help="weight type stored in the converted model (default: int8, the fast CPU path)",
    )
    parser.add_argument("--force", action="store_true", help="replace --out if it already exists")


def run(args: argparse.Namespace) -> int:
    out = convert_model(args.model, args.out, adapter=args.adapter, quantization=args.quantization, force=args.force)
    print(json.dumps({"out": str(out), **read_metadata(out)}, indent=2))
    return 0


def is_converted(path: str | Path) -> bool:
    """Whether `path` is a CTranslate2 model dir (written by CTranslate2, with or without our metadata)."""
    path = Path(path).expanduser()
    if not (path / "model.bin").is_file():
        return False
    try:  # a transformers config names its model type; CTranslate2's doesn't
        return "model_type" not in json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False


def read_metadata(path: str | Path) -> dict:
    """What `convert_model` recorded about a converted dir (source, adapter, quantization); {} if none."""
    try:
        return json.loads((Path(path) / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def convert_model(
    model: str,
    out: str | Path,
    adapter: str | None = None,
    quantization: str = DEFAULT_QUANTIZATION,
    force: bool = False,
) -> Path:
    """Convert `model` (+ `adapter`, merged) to a CTranslate2 dir at `out`; returns `out` as a Path."""
    out = Path(out).expanduser()
    if out.exists() and not force:
        raise CoachError(f"{out} already exists; pass --force to replace it")
    source, adapter_path = _resolve(model, adapter)
    _check_quantization(quantization)
    staged = _convert_to_temp(source, adapter_path, quantization, out.parent, fingerprint=None)
    old = None
    if out.exists():  # --force: swap the new dir in, then drop the old one
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    staged.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    logger.info("converted %s%s to %s (%s)", model, f" + {adapter}" if adapter else "", out, quantization)
    return out


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "coach" / "ct2"


def cached_conversion(
    model: str,
    adapter: str | None = None,
    quantization: str = DEFAULT_QUANTIZATION,
    cache_dir: str | Path | None = None,
) -> Path:
    """The converted dir for `model` (+ `adapter`) in the cache, converting on first use.

    The key is a hash of the model's and adapter's files plus the quantization, so retraining into the same dir
    converts again, and the same weights never convert twice.
    """
    source, adapter_path = _resolve(model, adapter)
    _check_quantization(quantization)
    cache = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    fingerprint = model_fingerprint(source, adapter_path)
    target = cache / f"{fingerprint[:20]}-{quantization}"
    if is_converted(target) and (target / METADATA_FILE).is_file():
        logger.info("reusing converted model %s", target)
        return target
    cache.mkdir(parents=True, exist_ok=True)
    logger.warning("converting %s to CTranslate2 (%s) on first use; cached in %s", model, quantization, target)
    staged = _convert_to_temp(source, adapter_path, quantization, cache, fingerprint=fingerprint)
    try:
        staged.rename(target)
    except OSError:  # another process finished the same conversion first (or a broken leftover is in the way)
        if is_converted(target) and (target / METADATA_FILE).is_file():
            shutil.rmtree(staged, ignore_errors=True)
        else:
            shutil.rmtree(target, ignore_errors=True)
            staged.rename(target)
    return target


def model_fingerprint(model_dir: str | Path, adapter_dir: str | Path | None = None) -> str:
    """A content hash of a model dir's defining files (and an adapter's), independent of where they live."""
    digest = hashlib.blake2b(digest_size=20)
    for label, directory in (("model", model_dir), ("adapter", adapter_dir)):
        if directory is None:
            continue
        digest.update(label.encode())
        for file in sorted(Path(directory).iterdir()):
            if not file.is_file() or file.name.startswith(".") or file.suffix not in _HASHED_SUFFIXES:
                continue
            digest.update(file.name.encode() + b"\0")
            with file.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
    return digest.hexdigest()


def _check_quantization(quantization: str) -> None:
    if quantization not in QUANTIZATIONS:
        raise CoachError(f"unknown quantization {quantization!r}; choose one of: {', '.join(QUANTIZATIONS)}")


def _resolve(model: str, adapter: str | None) -> tuple[Path, Path | None]:
    """Local dirs for the model (a hub id resolves to its cached snapshot) and the adapter, checked."""
    from coach.modeling import check_adapter, resolve_model

    if is_converted(model):
        raise CoachError(f"{model} is already a CTranslate2 model; serve it with --backend ct2 --model {model}")
    ref = resolve_model(model)
    source = Path(ref) if Path(ref).is_dir() else _snapshot_dir(ref)
    adapter_path = check_adapter(adapter, str(source)) if adapter else None
    return source, adapter_path


def _snapshot_dir(model_id: str) -> Path:
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(model_id))
    except Exception as err:  # offline and not cached, or a hub error: one line for the user
        raise CoachError(f"can't fetch {model_id} for conversion: {str(err).splitlines()[0]}") from None


def _convert_to_temp(
    source: Path, adapter: Path | None, quantization: str, parent: Path, fingerprint: str | None
) -> Path:
    """Convert into a fresh temporary dir under `parent` (same filesystem, so the caller can rename it)."""
    ctranslate2 = require_ctranslate2()
    from ctranslate2.converters import TransformersConverter

    parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".coach-convert-", dir=parent))
    try:
        with tempfile.TemporaryDirectory(prefix="coach-merge-") as merged_dir:
            hf_dir = _merge_adapter(source, adapter, Path(merged_dir)) if adapter else source
            try:  # force: the converter recreates the (empty) staging dir
                TransformersConverter(str(hf_dir)).convert(str(staged), quantization=quantization, force=True)
            except (ValueError, KeyError, OSError, NotImplementedError) as err:
                raise CoachError(f"can't convert {source} to CTranslate2: {str(err).splitlines()[0]}") from None
            _save_tokenizer_and_settings(hf_dir, staged)
            _copy_training_config(source, adapter, staged)
        metadata = {
            "source": str(source),
            "adapter": str(adapter) if adapter else None,
            "quantization": quantization,
            "fingerprint": fingerprint or model_fingerprint(source, adapter),
            "ctranslate2": ctranslate2.__version__,
        }
        (staged / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        return staged
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


def _merge_adapter(source: Path, adapter: Path, out: Path) -> Path:
    """Save base + adapter merged (`merge_and_unload`) as a plain transformers model dir, with its tokenizer."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForSeq2SeqLM

    logger.info("merging adapter %s into %s", adapter, source)
    base = AutoModelForSeq2SeqLM.from_pretrained(str(source), dtype=torch.float32)
    try:
        merged = PeftModel.from_pretrained(base, str(adapter)).merge_and_unload()
    except (RuntimeError, ValueError, KeyError, OSError) as err:
        raise CoachError(f"adapter {adapter} doesn't fit {source}: {str(err).splitlines()[0]}") from None
    merged.save_pretrained(str(out))
    # The tokenizer saved beside the adapter by training is the one it was trained with; else the base's.
    tokenizer_source = adapter if (adapter / "tokenizer_config.json").is_file() else source
    _tokenizer(tokenizer_source).save_pretrained(str(out))
    return out


def _save_tokenizer_and_settings(hf_dir: Path, output: Path) -> None:
    from transformers import GenerationConfig

    _tokenizer(hf_dir).save_pretrained(str(output))
    with contextlib.suppress(OSError):  # no generation_config.json: serving uses the model's defaults
        GenerationConfig.from_pretrained(str(hf_dir)).save_pretrained(str(output))
    # CTranslate2 writes its own config.json; keep the transformers one too, for reference.
    if (hf_dir / "config.json").is_file():
        shutil.copyfile(hf_dir / "config.json", output / "hf_config.json")


def _copy_training_config(source: Path, adapter: Path | None, output: Path) -> None:
    """Keep the recipe beside the converted model, so serving cuts prompts to the budget the model was trained with."""
    from coach.modeling import TRAINING_CONFIG

    for folder in (adapter, source):
        if folder is not None and (folder / TRAINING_CONFIG).is_file():
            shutil.copyfile(folder / TRAINING_CONFIG, output / TRAINING_CONFIG)
            return


def _tokenizer(path: Path):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(path))
    except (OSError, ValueError) as err:
        raise CoachError(f"no usable tokenizer in {path}: {str(err).splitlines()[0]}") from None


def require_ctranslate2():
    """Import ctranslate2, or say plainly how to get it."""
    try:
        import ctranslate2
    except ImportError:
        raise CoachError(
            "the ct2 backend needs the ctranslate2 package (pip install -r requirements.txt); or use --backend torch"
        ) from None
    return ctranslate2
