"""Micro-batching: requests that arrive within a short window are decoded together, one batch at a time.

On a small CPU a decoding step costs about the same for 1 or 8 sequences (the weights are read once either way),
so eight users served as one batch wait far less than eight users served in turn. `MicroBatcher` wraps any
generator and is one itself: callers in many threads call `generate` / `stream` as usual; a worker thread
collects what arrives within `window_s` of the first request (up to `max_batch`), groups it by decoding settings
and runs each group through the wrapped generator's `generate`. Each caller gets its own reply back, with the
latency it actually waited.

`workers` worker threads each collect and decode their own batch, so up to `workers` batches decode at once.
That pays off only when the generator runs calls in parallel (CTranslate2 with `inter_threads` = `workers`, one
core each); with one worker, batches decode one at a time.

Streaming joins the batch too when the wrapped generator's `generate` accepts `on_piece` (the ct2 backend): each
reply's text pieces reach their caller while the batch decodes. Other generators stream on the caller's thread.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
import os
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from coach.backends.base import Generation, GenerationConfig, Turns

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_S = 0.015
_DONE = object()  # end of a streamed reply


@dataclass(eq=False)
class _Request:
    turns: Turns
    config: GenerationConfig
    submitted: float
    future: Future = field(default_factory=Future)
    pieces: queue.SimpleQueue | None = None  # set for streamed requests


class MicroBatcher:
    """A `Generator` that decodes concurrent callers' requests together through `generator.generate`."""

    def __init__(self, generator, window_s: float = DEFAULT_WINDOW_S, max_batch: int = 8, workers: int = 1) -> None:
        if max_batch < 1 or workers < 1:
            raise ValueError("max_batch and workers must be at least 1")
        self.generator = generator
        self.window_s = window_s
        self.max_batch = max_batch
        self.workers = workers
        self.batches = 0  # decoded so far, and how many requests they held (for benchmarks and logs)
        self.batched_requests = 0
        self._streams_in_batch = "on_piece" in inspect.signature(generator.generate).parameters
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def name(self) -> str:
        return self.generator.name

    @property
    def description(self) -> str:
        parallel = f", {self.workers} batches at once" if self.workers > 1 else ""
        return (
            f"{self.generator.description}, micro-batched ({self.window_s * 1000:.0f} ms, up to {self.max_batch}"
            f"{parallel})"
        )

    def generate(self, conversations: Sequence[Turns], config: GenerationConfig) -> list[Generation]:
        """One reply per conversation; blocks until all are decoded (possibly alongside other callers')."""
        requests = [self._submit(turns, config) for turns in conversations]
        return [request.future.result() for request in requests]

    def stream(self, turns: Turns, config: GenerationConfig) -> Iterator[str]:
        """Text pieces of one reply; in a batch with other callers when the generator supports it."""
        if not self._streams_in_batch:
            yield from self.generator.stream(turns, config)
            return
        request = self._submit(turns, config, streamed=True)
        while (piece := request.pieces.get()) is not _DONE:
            yield piece
        request.future.result()  # re-raises a failure of the batch

    def close(self) -> None:
        """Stop the workers after the requests already queued; later calls raise RuntimeError."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            threads = list(self._threads)
        for _ in threads:  # one stop mark per worker: each leaves after the first it takes
            self._queue.put(None)
        for thread in threads:
            thread.join()

    def _submit(self, turns: Turns, config: GenerationConfig, streamed: bool = False) -> _Request:
        request = _Request(list(turns), config, time.perf_counter(), pieces=queue.SimpleQueue() if streamed else None)
        with self._lock:
            if self._closed:
                raise RuntimeError("this MicroBatcher is closed")
            if not self._threads:  # started on first use, so building a batcher costs nothing
                for index in range(self.workers):
                    thread = threading.Thread(target=self._run, name=f"coach-batcher-{index}", daemon=True)
                    thread.start()
                    self._threads.append(thread)
            self._queue.put(request)
        return request

    def _run(self) -> None:
        while (first := self._queue.get()) is not None:
            batch = [first]
            deadline = time.perf_counter() + self.window_s
            stop = False
            while len(batch) < self.max_batch:
                try:
                    request = self._queue.get(timeout=max(0.0, deadline - time.perf_counter()))
                except queue.Empty:
                    break
                if request is None:  # closing: finish this batch, then leave
                    stop = True
                    break
                batch.append(request)
            groups: dict[GenerationConfig, list[_Request]] = {}
            for request in batch:
                groups.setdefault(request.config, []).append(request)
            for config, group in groups.items():
                self._decode(config, group)
            if stop:
                return

    def _decode(self, config: GenerationConfig, group: list[_Request]) -> None:
        with self._lock:
            self.batches += 1
            self.batched_requests += len(group)
        options = {}
        if self._streams_in_batch and any(r.pieces is not None for r in group):

            def on_piece(index: int, piece: str) -> None:
                if group[index].pieces is not None:
                    group[index].pieces.put(piece)

            options["on_piece"] = on_piece
        try:
            generations = self.generator.generate([r.turns for r in group], config, **options)
        except BaseException as err:  # every caller in the batch sees the failure
            logger.exception("batched generation failed")
            for request in group:
                request.future.set_exception(err)
                if request.pieces is not None:
                    request.pieces.put(_DONE)
            return
        finished = time.perf_counter()
        for request, generation in zip(group, generations, strict=True):
            request.future.set_result(dataclasses.replace(generation, latency_s=finished - request.submitted))
            if request.pieces is not None:
                request.pieces.put(_DONE)


def serving_batcher(generator, users: int = 8, window_s: float = DEFAULT_WINDOW_S) -> MicroBatcher:
    """The batcher a server puts in front of `generator` for up to `users` people at once.

    A generator that can decode calls in parallel (ct2: `set_parallel_calls`) runs two batches at once, each on
    half the cores: measured on 2 cores (benchmarks/bench_concurrency.py), two batches of 4 on one core each
    beat one batch of 8 on both in throughput, p95 latency and the lone user's latency alike. Other generators
    decode one batch of up to `users` at a time (so do GPUs).
    """
    workers = 1
    if hasattr(generator, "set_parallel_calls") and getattr(generator, "device", None) == "cpu" and _cores() >= 2:
        workers = 2
        generator.set_parallel_calls(workers)
    return MicroBatcher(generator, window_s=window_s, max_batch=max(1, -(-users // workers)), workers=workers)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
