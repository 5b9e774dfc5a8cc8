"""Model loading, the torch backend and the `generate` command, on tiny offline models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_models import build_tiny_t5

from coach.backends import load_generator
from coach.backends.base import GenerationConfig, Generator
from coach.errors import CoachError
from coach.modeling import load_model
from coach.prompting import build_prompt

ROOT = Path(__file__).resolve().parents[1]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
CONVERSATIONS = [
    ["hello"],
    ["I lost my job today and I feel awful about it"],
    ["My sister visits tomorrow.", "That's lovely!", "I'm nervous, we argued last time."],
    ["x" * 400],
    ["what now?"],
]


def build_letters_t5(out_dir: Path, eos_scale: float = 0.8) -> Path:
    """A tiny random T5 whose output layer can only pick ASCII letters or </s>: replies are valid text in which
    every character is one generated token, so counts can be checked against the text. `eos_scale` sets how
    strongly </s> competes: 0.8 ends some replies early and lets others run to max_new_tokens."""
    import torch
    from transformers import ByT5Tokenizer, T5ForConditionalGeneration

    build_tiny_t5(out_dir)
    model = T5ForConditionalGeneration.from_pretrained(out_dir)
    tokenizer = ByT5Tokenizer()
    allowed = torch.zeros(model.config.vocab_size, dtype=torch.bool)
    allowed[[tokenizer.convert_tokens_to_ids(c) for c in LETTERS]] = True
    with torch.no_grad():
        weight = model.lm_head.weight
        eos = weight[tokenizer.eos_token_id].clone()
        weight[~allowed] = 0.0
        weight[allowed] *= 20.0
        weight[tokenizer.eos_token_id] = eos * 20.0 * eos_scale
    model.save_pretrained(out_dir)
    return out_dir


@pytest.fixture(scope="module")
def letters_dir(tmp_path_factory) -> Path:
    return build_letters_t5(tmp_path_factory.mktemp("letters-t5"))


@pytest.fixture(scope="module")
def generator(letters_dir):
    return load_generator(str(letters_dir), batch_size=2, device="cpu")


GREEDY = GenerationConfig(max_new_tokens=24)


def test_generator_protocol_and_description(generator, letters_dir):
    assert isinstance(generator, Generator)
    assert generator.name == "torch"
    assert str(letters_dir) in generator.description
    assert "cpu" in generator.description and "float32" in generator.description


def test_model_is_cached_and_fp32_on_cpu(letters_dir):
    model, tokenizer = load_model(str(letters_dir), device="cpu")
    again, _ = load_model(str(letters_dir), device="cpu")
    assert model is again
    assert str(model.dtype) == "torch.float32" and not model.training


def test_flan_t5_layout_keeps_its_own_output_layer(tmp_path):
    """flan-t5 (T5 v1.1) checkpoints have an output layer separate from the input embeddings and say
    `tie_word_embeddings: false`. transformers 5 forces the config's flag to True but must still load the
    checkpoint's own output layer (and not scale decoder outputs); a silent tie would make every reply garbage."""
    import torch
    from safetensors.torch import load_file, save_file

    path = build_tiny_t5(tmp_path / "flan-layout", seed=3)
    weights = load_file(str(path / "model.safetensors"))
    torch.manual_seed(4)
    weights["lm_head.weight"] = torch.randn_like(weights["shared.weight"])
    save_file({k: v.contiguous() for k, v in weights.items()}, str(path / "model.safetensors"), {"format": "pt"})
    config = json.loads((path / "config.json").read_text())
    config["tie_word_embeddings"] = False
    (path / "config.json").write_text(json.dumps(config))

    model, _ = load_model(str(path), device="cpu")
    assert torch.equal(model.lm_head.weight, weights["lm_head.weight"])
    assert not torch.equal(model.lm_head.weight, model.shared.weight)
    assert model.config.scale_decoder_outputs is False


def test_batched_greedy_equals_one_at_a_time(generator):
    batched = generator.generate(CONVERSATIONS, GREEDY)  # batch_size=2: three padded chunks
    single = [generator.generate([turns], GREEDY)[0] for turns in CONVERSATIONS]
    assert [(g.text, g.num_tokens) for g in batched] == [(g.text, g.num_tokens) for g in single]
    assert len({g.text for g in batched}) > 1, "the replies should depend on the input"


