"""`coach evaluate` and `coach compare` end to end, offline: a tiny T5 and the retrieval baseline on the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.__main__ import main
from coach.evaluate import EvalOptions, evaluate, example_id, read_run, sample_examples, write_run

N = 6


@pytest.fixture(scope="module")
def db() -> Path:
    from coach.data import default_db

    return default_db()


def _options(model: Path | str, **changes) -> EvalOptions:
    values = {"model": str(model), "split": "valid", "n": N, "seed": 0, "batch_size": 4, "max_new_tokens": 8}
    values.update(changes)
    return EvalOptions(**values)


@pytest.fixture(scope="module")
def tiny_run(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "tiny"
    evaluate(_options(tiny_model_dir), out)
    return out


@pytest.fixture(scope="module")
def retrieval_run(tiny_run: Path) -> Path:
    out = tiny_run.parent / "retrieval"
    evaluate(_options("unused", backend="retrieval"), out)
    return out


def test_sample_is_seeded(db: Path) -> None:
    ids = [example_id(e) for e in sample_examples(db, "valid", 10, seed=0)]
    assert ids == [example_id(e) for e in sample_examples(db, "valid", 10, seed=0)]
    assert ids != [example_id(e) for e in sample_examples(db, "valid", 10, seed=1)]
    assert len(set(ids)) == 10
    assert all(e.split == "valid" for e in sample_examples(db, "valid", 10, seed=0))


def test_run_writes_examples_summary_and_plots(tiny_run: Path, tiny_model_dir: Path) -> None:
    from rouge_score import rouge_scorer

    summary, rows = read_run(tiny_run)
    assert len(rows) == N
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    for row in rows:
        for key in ("id", "conv_id", "emotion", "context", "reference", "prediction", "length_words", "latency_s"):
            assert key in row
        assert row["rouge_l"] == pytest.approx(scorer.score(row["reference"], row["prediction"])["rougeL"].fmeasure)
        assert -1.0 <= row["semantic_similarity"] <= 1.0
        assert isinstance(row["repetition"], bool) and isinstance(row["blocked"], bool)
        assert isinstance(row["safety_fired"], bool)
        assert 0 < row["num_tokens"] <= 8
    for key in ("rouge_l", "semantic_similarity", "distinct_2", "repetition", "latency_s"):
        stats = summary["metrics"][key]
        assert stats["low"] <= stats["mean"] <= stats["high"]
    mean_rouge = sum(r["rouge_l"] for r in rows) / N
    assert summary["metrics"]["rouge_l"]["mean"] == pytest.approx(mean_rouge)
    assert set(summary["corpus"]) >= {"distinct_2", "repetition_rate"}
    assert summary["model"]["model_path"] == str(tiny_model_dir.resolve())
    assert summary["model"]["backend"] == "torch"
    assert summary["decoding"]["max_new_tokens"] == 8
    assert summary["decoding"]["no_repeat_ngram_size"] == 3  # the chat's decoding defaults
    data = summary["data"]
    assert data["split"] == "valid" and data["n"] == N and data["seed"] == 0
    assert len(data["sample_hash"]) == 64 and data["source"]
    assert summary["environment"]["coach_version"]
    assert summary["timing"]["examples_per_s"] > 0
    assert summary["safety"]["mode"] == "flag"
    plots = {p.name for p in (tiny_run / "plots").iterdir()}
    assert {"rouge_l_hist.html", "semantic_similarity_hist.html", "length_hist.html"} <= plots
    assert "emotion_semantic_similarity.html" in plots
    assert not [p for p in tiny_run.parent.iterdir() if p.name.startswith(".")]  # no temp dirs left


def test_same_seed_same_sample_and_hash(tiny_run: Path, retrieval_run: Path) -> None:
    a, rows_a = read_run(tiny_run)
    b, rows_b = read_run(retrieval_run)
    assert a["data"]["sample_hash"] == b["data"]["sample_hash"]
    assert [r["id"] for r in rows_a] == [r["id"] for r in rows_b]
    assert b["model"]["backend"] == "retrieval"


def test_compare_gives_paired_intervals(tiny_run: Path, retrieval_run: Path, capsys) -> None:
    assert main(["compare", str(tiny_run), str(retrieval_run)]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert "shared examples" in captured.err  # the table
    (comp,) = result["comparisons"]
    assert comp["shared_examples"] == N
    _, rows_a = read_run(tiny_run)
    by_id = {r["id"]: r for r in read_run(retrieval_run)[1]}
    expected = sum(by_id[r["id"]]["rouge_l"] - r["rouge_l"] for r in rows_a) / N
    rouge = comp["metrics"]["rouge_l"]
    assert rouge["difference"]["mean"] == pytest.approx(expected)
    low, high = rouge["difference"]["low"], rouge["difference"]["high"]
    assert low <= expected <= high
    excludes_zero = low > 0 or high < 0
    assert (rouge["verdict"] != "within noise") == excludes_zero
    if excludes_zero:
        assert rouge["verdict"] == ("better" if expected > 0 else "worse")


def test_compare_refuses_runs_without_shared_examples(tiny_run: Path, tmp_path: Path, capsys) -> None:
    other = tmp_path / "test-split"
    evaluate(_options("unused", backend="retrieval", split="test"), other)
    capsys.readouterr()  # the progress bar
    assert main(["compare", str(tiny_run), str(other)]) == 2
    err = capsys.readouterr().err.strip()
    assert "share no examples" in err and len(err.splitlines()) == 1


def _cli_error(args: list[str], capsys) -> str:
    assert main(["evaluate", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: ")
    return err


def test_bad_inputs_fail_fast_with_one_line(tiny_model_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "run"
    model = ["--model", str(tiny_model_dir), "--out", str(out)]
    assert "unknown split" in _cli_error([*model, "--split", "nope"], capsys)
    assert "larger than the valid split" in _cli_error([*model, "--n", "100000"], capsys)
    assert "does not exist" in _cli_error(["--model", str(tmp_path / "missing"), "--out", str(out)], capsys)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert "empty" in _cli_error([*model, "--db", str(empty)], capsys)
    assert "at least 1" in _cli_error([*model, "--n", "0"], capsys)
    assert not out.exists()  # nothing was written


def test_a_failed_write_keeps_the_earlier_run(tiny_run: Path, tmp_path: Path) -> None:
    _, rows = read_run(tiny_run)
    out = tmp_path / "run"
    write_run(out, rows, {"name": "run", "n": len(rows)})
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(TypeError):
        write_run(out, rows[:1], {"name": "run", "unserialisable": object()})
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_plots_overlay_runs(tiny_run: Path, retrieval_run: Path) -> None:
    from coach.ui import plots

    runs = {"tiny": read_run(tiny_run)[1], "retrieval": read_run(retrieval_run)[1]}
    fig = plots.metric_histogram(runs, "rouge_l")
    assert [t.name for t in fig.data] == ["tiny", "retrieval"]
    assert list(fig.data[0].x) == [r["rouge_l"] for r in runs["tiny"]]
    emotions = plots.emotion_means(runs, "semantic_similarity")
    assert len(emotions.data) == 2
    assert set(emotions.data[0].x) == {r["emotion"] for r in runs["tiny"]}


def test_evaluation_tab_views_runs(tiny_run: Path, retrieval_run: Path) -> None:
    import gradio as gr

    from coach.config import Settings
    from coach.ui import evaluation

    runs_dir = tiny_run.parent
    assert set(evaluation.run_names(runs_dir)) >= {"tiny", "retrieval"}
    note, table, *figures, best, worst = evaluation.view(runs_dir, ["tiny", "retrieval"], "rouge_l")
    assert "tiny" in note
    summary, rows = read_run(tiny_run)
    mean = table[(table["run"] == "tiny") & (table["metric"] == "rouge_l")]["mean"].item()
    assert mean == pytest.approx(summary["metrics"]["rouge_l"]["mean"], abs=1e-4)
    assert len(figures) == 4
    assert best["rouge_l"].tolist() == sorted(best["rouge_l"].tolist(), reverse=True)
    assert best["rouge_l"].max() == pytest.approx(max(r["rouge_l"] for r in rows), abs=1e-4)
    assert worst["rouge_l"].min() == pytest.approx(min(r["rouge_l"] for r in rows), abs=1e-4)

    with gr.Blocks() as demo, gr.Tab("Evaluation"):
        evaluation.build_evaluation_tab(Settings(runs=str(runs_dir)))
    assert any(isinstance(block, gr.Plot) for block in demo.blocks.values())


def test_small_evaluation_from_the_tab(tiny_model_dir: Path, tmp_path: Path) -> None:
    from coach.config import Settings
    from coach.ui.evaluation import run_small_evaluation

    settings = Settings(model=str(tiny_model_dir), backend="auto", runs=str(tmp_path), max_new_tokens=8)
    seen: list[float] = []
    name = run_small_evaluation(settings, 5, "valid", lambda fraction, desc="": seen.append(fraction))
    summary, rows = read_run(tmp_path / name)
    assert len(rows) == 5 and summary["model"]["backend"] == "torch"
    assert seen[0] == 0.0 and seen[-1] == pytest.approx(1.0)
