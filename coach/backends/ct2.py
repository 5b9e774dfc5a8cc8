"""The fast CPU backend: CTranslate2 (int8 weights by default) behind the same generator interface.

`model` is either a CTranslate2 dir written by `python -m coach convert`, or a transformers model dir / hub id
(+ adapter), converted on first use into a cache keyed by the model's content (`convert.cached_conversion`).
Prompts come from `coach.prompting.build_prompt` with the tokenizer saved beside the converted model, so they are
the prompts training and the torch backend use. Decoding settings map one to one onto CTranslate2's options.

`generate` decodes a list of conversations as one batch (`translate_batch`); `on_piece` receives each reply's new
text as it decodes (greedy and sampling), which is how the micro-batcher streams several replies from one batch.
`stream` uses `generate_tokens` for one conversation; beam search yields the finished reply in one piece.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from coach.backends.base import Generation, GenerationConfig, Turns
from coach.backends.convert import DEFAULT_QUANTIZATION, QUANTIZATIONS, cached_conversion, is_converted, read_metadata
from coach.backends.convert import require_ctranslate2 as _require_ctranslate2
from coach.errors import CoachError
from coach.modeling import source_token_budget
from coach.prompting import build_prompt

logger = logging.getLogger(__name__)

PieceCallback = Callable[[int, str], None]  # (index of the conversation in the batch, new text)


class CT2Generator:
    """`coach.backends.base.Generator` over a CTranslate2 `Translator` (encoder-decoder T5)."""

    name = "ct2"

    def __init__(
        self,
        model: str,
        adapter: str | None = None,
        device: str | None = None,
        batch_size: int = 8,
        max_source_tokens: int | None = None,
        compute_type: str = DEFAULT_QUANTIZATION,
        threads: int = 0,
        cache_dir: str | None = None,
        inter_threads: int = 1,
    ) -> None:
        """`compute_type`: int8 (default), int8_float32 or float32; `threads`: cores to use, 0 for every core.

        `inter_threads`: calls decoded in parallel (from different threads, e.g. `MicroBatcher(workers=...)`), each
        on `threads // inter_threads` cores. 1 (default) gives every call all the cores.
        """
        ctranslate2 = _require_ctranslate2()
        from transformers import AutoTokenizer

        if batch_size < 1 or inter_threads < 1:
            raise ValueError("batch_size and inter_threads must be at least 1")
        if compute_type not in QUANTIZATIONS:
            raise CoachError(f"unknown compute type {compute_type!r}; choose one of: {', '.join(QUANTIZATIONS)}")
        began = time.perf_counter()
        if is_converted(model):
            if adapter:
                raise CoachError(f"{model} is already converted; merge the adapter in when converting (--adapter)")
            self.model_dir = Path(model)
        else:  # a transformers model: convert once, at the precision asked for, then reuse
            self.model_dir = cached_conversion(model, adapter, quantization=compute_type, cache_dir=cache_dir)
        self.device = _ct2_device(device, ctranslate2)
        self.threads = threads or _available_cores()
        self.compute_type = compute_type
        self.translator = self._translator(inter_threads)
        self.inter_threads = inter_threads
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self.batch_size = batch_size
        # None: the budget the model was trained with (its training_config.yaml), so prompts are cut as in training.
        self.max_source_tokens = max_source_tokens or source_token_budget(str(self.model_dir), None)
        self.min_new_tokens = _min_new_tokens(self.model_dir)
        self.load_s = time.perf_counter() - began
        source = read_metadata(self.model_dir).get("source") or str(model)
        self._label = (
            f"{model}" + (f" + adapter {adapter}" if adapter else ""),
            "" if source == str(model) else f" from {source}",
        )
        self._warned_seed = False

    @property
    def description(self) -> str:
        intra_threads = max(1, self.threads // self.inter_threads)
        return (
            f"{self._label[0]} via CTranslate2 on {self.device} "
            f"({self.compute_type}, {_threads_label(self.inter_threads, intra_threads)}){self._label[1]}"
        )

    def set_parallel_calls(self, calls: int) -> None:
        """Reload the weights so `calls` calls from different threads decode at once, each on cores // calls threads.

        For a server whose batcher runs `calls` batches at once (`MicroBatcher(workers=calls)`); call it before
        serving, not while a call runs. Reloading a converted model takes a fraction of a second.
        """
        if calls < 1:
            raise ValueError("calls must be at least 1")
        if calls != self.inter_threads:
            self.translator = self._translator(calls)
            self.inter_threads = calls

    def _translator(self, inter_threads: int):
        import ctranslate2

        try:
            return ctranslate2.Translator(
                str(self.model_dir),
                device=self.device,
                compute_type=self.compute_type,
                inter_threads=inter_threads,
                intra_threads=max(1, self.threads // inter_threads),
            )
        except (RuntimeError, ValueError) as err:
            raise CoachError(f"can't load CTranslate2 model {self.model_dir}: {str(err).splitlines()[0]}") from None

    def prompts(self, conversations: Sequence[Turns]) -> list[str]:
        return [build_prompt(turns, self.tokenizer, self.max_source_tokens) for turns in conversations]

    def generate(
        self, conversations: Sequence[Turns], config: GenerationConfig, on_piece: PieceCallback | None = None
    ) -> list[Generation]:
        """One reply per conversation, decoded in batches of `batch_size`.

        `on_piece(i, text)` gets reply i's text as it decodes (greedy and sampling; beam search reports each reply
        whole when the search ends); the pieces of one reply, joined and stripped, are its `Generation.text`.
        """
        sources = self._sources(self.prompts(conversations))
        results: list[Generation] = []
        for start in range(0, len(sources), self.batch_size):
            chunk = sources[start : start + self.batch_size]
            streaming = on_piece is not None and config.num_beams == 1
            decoders = [IncrementalDecoder(self.tokenizer) for _ in chunk]

            def callback(step, offset=start, decoders=decoders) -> bool:
                if step.token_id != self._eos_id:
                    piece = decoders[step.batch_id].add(step.token_id)
                    if piece:
                        on_piece(offset + step.batch_id, piece)
                return False  # never stop the batch early

            began = time.perf_counter()
            self._seed(config)
            outputs = self.translator.translate_batch(
                chunk, **self._options(config), callback=callback if streaming else None
            )
            share = (time.perf_counter() - began) / len(chunk)
            for index, output in enumerate(outputs, start):
                ids = self.tokenizer.convert_tokens_to_ids(output.hypotheses[0])
                text = self._decode(ids)
                results.append(Generation(text, len(ids), share))
                if on_piece is not None and not streaming and text:
                    on_piece(index, text)
        return results

    def stream(self, turns: Turns, config: GenerationConfig) -> Iterator[str]:
        """Text pieces as they decode; joined and stripped they equal `generate`'s text for the same input."""
        if config.num_beams > 1 and not config.do_sample:  # beam search: no token is final before the search ends
            yield self.generate([turns], config)[0].text
            return
        source = self._sources(self.prompts([turns]))[0]
        options = self._options(config)
        options.pop("beam_size")
        decoder = IncrementalDecoder(self.tokenizer)
        self._seed(config)
        for step in self.translator.generate_tokens(source, **options):
            if step.token_id == self._eos_id:
                break
            piece = decoder.add(step.token_id)
            if piece:
                yield piece

    @property
    def _eos_id(self) -> int:
        return self.tokenizer.eos_token_id

    def _sources(self, prompts: list[str]) -> list[list[str]]:
        encoded = self.tokenizer(prompts, truncation=True, max_length=self.max_source_tokens)["input_ids"]
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in encoded]

    def _decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()

    def _options(self, config: GenerationConfig) -> dict:
        """CTranslate2 options for a `GenerationConfig`: the same search and penalties as transformers."""
        options: dict = {
            "beam_size": 1 if config.do_sample else config.num_beams,
            "max_decoding_length": config.max_new_tokens,
            "min_decoding_length": min(self.min_new_tokens, config.max_new_tokens),
            "no_repeat_ngram_size": config.no_repeat_ngram_size,
            "repetition_penalty": config.repetition_penalty,
            "max_input_length": self.max_source_tokens,
        }
        if config.do_sample:  # topk 0 samples from the whole vocabulary, as transformers' top_p alone does
            options.update(sampling_topk=0, sampling_topp=config.top_p, sampling_temperature=config.temperature)
        return options

    def _seed(self, config: GenerationConfig) -> None:
        if not (config.do_sample and config.seed is not None) or self._warned_seed:
            return
        # CTranslate2 seeds each worker thread's sampler once, at its first use: a seed given per call can't make
        # later calls repeat. Say so once rather than pretend.
        logger.warning("the ct2 backend can't honour per-call sampling seeds; use --backend torch for seeded runs")
        self._warned_seed = True