def test_num_tokens_counts_generated_tokens(generator):
    results = generator.generate(CONVERSATIONS, GREEDY)
    for gen in results:
        assert set(gen.text) <= set(LETTERS)
        assert gen.num_tokens == len(gen.text.encode())  # one byte token per letter; </s> and padding excluded
        assert gen.num_tokens <= GREEDY.max_new_tokens
        assert gen.latency_s > 0
    assert any(g.num_tokens == GREEDY.max_new_tokens for g in results)
    # Greedy decoding cut at 5 tokens is the first 5 tokens of the longer reply.
    shorter = generator.generate(CONVERSATIONS, GenerationConfig(max_new_tokens=5))
    assert [(g.text, g.num_tokens) for g in shorter] == [(g.text[:5], min(5, g.num_tokens)) for g in results]
    # The fixture ends some replies early (before max_new_tokens): their </s> and the padding after it in the batch
    # were not counted above.
    assert any(g.num_tokens < GREEDY.max_new_tokens for g in results)


def test_stream_joins_to_the_generated_text(generator):
    for turns in CONVERSATIONS[:3]:
        pieces = list(generator.stream(turns, GREEDY))
        assert "".join(pieces).strip() == generator.generate([turns], GREEDY)[0].text
    beams = GenerationConfig(max_new_tokens=12, num_beams=3)
    assert "".join(generator.stream(CONVERSATIONS[1], beams)) == generator.generate([CONVERSATIONS[1]], beams)[0].text


def test_abandoned_stream_stops_decoding(generator):
    import threading

    steps = []  # one lm_head call per decoding step
    hook = generator.model.lm_head.register_forward_hook(lambda *_: steps.append(1))
    try:
        config = GenerationConfig(max_new_tokens=80)
        # Left alone, this conversation decodes to the limit.
        assert generator.generate([CONVERSATIONS[3]], config)[0].num_tokens == config.max_new_tokens
        steps.clear()
        pieces = generator.stream(CONVERSATIONS[3], config)
        next(pieces)
        pieces.close()  # what a consumer does when it stops reading
    finally:
        hook.remove()
    assert len(steps) < 20
    assert not any(t.name == "coach-generate" for t in threading.enumerate())


def test_sampling_with_a_seed_is_reproducible(generator):
    config = GenerationConfig(max_new_tokens=8, do_sample=True, temperature=1.5, seed=7)
    first = generator.generate(CONVERSATIONS[:2], config)
    assert [g.text for g in generator.generate(CONVERSATIONS[:2], config)] == [g.text for g in first]


# --- adapters ---------------------------------------------------------------------------------------------------


def _lora_on(base_dir: Path, out_dir: Path):
    """A LoRA adapter on `base_dir`, with weights perturbed so that it changes the model's output; saved."""
    import torch
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import T5ForConditionalGeneration

    torch.manual_seed(1)
    base = T5ForConditionalGeneration.from_pretrained(base_dir)
    peft_model = get_peft_model(base, LoraConfig(task_type=TaskType.SEQ_2_SEQ_LM, r=4, lora_alpha=8))
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:  # initialised to zero, which would make the adapter a no-op
                param.normal_(0.0, 2.0)
    peft_model.save_pretrained(out_dir)
    return peft_model.eval()


def test_saved_adapter_gives_the_in_memory_outputs(letters_dir, generator, tmp_path):
    import torch
    from transformers import ByT5Tokenizer

    adapter_dir = tmp_path / "adapter"
    in_memory = _lora_on(letters_dir, adapter_dir)
    tokenizer = ByT5Tokenizer()
    conversations = CONVERSATIONS[:3]
    prompts = [build_prompt(turns, tokenizer) for turns in conversations]
    expected = []
    for prompt in prompts:
        inputs = tokenizer(prompt, return_tensors="pt")
        with torch.no_grad():
            out = in_memory.generate(**inputs, max_new_tokens=24, no_repeat_ngram_size=3, repetition_penalty=1.2)
        expected.append(tokenizer.decode(out[0], skip_special_tokens=True).strip())

    with_adapter = load_generator(str(letters_dir), adapter=str(adapter_dir), device="cpu")
    assert "adapter" in with_adapter.description and with_adapter.max_source_tokens == 256
    got = [g.text for g in with_adapter.generate(conversations, GREEDY)]
    assert got == expected
    assert got != [g.text for g in generator.generate(conversations, GREEDY)], "the adapter should matter"


def test_adapter_for_another_base_is_one_clear_error(letters_dir, tmp_path):
    other_base = build_tiny_t5(tmp_path / "wider", d_model=48)
    _lora_on(other_base, tmp_path / "adapter")
    with pytest.raises(CoachError, match="was made for .*wider") as info:
        load_model(str(letters_dir), adapter=str(tmp_path / "adapter"))
    assert "\n" not in str(info.value)


