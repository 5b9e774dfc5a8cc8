"""Generation backends behind one interface (`coach.backends.base.Generator`).

`load_generator` is the one place that picks and builds a backend; chat, `generate` and `evaluate` all use it.
"""

from __future__ import annotations

from coach.errors import CoachError

BACKENDS = ("torch", "ct2", "torch-int8", "retrieval", "auto")

# Knobs of the model backends that a backend without a model (retrieval) ignores, so callers can pass them blindly.
_MODEL_OPTIONS = ("device", "batch_size", "max_source_tokens")


def load_generator(model: str, adapter: str | None = None, backend: str = "torch", **options):
    """Build the generator for `backend`: "torch", "ct2", "retrieval" or "auto" (the fastest installed on CPU).

    `options` go to the backend: torch takes `device`, `batch_size`, `max_source_tokens`; retrieval takes `db`,
    `split`, `cache_dir`, `min_similarity` (and ignores `model`, `adapter` and the model options).
    """
    if backend == "auto":
        return _load_auto(model, adapter, **options)
    if backend == "torch":
        from coach.backends.torch import TorchGenerator

        return TorchGenerator(model, adapter=adapter, **options)
    if backend == "retrieval":
        from coach.retrieval import RetrievalResponder

        return RetrievalResponder(**{k: v for k, v in options.items() if k not in _MODEL_OPTIONS})
    if backend == "ct2":
        from coach.backends.ct2 import CT2Generator

        return CT2Generator(model, adapter=adapter, **options)
    if backend == "torch-int8":
        from coach.backends.torch_int8 import TorchInt8Generator

        return TorchInt8Generator(model, adapter=adapter, **options)
    raise CoachError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


def _load_auto(model: str, adapter: str | None = None, **options):
    """GPUs keep torch; on CPU the fastest installed backend: ct2 (int8) when ctranslate2 imports, else torch."""
    import importlib.util
    import logging

    from coach.modeling import resolve_device

    if resolve_device(options.get("device")) != "cpu" or importlib.util.find_spec("ctranslate2") is None:
        return load_generator(model, adapter, backend="torch", **options)
    try:
        return load_generator(model, adapter, backend="ct2", **options)
    except CoachError as err:  # e.g. a model CTranslate2 can't convert: serve it the plain way
        logging.getLogger(__name__).warning("ct2 backend unavailable (%s); using torch", err)
        return load_generator(model, adapter, backend="torch", **options)
