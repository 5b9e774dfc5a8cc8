"""The fast backends (ct2, torch-int8), `convert`, the conversion cache and the micro-batcher, on tiny models."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest

from coach.backends import load_generator
from coach.backends.base import Generation, GenerationConfig, Generator
from coach.errors import CoachError

pytest.importorskip("ctranslate2")

CONVERSATIONS = [
    ["I failed my driving test today."],
    ["My sister is moving abroad.", "That's a big change. How do you feel?", "Sad, but proud of her."],
    ["Work has been really stressful lately and I can't switch off at night."],
]
GREEDY = GenerationConfig(max_new_tokens=24)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ct2-cache")


@pytest.fixture(scope="module")
def torch_gen(tiny_model_dir: Path):
    return load_generator(str(tiny_model_dir), backend="torch")


@pytest.fixture(scope="module")
def ct2_f32(tiny_model_dir: Path, cache_dir: Path):
    return load_generator(str(tiny_model_dir), backend="ct2", compute_type="float32", cache_dir=str(cache_dir))


@pytest.fixture(scope="module")
def adapter_dir(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LoRA adapter on the tiny model with non-zero B weights, so merging it changes the outputs."""
    import torch
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import AutoModelForSeq2SeqLM

    torch.manual_seed(1)
    base = AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir)
    model = get_peft_model(base, LoraConfig(task_type=TaskType.SEQ_2_SEQ_LM, r=4, lora_alpha=32))
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.5)
    out = tmp_path_factory.mktemp("adapter")
    model.save_pretrained(out)
    return out


def test_ct2_float32_greedy_equals_torch(torch_gen, ct2_f32) -> None:
    assert isinstance(ct2_f32, Generator)
    assert ct2_f32.name == "ct2" and "float32" in ct2_f32.description
    ours = ct2_f32.generate(CONVERSATIONS, GREEDY)
    reference = torch_gen.generate(CONVERSATIONS, GREEDY)
    assert [g.text for g in ours] == [g.text for g in reference]
    assert [g.num_tokens for g in ours] == [g.num_tokens for g in reference]
    assert all(g.num_tokens > 0 and g.latency_s > 0 for g in ours)


def test_ct2_batch_equals_one_at_a_time(ct2_f32) -> None:
    batched = [g.text for g in ct2_f32.generate(CONVERSATIONS, GREEDY)]
    single = [ct2_f32.generate([turns], GREEDY)[0].text for turns in CONVERSATIONS]
    assert batched == single


@pytest.mark.parametrize("config", [GREEDY, GenerationConfig(max_new_tokens=16, num_beams=3)], ids=["greedy", "beam"])
def test_ct2_stream_joins_to_generate(ct2_f32, config: GenerationConfig) -> None:
    for turns in CONVERSATIONS:
        pieces = list(ct2_f32.stream(turns, config))
        assert all(isinstance(p, str) and p for p in pieces)
        assert "".join(pieces).strip() == ct2_f32.generate([turns], config)[0].text


def test_ct2_on_piece_reports_each_reply(ct2_f32) -> None:
    pieces: dict[int, list[str]] = {}
    out = ct2_f32.generate(CONVERSATIONS, GREEDY, on_piece=lambda i, p: pieces.setdefault(i, []).append(p))
    assert {i: "".join(p).strip() for i, p in pieces.items()} == {i: g.text for i, g in enumerate(out) if g.text}


def test_ct2_sampling_maps_the_knobs(ct2_f32) -> None:
    # A tiny random model spreads probability widely: sampling hot gives other replies than greedy's.
    config = GenerationConfig(max_new_tokens=16, do_sample=True, temperature=2.0, top_p=0.99)
    greedy = [g.text for g in ct2_f32.generate(CONVERSATIONS, GenerationConfig(max_new_tokens=16))]
    sampled = ct2_f32.generate(CONVERSATIONS, config)
    assert all(0 < g.num_tokens <= 16 for g in sampled)
    assert [g.text for g in sampled] != greedy
    assert ct2_f32._options(config)["sampling_topp"] == 0.99 and ct2_f32._options(config)["beam_size"] == 1


def test_int8_backends_follow_the_interface(tiny_model_dir: Path, cache_dir: Path) -> None:
    for backend, options in (("ct2", {"cache_dir": str(cache_dir)}), ("torch-int8", {})):
        generator = load_generator(str(tiny_model_dir), backend=backend, **options)
        assert isinstance(generator, Generator) and generator.name == backend
        assert "int8" in generator.description
        out = generator.generate(CONVERSATIONS, GREEDY)
        assert len(out) == len(CONVERSATIONS) and all(isinstance(g, Generation) for g in out)
        assert all(0 < g.num_tokens <= GREEDY.max_new_tokens for g in out)
        # Compared with the same conversation decoded alone: torch-int8 quantizes activations per tensor, so its
        # replies can shift with whatever else (and whatever padding) shares the batch.
        alone = generator.generate([CONVERSATIONS[0]], GREEDY)[0].text
        assert "".join(generator.stream(CONVERSATIONS[0], GREEDY)).strip() == alone