class IncrementalDecoder:
    """Turns token ids into text pieces whose concatenation is the decoded text (word-piece spaces included)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.ids: list[int] = []
        self.text = ""

    def add(self, token_id: int) -> str:
        self.ids.append(token_id)
        text = self.tokenizer.decode(self.ids, skip_special_tokens=True)
        if text.endswith("\ufffd"):  # half a multi-byte character: wait for the rest
            return ""
        piece = text[len(self.text) :] if text.startswith(self.text) else ""
        self.text = text
        return piece


def _min_new_tokens(model_dir: Path) -> int:
    """`min_new_tokens` from the generation settings saved beside the model (as transformers would apply it)."""
    try:
        settings = json.loads((model_dir / "generation_config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return 0
    if settings.get("min_new_tokens"):
        return int(settings["min_new_tokens"])
    return max(0, int(settings.get("min_length") or 0) - 1)  # encoder-decoder min_length counts the start token


def _ct2_device(device: str | None, ctranslate2) -> str:
    if device in (None, "cpu"):
        return "cpu"
    if device.startswith("cuda"):
        if ctranslate2.get_cuda_device_count() == 0:
            raise CoachError(f"device {device!r} asked for, but CTranslate2 sees no CUDA GPU; leave the device unset")
        return "cuda"
    raise CoachError(f"the ct2 backend runs on cpu or cuda, not {device!r}")


def _threads_label(inter_threads: int, intra_threads: int) -> str:
    if inter_threads == 1:
        return f"{intra_threads} threads"
    return f"{inter_threads} parallel calls x {intra_threads} thread{'s' if intra_threads > 1 else ''}"


def _available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