def test_bad_model_and_adapter_paths(letters_dir, tmp_path):
    with pytest.raises(CoachError, match="does not exist"):
        load_model(str(tmp_path / "no-such-model"))
    with pytest.raises(CoachError, match="not in the local cache"):
        load_model("coach-test/not-a-cached-model")
    with pytest.raises(CoachError, match="no config.json"):
        load_model(str(tmp_path))
    (tmp_path / "not-an-adapter").mkdir()
    with pytest.raises(CoachError, match="no adapter_config.json"):
        load_model(str(letters_dir), adapter=str(tmp_path / "not-an-adapter"))
    with pytest.raises(CoachError, match="does not exist"):
        load_model(str(letters_dir), adapter=str(tmp_path / "missing-adapter"))


def test_load_generator_backends(letters_dir):
    with pytest.raises(CoachError, match="unknown backend 'tensorflow'; choose one of: torch, ct2"):
        load_generator(str(letters_dir), backend="tensorflow")
    assert load_generator(str(letters_dir), backend="torch").name == "torch"


def test_prompt_budget_comes_from_the_training_config(letters_dir, tmp_path):
    from coach.modeling import source_token_budget
    from coach.prompting import DEFAULT_MAX_SOURCE_TOKENS

    assert source_token_budget(str(letters_dir)) == DEFAULT_MAX_SOURCE_TOKENS
    (tmp_path / "training_config.yaml").write_text("data:\n  max_source_tokens: 320\n")
    assert source_token_budget(str(letters_dir), adapter=str(tmp_path)) == 320
    assert source_token_budget(str(tmp_path)) == 320


# --- the generate command ---------------------------------------------------------------------------------------


def _write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def _main(argv) -> int:
    from coach.__main__ import main

    return main([str(a) for a in argv])


def test_generate_command_contract(letters_dir, tmp_path):
    items = [{"id": f"c{i}", "turns": turns} for i, turns in enumerate(CONVERSATIONS)]
    source = _write_jsonl(tmp_path / "in.jsonl", items)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    argv = ["--model", letters_dir, "--no-safety", "--max-new-tokens", 24, "--batch-size", 2]
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "generate", *map(str, argv), "--input", source, "--output", out],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["conversations"] == len(items)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [it["id"] for it in items]
    direct = load_generator(str(letters_dir)).generate(CONVERSATIONS, GREEDY)
    for row, gen in zip(rows, direct, strict=True):
        assert row["response"] == gen.text and row["num_tokens"] == gen.num_tokens
        assert row["latency_s"] > 0 and row["crisis"] is None and row["blocked"] is None


def test_generate_command_with_safety(letters_dir, tmp_path):
    from coach import safety

    items = [
        {"id": 1, "turns": ["I passed my exam today!"]},
        {"id": 2, "turns": ["I don't want to be alive anymore"]},
        {"id": 3, "turns": ["work is busy", "Sounds like a lot.", "yes, but I'm coping"]},
    ]
    out = tmp_path / "out.jsonl"
    source = _write_jsonl(tmp_path / "in.jsonl", items)
    assert _main(["generate", "--model", letters_dir, "--input", source, "--output", out, "--locale", "US"]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows[2]["crisis"] is True and rows[2]["category"] == "suicide" and rows[2]["num_tokens"] == 0
    assert rows[2]["response"] == safety.crisis_response("suicide", "US")
    direct = load_generator(str(letters_dir)).generate([items[0]["turns"], items[2]["turns"]], GenerationConfig())
    for i, gen in zip((1, 3), direct, strict=True):
        check = safety.check_reply(gen.text)
        assert rows[i]["crisis"] is False and rows[i]["blocked"] is (not check.ok)
        assert rows[i]["response"] == check.text and rows[i]["num_tokens"] == gen.num_tokens


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (None, "does not exist"),
        (['{"id": 1, "turns": ["hi"]}', "{not json"], ":2: not valid JSON"),
        (['{"turns": ["hi"]}'], "missing or invalid 'id'"),
        (['{"id": 1, "turns": []}'], "'turns' is empty"),
        (['{"id": 1, "turns": ["hi", "hello"]}'], "must end with a user turn"),
        (['{"id": 1, "turns": "hi"}'], "must be a list of strings"),
        (['{"id": 1, "turns": ["hi"]}', '{"id": 1, "turns": ["again"]}'], "duplicate id"),
    ],
)
def test_generate_command_rejects_bad_input(letters_dir, tmp_path, capsys, lines, message):
    source = tmp_path / "in.jsonl"
    if lines is not None:
        _write_jsonl(source, lines)
    out = tmp_path / "out.jsonl"
    assert _main(["generate", "--model", letters_dir, "--input", source, "--output", out]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_generate_command_bad_model_keeps_old_output(tmp_path, capsys):
    source = _write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "turns": ["hi"]}])
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n")
    assert _main(["generate", "--model", tmp_path / "missing", "--input", source, "--output", out]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert out.read_text() == "previous results\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