def test_convert_command_with_and_without_adapter(tiny_model_dir: Path, adapter_dir: Path, tmp_path: Path) -> None:
    from coach.__main__ import main
    from coach.backends.convert import is_converted, read_metadata

    plain, merged = tmp_path / "plain", tmp_path / "merged"
    assert main(["convert", "--model", str(tiny_model_dir), "--out", str(plain), "--quantization", "float32"]) == 0
    args = ["convert", "--model", str(tiny_model_dir), "--adapter", str(adapter_dir), "--out", str(merged)]
    assert main([*args, "--quantization", "float32"]) == 0
    for out in (plain, merged):
        assert is_converted(out)
        assert (out / "tokenizer_config.json").is_file() and (out / "generation_config.json").is_file()
        assert not list(tmp_path.glob(".coach-convert-*"))  # no staging dir left behind
    assert read_metadata(merged)["adapter"] == str(adapter_dir.resolve())

    # The merged conversion answers like torch with the adapter merged, and unlike the base model.
    with_adapter = load_generator(str(tiny_model_dir), adapter=str(adapter_dir), backend="torch")
    expected = [g.text for g in with_adapter.generate(CONVERSATIONS, GREEDY)]
    assert [
        g.text
        for g in load_generator(str(merged), backend="ct2", compute_type="float32").generate(CONVERSATIONS, GREEDY)
    ] == expected
    base = [
        g.text
        for g in load_generator(str(plain), backend="ct2", compute_type="float32").generate(CONVERSATIONS, GREEDY)
    ]
    assert base != expected

    # An existing output is kept unless --force.
    assert main(args) == 2
    assert main([*args, "--force"]) == 0 and read_metadata(merged)["quantization"] == "int8"


def test_conversion_cache_is_reused_and_keyed_by_content(tiny_model_dir: Path, tmp_path: Path) -> None:
    import shutil

    from coach.backends.convert import cached_conversion

    cache = tmp_path / "cache"
    first = cached_conversion(str(tiny_model_dir), cache_dir=cache)
    stamp = (first / "model.bin").stat().st_mtime_ns
    again = load_generator(str(tiny_model_dir), backend="ct2", cache_dir=str(cache))
    assert again.model_dir == first and (first / "model.bin").stat().st_mtime_ns == stamp  # not reconverted
    assert len(list(cache.iterdir())) == 1

    copy = tmp_path / "copy"  # same content elsewhere: same entry
    shutil.copytree(tiny_model_dir, copy)
    assert cached_conversion(str(copy), cache_dir=cache) == first
    other = tmp_path / "other"  # different weights: a new entry
    from tiny_models import build_tiny_t5

    build_tiny_t5(other, seed=5)
    assert cached_conversion(str(other), cache_dir=cache) != first
    assert cached_conversion(str(tiny_model_dir), quantization="float32", cache_dir=cache) != first


