"""Training: recipes parse and validate, the Trainer learns, LoRA adapters round-trip, resume works, DDP runs.

Everything is offline and tiny (byte-tokenizer T5s built from a config); slow tests are marked, and CI runs them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from coach.data.store import Example, read_examples, write_db
from coach.errors import CoachError
from coach.training import RESOLVED_CONFIG, main, parse_config, train

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "train" / "configs" / "smoke.yaml"
CONFIGS = sorted((ROOT / "train" / "configs").glob("*.yaml"))

# Eight short, distinct exchanges the tiny model must learn by heart.
PAIRS = [
    ("I lost my keys again this morning.", "That is so frustrating."),
    ("My sister is visiting next week!", "How lovely, enjoy it!"),
    ("I failed my driving test.", "Oh no, try again soon."),
    ("Our dog learned a new trick.", "What a clever pup!"),
    ("Work has been really stressful.", "Take a short break."),
    ("I finally finished my novel.", "Congratulations, well done!"),
    ("The rain ruined our picnic.", "What a shame, sorry."),
    ("I got a new job offer today.", "Amazing news, cheers!"),
]
TINY_MODEL = {"d_model": 64, "d_kv": 16, "d_ff": 128, "num_layers": 2, "num_heads": 4, "dropout_rate": 0.0}


@pytest.fixture(autouse=True)
def one_torch_thread():
    """One intra-op thread: on a shared 2-core machine, OpenMP threads spinning against each other make tiny
    models many times slower (measured here: 20 steps took 6.8 s with one thread, 54 s with two)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _examples(split: str = "train") -> list[Example]:
    return [Example(f"c{i}", split, "neutral", "", (user,), reply) for i, (user, reply) in enumerate(PAIRS)]


def _write_store(path: Path, examples: list[Example]) -> Path:
    return write_db(path, [], examples, [(0, 0)] * len(examples), [], {"source": "test"})


