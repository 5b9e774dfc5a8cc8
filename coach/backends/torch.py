"""The reference backend: transformers (+ a merged PEFT adapter) in the model's dtype, no quantization.

Batched generation pads each chunk of prompts (attention mask, right padding as T5 expects); streaming runs
`generate` in a thread feeding a `TextIteratorStreamer`. `latency_s` of a batched item is its chunk's wall time
divided by the chunk's size (a fair share); a streamed reply's latency is what the caller measures.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence

from coach.backends.base import Generation, GenerationConfig, Turns
from coach.prompting import build_prompt

logger = logging.getLogger(__name__)


class TorchGenerator:
    """`coach.backends.base.Generator` over a transformers seq2seq model."""

    name = "torch"

    def __init__(
        self,
        model: str,
        adapter: str | None = None,
        device: str | None = None,
        batch_size: int = 8,
        max_source_tokens: int | None = None,
    ) -> None:
        from coach.modeling import load_model, source_token_budget

        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model, self.tokenizer = load_model(model, adapter=adapter, device=device)
        self.batch_size = batch_size
        # None: the budget the model was trained with, so prompts are cut exactly as in training.
        self.max_source_tokens = max_source_tokens or source_token_budget(model, adapter)
        dtype = str(self.model.dtype).removeprefix("torch.")
        self.description = (
            f"{model}" + (f" + adapter {adapter}" if adapter else "") + f" on {self.model.device} ({dtype})"
        )

    def prompts(self, conversations: Sequence[Turns]) -> list[str]:
        return [build_prompt(turns, self.tokenizer, self.max_source_tokens) for turns in conversations]

    def generate(self, conversations: Sequence[Turns], config: GenerationConfig) -> list[Generation]:
        import torch

        prompts = self.prompts(conversations)
        results: list[Generation] = []
        for start in range(0, len(prompts), self.batch_size):
            chunk = prompts[start : start + self.batch_size]
            began = time.perf_counter()
            inputs = self._encode(chunk)
            _seed(config)
            with torch.inference_mode():
                output = self.model.generate(**inputs, **generation_kwargs(config))
            texts = self.tokenizer.batch_decode(output, skip_special_tokens=True)
            counts = [self._count_generated(row) for row in output.tolist()]
            share = (time.perf_counter() - began) / len(chunk)
            results += [Generation(text.strip(), n, share) for text, n in zip(texts, counts, strict=True)]
        return results

    def stream(self, turns: Turns, config: GenerationConfig) -> Iterator[str]:
        """Text pieces as they decode; joined and stripped they equal `generate`'s text for the same input."""
        if config.num_beams > 1:  # transformers' streamers don't support beam search: one piece at the end
            yield self.generate([turns], config)[0].text
            return
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        class StopWhenAbandoned(StoppingCriteria):
            """Ends decoding at the next step once the consumer stops reading (e.g. the person pressed stop)."""

            def __call__(self, input_ids, scores, **kwargs):
                return torch.full((input_ids.shape[0],), abandoned.is_set(), dtype=torch.bool, device=input_ids.device)

        inputs = self._encode(self.prompts([turns]))
        streamer = TextIteratorStreamer(self.tokenizer, skip_prompt=True, skip_special_tokens=True)
        abandoned = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            try:
                _seed(config)
                with torch.inference_mode():  # thread-local, so entered inside the thread
                    self.model.generate(
                        **inputs,
                        **generation_kwargs(config),
                        streamer=streamer,
                        stopping_criteria=StoppingCriteriaList([StopWhenAbandoned()]),
                    )
            except BaseException as err:  # re-raised in the caller's thread below
                failure.append(err)
                streamer.end()  # unblock the consumer

        thread = threading.Thread(target=run, name="coach-generate", daemon=True)
        thread.start()
        try:
            for piece in streamer:
                if piece:
                    yield piece
        finally:
            abandoned.set()  # a no-op when decoding already ended; otherwise it stops within one step
            thread.join()
        if failure:
            raise failure[0]

    def _encode(self, prompts: list[str]):
        # Prompts already fit the budget; truncation is a guard for a tokenizer that counts differently.
        inputs = self.tokenizer(
            prompts, return_tensors="pt", padding=True, truncation=True, max_length=self.max_source_tokens
        )
        return inputs.to(self.model.device)

    def _count_generated(self, row: list[int]) -> int:
        """Generated tokens: after the decoder start, before the first end-of-sequence, padding excluded."""
        eos, pad = self.tokenizer.eos_token_id, self.tokenizer.pad_token_id
        count = 0
        for token in row[1:]:
            if token == eos:
                break
            if token != pad:
                count += 1
        return count


def generation_kwargs(config: GenerationConfig) -> dict:
    """`model.generate` keyword arguments for a `GenerationConfig` (sampling knobs only when sampling)."""
    kwargs: dict = {
        "max_new_tokens": config.max_new_tokens,
        "num_beams": config.num_beams,
        "do_sample": config.do_sample,
        "no_repeat_ngram_size": config.no_repeat_ngram_size,
        "repetition_penalty": config.repetition_penalty,
    }
    if config.do_sample:
        kwargs.update(temperature=config.temperature, top_p=config.top_p)
    if config.num_beams > 1:
        kwargs["early_stopping"] = True
    return kwargs


def _seed(config: GenerationConfig) -> None:
    if config.seed is not None:
        from transformers import set_seed

        set_seed(config.seed)