def test_bad_input_gets_clear_errors(tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.backends.convert import convert_model

    not_a_model = tmp_path / "notes"
    not_a_model.mkdir()
    (not_a_model / "readme.txt").write_text("hello")
    with pytest.raises(CoachError, match="not a model dir"):
        convert_model(str(not_a_model), tmp_path / "out")
    with pytest.raises(CoachError, match="not a model dir"):
        load_generator(str(not_a_model), backend="ct2", cache_dir=str(tmp_path / "cache"))

    unconvertible = tmp_path / "bert"  # a model dir CTranslate2 has no converter for
    unconvertible.mkdir()
    (unconvertible / "config.json").write_text(json.dumps({"model_type": "ctrl"}))
    with pytest.raises(CoachError, match="can't convert"):
        convert_model(str(unconvertible), tmp_path / "out2")
    assert not (tmp_path / "out2").exists() and not list(tmp_path.glob(".coach-convert-*"))

    with pytest.raises(CoachError, match="quantization"):
        convert_model(str(tiny_model_dir), tmp_path / "out3", quantization="int4")
    with pytest.raises(CoachError, match="unknown backend"):
        load_generator(str(tiny_model_dir), backend="onnx")

    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # as if ctranslate2 weren't installed
    with pytest.raises(CoachError, match="needs the ctranslate2 package"):
        load_generator(str(tiny_model_dir), backend="ct2")
    with pytest.raises(CoachError, match="needs the ctranslate2 package"):
        convert_model(str(tiny_model_dir), tmp_path / "out4")


def test_auto_picks_ct2_on_cpu(tiny_model_dir: Path, cache_dir: Path) -> None:
    generator = load_generator(str(tiny_model_dir), backend="auto", cache_dir=str(cache_dir))
    assert generator.name == "ct2"


def test_batcher_returns_each_caller_its_own_reply(ct2_f32) -> None:
    from coach.backends.batching import MicroBatcher

    expected = {i: ct2_f32.generate([turns], GREEDY)[0].text for i, turns in enumerate(CONVERSATIONS)}
    batcher = MicroBatcher(ct2_f32, window_s=0.05, max_batch=8)
    assert isinstance(batcher, Generator) and batcher.name == "ct2"
    results: dict[tuple[int, int], str] = {}
    start = threading.Barrier(9)

    def user(worker: int) -> None:
        start.wait()
        index = worker % len(CONVERSATIONS)
        if worker % 2:
            results[(worker, index)] = "".join(batcher.stream(CONVERSATIONS[index], GREEDY)).strip()
        else:
            results[(worker, index)] = batcher.generate([CONVERSATIONS[index]], GREEDY)[0].text

    threads = [threading.Thread(target=user, args=(w,)) for w in range(9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    batcher.close()
    assert len(results) == 9
    assert all(text == expected[index] for (_, index), text in results.items())
    assert batcher.batched_requests == 9 and batcher.batches < 9  # some requests really shared a batch


def test_batcher_passes_failures_to_every_caller(torch_gen) -> None:
    from coach.backends.batching import MicroBatcher

    batcher = MicroBatcher(torch_gen, window_s=0.01)
    with pytest.raises(ValueError):
        batcher.generate([[]], GREEDY)  # a conversation without turns
    assert (
        batcher.generate([CONVERSATIONS[0]], GREEDY)[0].text == torch_gen.generate([CONVERSATIONS[0]], GREEDY)[0].text
    )
    assert (
        "".join(batcher.stream(CONVERSATIONS[0], GREEDY)).strip()
        == torch_gen.generate([CONVERSATIONS[0]], GREEDY)[0].text
    )
    batcher.close()


def test_batcher_with_parallel_workers(tiny_model_dir: Path, cache_dir: Path) -> None:
    from coach.backends.batching import MicroBatcher

    generator = load_generator(
        str(tiny_model_dir), backend="ct2", compute_type="float32", cache_dir=str(cache_dir), inter_threads=2
    )
    assert generator.inter_threads == 2 and "2 parallel calls" in generator.description
    expected = [generator.generate([turns], GREEDY)[0].text for turns in CONVERSATIONS]
    batcher = MicroBatcher(generator, window_s=0.05, max_batch=2, workers=2)
    results: dict[int, str] = {}
    start = threading.Barrier(6)

    def user(worker: int) -> None:
        start.wait()
        turns = CONVERSATIONS[worker % len(CONVERSATIONS)]
        if worker % 2:
            results[worker] = "".join(batcher.stream(turns, GREEDY)).strip()
        else:
            results[worker] = batcher.generate([turns], GREEDY)[0].text

    threads = [threading.Thread(target=user, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == {w: expected[w % len(CONVERSATIONS)] for w in range(6)}
    assert batcher.batched_requests == 6 and batcher.batches >= 3  # never more than max_batch in one batch
    workers = list(batcher._threads)
    assert len(workers) == 2
    batcher.close()
    assert not any(thread.is_alive() for thread in workers)
    with pytest.raises(RuntimeError, match="closed"):
        batcher.generate([CONVERSATIONS[0]], GREEDY)


def test_serving_batcher_runs_ct2_calls_in_parallel(tiny_model_dir: Path, cache_dir: Path, torch_gen) -> None:
    import os

    from coach.backends.batching import serving_batcher

    generator = load_generator(str(tiny_model_dir), backend="ct2", compute_type="float32", cache_dir=str(cache_dir))
    expected = generator.generate([CONVERSATIONS[1]], GREEDY)[0].text
    batcher = serving_batcher(generator, users=8)
    if len(os.sched_getaffinity(0)) >= 2:  # two batches of up to 4 at once, one per half of the cores
        assert (batcher.workers, batcher.max_batch, generator.inter_threads) == (2, 4, 2)
        assert "2 parallel calls" in batcher.description
    assert batcher.generate([CONVERSATIONS[1]], GREEDY)[0].text == expected  # the reloaded weights answer alike
    batcher.close()
    plain = serving_batcher(torch_gen, users=8)  # no parallel calls: one batch of up to 8 at a time
    assert (plain.workers, plain.max_batch) == (1, 8)
    plain.close()