@pytest.fixture(scope="module")
def pairs_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store with the eight exchanges as train and as valid."""
    return _write_store(tmp_path_factory.mktemp("db") / "pairs.db", _examples("train") + _examples("valid"))


def _quick(db: Path, out: Path, **extra) -> dict:
    """A fast recipe over the tiny model: no checkpoints, no progress bars."""
    return {
        "model_config": TINY_MODEL,
        "tokenizer": "byt5",
        "db": str(db),
        "max_source_tokens": 224,
        "max_target_tokens": 48,
        "output_dir": str(out),
        "per_device_train_batch_size": 8,
        "learning_rate": 3e-3,
        "lr_scheduler_type": "constant_with_warmup",
        "warmup_steps": 0.1,
        "weight_decay": 0.0,
        "logging_steps": 5,
        "disable_tqdm": True,
        "eval_split": None,
        "save_strategy": "no",
        **extra,
    }


def _greedy(model, tokenizer, turns_list, max_source_tokens=224) -> list[str]:
    import torch

    from coach.prompting import build_prompt

    prompts = [build_prompt(turns, tokenizer, max_source_tokens) for turns in turns_list]
    batch = tokenizer(prompts, return_tensors="pt", padding=True).to(model.device)
    model.eval()
    with torch.no_grad():
        out = model.generate(
            **batch, max_new_tokens=48, num_beams=1, do_sample=False, no_repeat_ngram_size=0, repetition_penalty=1.0
        )
    return tokenizer.batch_decode(out, skip_special_tokens=True)


def _losses(log_history) -> list[float]:
    return [row["loss"] for row in log_history if "loss" in row]


# ---------------------------------------------------------------- recipes: parsing and validation (fast)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_every_recipe_uses_only_known_keys(config):
    """Each checked-in recipe names only real fields (the DB and hub models need not exist for this)."""
    import dataclasses

    from coach.training import DataArguments, LoraArguments, ModelArguments, _training_arguments_class

    known = {
        f.name
        for cls in (ModelArguments, DataArguments, LoraArguments, _training_arguments_class())
        for f in dataclasses.fields(cls)
    }
    keys = set(yaml.safe_load(config.read_text()))
    assert keys <= known, keys - known
    assert not yaml.safe_load(config.read_text()).get("fp16")


def test_small_recipe_writes_where_the_app_looks():
    from coach.config import LOCAL_MODEL_DIR

    recipe = yaml.safe_load((ROOT / "train/configs/flan-t5-small.yaml").read_text())
    assert Path(recipe["output_dir"]) == LOCAL_MODEL_DIR
    assert recipe["num_train_epochs"] == 3


def test_overrides_are_typed_and_win(tmp_path):
    cfg = parse_config(SMOKE, ["learning_rate=1e-4", "num_train_epochs=2", "use_lora=true"], str(tmp_path))
    assert cfg.training.learning_rate == pytest.approx(1e-4)
    assert cfg.training.num_train_epochs == 2
    assert cfg.lora.use_lora is True
    assert cfg.training.output_dir == str(tmp_path)
    assert cfg.training.bf16 is False and cfg.training.fp16 is False  # fp32 on CPU
    assert cfg.training.predict_with_generate is False
    assert cfg.training.warmup_steps == pytest.approx(0.1)  # a ratio, in transformers 5's one field


@pytest.mark.parametrize("override", ["lerning_rate=1e-4", "model_confg={}"])
def test_unknown_override_key_is_one_clear_error(tmp_path, override):
    with pytest.raises(CoachError, match="unknown config key") as err:
        parse_config(SMOKE, [override], str(tmp_path))
    assert "did you mean" in str(err.value)


def test_unknown_yaml_key_is_one_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMOKE.read_text() + "\nnum_epochs: 3\n")
    assert main(["--config", str(bad), "--output_dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: unknown config key(s): num_epochs (did you mean num_train_epochs?)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "override, message",
    [
        ("fp16=true", "fp16"),
        ("precision=fp16", "precision"),
        ("lora_target_modules=[]", "lora_target_modules"),
        ("max_source_tokens=2", "max_source_tokens"),
        ("learning_rate=fast", "learning_rate must be a number"),
        ("save_strategy=steps", "save and eval strategy"),
        ("merge_lora=true", "merge_lora needs use_lora"),
        ("db=/nonexistent/coach.db", "not found"),
    ],
)
def test_bad_values_fail_before_training(tmp_path, override, message):
    with pytest.raises(CoachError, match=message):
        parse_config(SMOKE, [override], str(tmp_path))


def test_missing_model_dir_is_a_clear_error(tmp_path):
    with pytest.raises(CoachError, match="does not exist"):
        parse_config(
            {"model_name_or_path": str(tmp_path / "no-such-model"), "output_dir": str(tmp_path / "out")}, [], None
        )


def test_uncached_hub_model_offline_is_a_clear_error(tmp_path):
    with pytest.raises(CoachError, match="not in the local cache"):
        parse_config({"model_name_or_path": "coach-tests/not-a-model", "output_dir": str(tmp_path)}, [], None)


def test_empty_database_fails_before_any_model_is_built(tmp_path):
    db = _write_store(tmp_path / "empty.db", [])
    cfg = parse_config(_quick(db, tmp_path / "out"), [], None)
    with pytest.raises(CoachError, match="no examples"):
        train(cfg)
    assert not (tmp_path / "out").exists()


def test_empty_eval_split_is_a_clear_error(tmp_path):
    db = _write_store(tmp_path / "train-only.db", _examples("train"))
    cfg = parse_config(
        _quick(db, tmp_path / "out", eval_split="valid", eval_strategy="epoch", save_strategy="epoch"), [], None
    )
    with pytest.raises(CoachError, match="'valid'"):
        train(cfg)


# ---------------------------------------------------------------- training through the real Trainer (slow)


@pytest.mark.slow
def test_tiny_model_overfits_eight_examples(tmp_path, pairs_db):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    out = tmp_path / "overfit"
    # a decaying rate settles the first reply token, which the mean token loss underweights (8/8 on 6 seeds tried)
    recipe = _quick(pairs_db, out, max_steps=200, learning_rate=5e-3, lr_scheduler_type="linear")
    result = train(parse_config(recipe, [], None))
    losses = _losses(result.log_history)
    assert losses[-1] < losses[0] / 4

    # from disk, as the app would load it: the saved model must reproduce the replies it learned
    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForSeq2SeqLM.from_pretrained(out)
    examples = read_examples(pairs_db, split="train")
    replies = _greedy(model, tokenizer, [ex.context for ex in examples])
    exact = sum(reply == ex.response for reply, ex in zip(replies, examples, strict=True))
    assert exact >= 7, replies


@pytest.mark.slow
def test_smoke_recipe_trains_and_saves_everything(tmp_path):
    out = tmp_path / "smoke"
    # the checked-in recipe on the bundled sample, cut to fewer examples to keep the suite quick
    overrides = ["max_train_examples=48", "max_eval_examples=16", "num_train_epochs=2", "logging_steps=1"]
    cfg = parse_config(SMOKE, overrides, str(out))
    result = train(cfg)
    losses = _losses(result.log_history)
    evals = [row["eval_loss"] for row in result.log_history if "eval_loss" in row]
    assert len(losses) >= 2 and losses[-1] < losses[0]
    assert len(evals) >= 2 and evals[-1] < evals[0]  # eval loss each epoch, and it falls too
    assert result.eval_loss == pytest.approx(min(evals[:-1]))  # the best epoch is the one kept

    for name in ("config.json", "model.safetensors", "tokenizer_config.json", "generation_config.json", "README.md"):
        assert (out / name).is_file(), name
    generation = json.loads((out / "generation_config.json").read_text())
    assert generation["no_repeat_ngram_size"] >= 2 and generation["repetition_penalty"] > 1.0
    resolved = yaml.safe_load((out / RESOLVED_CONFIG).read_text())
    assert resolved["training"]["num_train_epochs"] == 2 and resolved["run"]["world_size"] == 1
    metrics = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert any("eval_loss" in row for row in metrics) and any("loss" in row for row in metrics)
    card = (out / "README.md").read_text()
    assert "988" in card and "eval loss" in card and f"{result.eval_loss:.4g}" in card


@pytest.mark.slow
def test_lora_adapter_round_trips(tmp_path, tiny_model_dir, pairs_db):
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from coach.modeling import clear_cache, load_model

    out = tmp_path / "lora"
    overrides = {"use_lora": True, "lora_r": 8, "lora_alpha": 16, "lora_dropout": 0.0, "merge_lora": True}
    cfg = parse_config(
        _quick(pairs_db, out, model_config=None, tokenizer=None, model_name_or_path=str(tiny_model_dir), max_steps=12)
        | overrides,
        [],
        None,
    )
    result = train(cfg)
    assert (out / "adapter_config.json").is_file() and (out / "adapter_model.safetensors").is_file()
    assert not (out / "model.safetensors").exists()  # only the adapter, not a copy of the base
    adapter_config = json.loads((out / "adapter_config.json").read_text())
    assert set(adapter_config["target_modules"]) == {"q", "v"}

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    ids = tokenizer(["I lost my keys again this morning."], return_tensors="pt")
    labels = tokenizer(["That is so frustrating."], return_tensors="pt").input_ids

    def logits(model):
        with torch.no_grad():
            return model.eval().to("cpu")(**ids, labels=labels).logits

    base = AutoModelForSeq2SeqLM.from_pretrained(tiny_model_dir)
    trained = logits(result.model)
    assert not torch.allclose(trained, logits(base), atol=1e-4)  # the adapter learned something
    clear_cache()
    loaded, _ = load_model(str(tiny_model_dir), adapter=str(out), device="cpu")
    assert torch.allclose(logits(loaded), trained, atol=1e-4)
    merged = AutoModelForSeq2SeqLM.from_pretrained(out / "merged")
    assert torch.allclose(logits(merged), trained, atol=1e-4)
    turns = [ex.context for ex in _examples()]
    assert _greedy(loaded, tokenizer, turns) == _greedy(result.model, tokenizer, turns)
    clear_cache()


@pytest.mark.slow
def test_resume_from_checkpoint_continues_the_run(tmp_path, pairs_db):
    out = tmp_path / "resume"
    recipe = _quick(pairs_db, out, save_strategy="steps", save_steps=4, logging_steps=1)
    first = train(parse_config(recipe | {"max_steps": 4}, [], None))
    assert (out / "checkpoint-4").is_dir() and first.log_history[-1]["step"] == 4

    second = train(parse_config(recipe | {"max_steps": 8, "resume_from_checkpoint": True}, [], None))
    steps = [row["step"] for row in second.log_history if "loss" in row]
    assert steps[-1] == 8
    assert min(steps) == 1 and steps.count(1) == 1  # history carried over from the checkpoint, not restarted
    assert 5 in steps and (out / "checkpoint-8").is_dir()

    with pytest.raises(CoachError, match="not found"):
        train(parse_config(recipe | {"resume_from_checkpoint": str(out / "checkpoint-99")}, [], None))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_cpu_ddp_config_runs_two_processes_and_saves_one_model(tmp_path, pairs_db):
    out = tmp_path / "ddp"
    accelerate = Path(sys.executable).parent / "accelerate"
    command = [
        str(accelerate), "launch", "--config_file", str(ROOT / "train/accelerate/cpu_ddp.yaml"),
        "--main_process_port", str(_free_port()),
        str(ROOT / "train/train.py"), "--config", str(SMOKE), "--output_dir", str(out),
        f"db={pairs_db}", "max_source_tokens=224", "max_target_tokens=48", "num_train_epochs=2",
        "per_device_train_batch_size=2", "per_device_eval_batch_size=4", "logging_steps=1", "disable_tqdm=true",
    ]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]

    resolved = yaml.safe_load((out / RESOLVED_CONFIG).read_text())
    assert resolved["run"]["world_size"] == 2
    state = json.loads((out / "trainer_state.json").read_text())
    # 8 examples, 2 per process per step: two processes share each epoch in 2 steps (one alone would take 4)
    assert state["global_step"] == 2 * 2
    assert sorted(p.name for p in out.glob("*.safetensors")) == ["model.safetensors"]
    summaries = [line for line in done.stdout.splitlines() if line.startswith('{"')]  # not the Trainer's log dicts
    assert len(summaries) == 1 and json.loads(summaries[0])["world_size"] == 2  # one process reports

    from transformers import AutoModelForSeq2SeqLM

    assert (
        AutoModelForSeq2SeqLM.from_pretrained(out).config.d_model
        == yaml.safe_load(SMOKE.read_text())["model_config"]["d_model"]
    )
