"""The data pipeline: sources, cleaning, examples, the SQLite store, token statistics and bad input."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import coach.__main__ as cli_main
import coach.data
from coach.data import load, stats, store
from coach.data.clean import ASSISTANT, USER, Conversation, Turn, clean_conversation, clean_text
from coach.data.examples import build_examples
from coach.errors import CoachError

ED_HEADER = "conv_id,utterance_idx,context,prompt,speaker_idx,utterance,selfeval,tags"


def conversation(conv_id: str, *texts: str, emotion: str = "hopeful", first: str = USER) -> dict:
    """A hub-schema record whose turns alternate, starting with `first`."""
    other = ASSISTANT if first == USER else USER
    turns = [{"role": first if i % 2 == 0 else other, "content": text} for i, text in enumerate(texts)]
    return {"conv_id": conv_id, "situation": f"situation of {conv_id}", "emotion": emotion, "conversations": turns}


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def some_conversations(prefix: str, n: int) -> list[dict]:
    emotions = ["proud", "anxious", "lonely", "grateful"]
    return [
        conversation(
            f"{prefix}:{i}",
            f"I repainted the kitchen on day {i}.",
            "How does it look now?",
            "Brighter than I hoped,   honestly.",
            "That must feel good to walk into every morning.",
            emotion=emotions[i % len(emotions)],
        )
        for i in range(n)
    ]


def split_dir(tmp_path: Path, counts=(6, 3, 3)) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for split, n in zip(("train", "valid", "test"), counts, strict=True):
        write_jsonl(src / f"{split}.jsonl", some_conversations(split, n))
    return src


def run_cli(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    """`python -m coach prepare ...` in process, through the real CLI entry point and its error handling.

    The command table is narrowed to `prepare` so this test doesn't depend on the other commands' modules.
    """
    monkeypatch.setattr(cli_main, "COMMANDS", {"prepare": cli_main.COMMANDS["prepare"]})
    code = cli_main.main(["prepare", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def dump(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


# --- cleaning ---------------------------------------------------------------------------------------


def test_clean_text_restores_commas_and_folds_whitespace():
    assert clean_text("  Well_comma_ I   tried\n\tagain_comma_and again  ") == "Well, I tried again,and again"
    assert clean_text(" \n\t ") == ""


@given(st.lists(st.sampled_from([*"ab ,_\n\t", "_comma_", "comma"]), max_size=30).map("".join))
def test_clean_text_is_trimmed_folded_and_idempotent(text):
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned and "\n" not in cleaned and "\t" not in cleaned
    assert "_comma_" not in cleaned
    assert clean_text(cleaned) == cleaned


def test_clean_conversation_drops_empty_and_leading_turns_and_merges_neighbours():
    raw = Conversation(
        "c1",
        "train",
        " proud ",
        "won_comma_ finally",
        (
            Turn(ASSISTANT, "Hi there."),
            Turn(USER, "I won the  chess club final."),
            Turn(ASSISTANT, "   "),
            Turn(USER, "After three years of trying."),
            Turn(ASSISTANT, "Three years_comma_ that is real persistence."),
        ),
    )
    conv, changes = clean_conversation(raw)
    assert changes == Counter({"leading_assistant_turn": 1, "empty_turn": 1, "merged_turn": 1})
    assert conv.emotion == "proud" and conv.situation == "won, finally"
    assert conv.turns == (
        Turn(USER, "I won the chess club final. After three years of trying."),
        Turn(ASSISTANT, "Three years, that is real persistence."),
    )


@given(st.lists(st.tuples(st.sampled_from([USER, ASSISTANT]), st.sampled_from(["", " ", "hi", "ok then"]))))
def test_examples_follow_the_contract_for_any_turn_sequence(turns):
    conv, _ = clean_conversation(Conversation("c", "train", "e", "s", tuple(Turn(r, t) for r, t in turns)))
    examples = build_examples(conv)
    roles = [t.role for t in conv.turns]
    assert len(examples) == roles.count(ASSISTANT)  # after cleaning, every assistant turn answers a user
    for example in examples:
        n = len(example.context)
        assert n % 2 == 1  # user, assistant, ..., user
        assert example.context == tuple(t.content for t in conv.turns[:n])
        assert example.response == conv.turns[n].content and conv.turns[n].role == ASSISTANT
        assert all(example.context) and example.response


def test_build_examples_one_per_answering_assistant_turn():
    conv = Conversation(
        "c",
        "valid",
        "lonely",
        "moved city",
        (Turn(USER, "a"), Turn(ASSISTANT, "b"), Turn(USER, "c"), Turn(ASSISTANT, "d"), Turn(USER, "e")),
    )
    examples = build_examples(conv)
    assert [(e.context, e.response) for e in examples] == [(("a",), "b"), (("a", "b", "c"), "d")]
    assert all(
        (e.conv_id, e.split, e.emotion, e.situation) == ("c", "valid", "lonely", "moved city") for e in examples
    )


# --- sources ------------------------------------------------------------------------------------------


def test_split_directory_of_jsonl_keeps_its_splits(tmp_path):
    db = tmp_path / "out" / "coach.db"
    summary = coach.data.prepare(split_dir(tmp_path), db)
    assert summary["format"] == "jsonl"
    assert summary["splits"] == {
        "train": {"conversations": 6, "examples": 12},
        "valid": {"conversations": 3, "examples": 6},
        "test": {"conversations": 3, "examples": 6},
    }
    examples = store.read_examples(db, "valid")
    assert len(examples) == 6 and {e.conv_id.split(":")[0] for e in examples} == {"valid"}
    first, second = examples[:2]
    assert first.context == ("I repainted the kitchen on day 0.",)
    assert first.response == "How does it look now?"
    assert second.context == (
        "I repainted the kitchen on day 0.",
        "How does it look now?",
        "Brighter than I hoped, honestly.",
    )
    assert store.read_examples(db, limit=3) == store.read_examples(db)[:3]
    assert [e.split for e in store.read_examples(db)] == ["train"] * 12 + ["valid"] * 6 + ["test"] * 6
    with sqlite3.connect(db) as con:
        (context,) = con.execute("SELECT context FROM examples WHERE id = 2").fetchone()
        assert json.loads(context) == list(second.context)
        assert con.execute("SELECT COUNT(*) FROM conversations").fetchone() == (12,)


def test_split_directory_of_parquet_matches_jsonl(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl = split_dir(tmp_path)
    parquet = tmp_path / "parquet" / "data"  # a hub snapshot's layout: data/<split>-00000-of-00001.parquet
    parquet.mkdir(parents=True)
    for split in ("train", "valid", "test"):
        rows = [json.loads(line) for line in (jsonl / f"{split}.jsonl").read_text().splitlines()]
        name = "validation" if split == "valid" else split
        pq.write_table(pa.Table.from_pylist(rows), parquet / f"{name}-00000-of-00001.parquet")
    # the hub repo also holds a stale valid-* file beside the validation-* its config reads
    pq.write_table(pa.Table.from_pylist(some_conversations("stale", 2)), parquet / "valid-00000-of-00001.parquet")
    from_parquet = coach.data.prepare(parquet.parent, tmp_path / "p.db")
    assert from_parquet["format"] == "parquet"
    coach.data.prepare(jsonl, tmp_path / "j.db")
    assert store.read_examples(tmp_path / "p.db") == store.read_examples(tmp_path / "j.db")


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".parquet"])
def test_single_file_is_split_by_conv_id_hash_without_overlap(tmp_path, suffix):
    rows = some_conversations("one", 60)
    rows += [conversation("one:3", "a repeat of conversation 3", "it should be skipped")]
    path = tmp_path / f"all{suffix}"
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path)
    elif suffix == ".json":
        path.write_text(json.dumps(rows, indent=1), encoding="utf-8")  # one JSON array
    else:
        write_jsonl(path, rows)
    db = tmp_path / "coach.db"
    summary = coach.data.prepare(path, db)
    assert summary["skipped"] == {"duplicate_conv_id": 1}
    examples = store.read_examples(db)
    splits_of: dict[str, set[str]] = {}
    for e in examples:
        splits_of.setdefault(e.conv_id, set()).add(e.split)
    assert len(splits_of) == 60 and all(len(s) == 1 for s in splits_of.values())
    assert all(splits == {load.hash_split(conv_id)} for conv_id, splits in splits_of.items())
    counts = Counter(next(iter(s)) for s in splits_of.values())
    assert set(counts) == {"train", "valid", "test"} and counts["train"] > counts["valid"] + counts["test"]
    assert sum(v["conversations"] for v in summary["splits"].values()) == 60


def test_a_conversation_in_two_split_files_is_kept_once(tmp_path):
    src = split_dir(tmp_path)
    write_jsonl(src / "test.jsonl", some_conversations("test", 3) + some_conversations("train", 1))
    db = tmp_path / "coach.db"
    summary = coach.data.prepare(src, db)
    assert summary["skipped"] == {"duplicate_conv_id": 1}
    assert {e.split for e in store.read_examples(db) if e.conv_id == "train:0"} == {"train"}
    assert summary["splits"]["test"]["conversations"] == 3


def test_hash_split_is_stable_across_processes_and_roughly_80_10_10():
    ids = [f"hit:{i}_conv:{i * 2}" for i in range(5000)]
    code = "import sys; from coach.data.load import hash_split; print(''.join(hash_split(i)[0] for i in sys.argv[1:]))"
    for seed in ("1", "2"):  # Python's own hash() would differ between these
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, *ids[:200]], capture_output=True, text=True, env=env)
        assert out.stdout.strip() == "".join(load.hash_split(i)[0] for i in ids[:200])
    counts = Counter(load.hash_split(i) for i in ids)
    assert 0.77 < counts["train"] / 5000 < 0.83 and 0.08 < counts["valid"] / 5000 < 0.12


def ed_csv(conversations: list[tuple[str, str, str, list[str]]]) -> str:
    lines = [ED_HEADER]
    for conv_id, emotion, prompt, utterances in conversations:
        for i, text in enumerate(utterances, 1):
            speaker = 1 if i % 2 else 2
            lines.append(f"{conv_id},{i},{emotion},{prompt},{speaker},{text},5|5|5_2|2|5,")
    return "\n".join(lines) + "\n"


def test_empathetic_dialogues_csv_directory(tmp_path):
    src = tmp_path / "empatheticdialogues"
    src.mkdir()
    train_rows = [
        (
            "hit:1_conv:2",
            "grateful",
            "My neighbour fixed my bike_comma_ unasked.",
            ["My bike works again!", "Oh nice_comma_ how?", "A neighbour fixed it.", "What a kind thing to do."],
        ),
        (
            "hit:3_conv:6",
            "nostalgic",
            "Found old letters.",
            ["I found letters from school.", "Did you read them all?"],
        ),
    ]
    text = ed_csv(train_rows)
    lines = text.splitlines()
    # rows out of utterance order, one row with a bare comma (wrong field count), one with a bad index
    lines[1], lines[3] = lines[3], lines[1]
    lines += ["hit:3_conv:6,3,nostalgic,Found old letters.,1,Every one, twice.,5|5|5_2|2|5,"]
    lines += ["hit:3_conv:6,x,nostalgic,Found old letters.,1,broken,5|5|5_2|2|5,"]
    (src / "train.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "valid.csv").write_text(
        ed_csv([("hit:9_conv:18", "proud", "Ran a 10k.", ["I ran my first 10k.", "Well done_comma_ how was it?"])])
    )
    (src / "test.csv").write_text(ed_csv([("hit:5_conv:10", "anxious", "Exam soon.", ["My exam is tomorrow."])]))

    db = tmp_path / "ed.db"
    summary = coach.data.prepare(src, db)
    assert summary["format"] == "ed-csv"
    assert summary["skipped"] == {"malformed_row": 2, "broken_conversation": 1}  # the test conversation has no reply
    assert summary["splits"]["train"] == {"conversations": 2, "examples": 3}
    assert summary["splits"]["test"] == {"conversations": 0, "examples": 0}
    first = store.read_examples(db, "train")[1]
    assert first.conv_id == "hit:1_conv:2" and first.emotion == "grateful"
    assert first.situation == "My neighbour fixed my bike, unasked."
    assert first.context == ("My bike works again!", "Oh nice, how?", "A neighbour fixed it.")
    assert first.response == "What a kind thing to do."
    (valid,) = store.read_examples(db, "valid")
    assert valid.response == "Well done, how was it?"


def test_single_empathetic_dialogues_csv_file(tmp_path):
    rows = [
        (f"hit:{i}_conv:{i}", "hopeful", "New job.", ["I start a new job Monday.", "Exciting_comma_ what is it?"])
        for i in range(30)
    ]
    path = tmp_path / "all.csv"
    path.write_text(ed_csv(rows), encoding="utf-8")
    summary = coach.data.prepare(path, tmp_path / "ed.db")
    assert sum(s["examples"] for s in summary["splits"].values()) == 30
    assert all(e.split == load.hash_split(e.conv_id) for e in store.read_examples(tmp_path / "ed.db"))


def test_broken_rows_are_skipped_and_counted(tmp_path, monkeypatch, capsys):
    rows = some_conversations("ok", 2) + [
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"conv_id": "no-turns", "emotion": "proud"}),
        json.dumps(conversation("", "missing id", "still missing")),
        json.dumps(
            {**conversation("bad-role", "hi", "hello"), "conversations": [{"role": "narrator", "content": "x"}]}
        ),
        json.dumps(conversation("only-user", "is anyone there?")),
        json.dumps(conversation("blank", "   ", "\t")),
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl", rows)
    code, out, _ = run_cli(monkeypatch, capsys, "--source", str(path), "--db", str(tmp_path / "x.db"))
    assert code == 0
    summary = json.loads(out)
    assert summary["skipped"] == {
        "bad_role": 1,
        "invalid_json": 1,
        "malformed_row": 2,
        "missing_conv_id": 1,
        "broken_conversation": 2,
    }
    assert summary["turns_changed"] == {"empty_turn": 2}
    assert sum(s["conversations"] for s in summary["splits"].values()) == 2
    assert set(summary) >= {"source", "db", "splits", "skipped", "tokenizer", "seconds"}


def test_bundled_sample_prepares_through_the_real_command(tmp_path):
    sample = coach.data.sample_dir()
    if not all((sample / f"{split}.jsonl").is_file() for split in ("train", "valid", "test")):
        pytest.skip("the bundled sample is not written yet")
    db = tmp_path / "s.db"
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "prepare", "--source", "sample", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["source"] == "sample" and summary["db"] == str(db)
    assert all(summary["splits"][split]["examples"] > 0 for split in ("train", "valid", "test"))
    assert store.count_examples(db) == {split: summary["splits"][split]["examples"] for split in store.SPLITS}
    assert len(store.list_emotions(db)) >= 2


# --- the store ----------------------------------------------------------------------------------------


def test_token_statistics_agree_with_the_tokenizer(tmp_path):
    src = split_dir(tmp_path)
    # a leading assistant turn (dropped) and a last user turn that nothing answers
    extra = [
        conversation(
            "odd", "Hello?", "I moved abroad.", "That is a big step.", "Nobody here knows me.", first=ASSISTANT
        )
    ]
    write_jsonl(src / "valid.jsonl", some_conversations("valid", 3) + extra)
    db = tmp_path / "coach.db"
    summary = coach.data.prepare(src, db)
    assert summary["splits"]["valid"]["examples"] == 7
    counter = stats.load_counter()
    assert summary["tokenizer"] == counter.name == store.read_meta(db)["tokenizer"]
    examples = store.read_examples(db)
    lengths = store.read_token_lengths(db)
    assert len(lengths) == len(examples)
    for example, row in zip(examples, lengths, strict=True):
        assert row["conv_id"] == example.conv_id and row["emotion"] == example.emotion
        assert row["response_tokens"] == counter.count([example.response])[0]
        assert row["context_tokens"] == sum(counter.count(list(example.context)))
    rows = store.read_token_stats(db)
    assert [(r["split"], r["field"]) for r in rows] == [
        (s, f) for s in ("train", "valid", "test") for f in ("context", "response")
    ]
    for row in rows:
        values = [r[f"{row['field']}_tokens"] for r in store.read_token_lengths(db, row["split"])]
        assert row["count"] == len(values) and row["max"] == max(values)
        assert row["mean"] == pytest.approx(sum(values) / len(values), abs=1e-3)
        assert min(values) <= row["p50"] <= row["p90"] <= row["p95"] <= row["max"]
        assert row["tokenizer"] == counter.name


def test_explicit_tokenizer_dir_is_used(tmp_path):
    from transformers import ByT5Tokenizer

    ByT5Tokenizer().save_pretrained(tmp_path / "byt5")
    db = tmp_path / "coach.db"
    summary = coach.data.prepare(split_dir(tmp_path), db, tokenizer=str(tmp_path / "byt5"))
    assert summary["tokenizer"] == str(tmp_path / "byt5")
    example = store.read_examples(db, limit=1)[0]
    row = store.read_token_lengths(db)[0]
    # ByT5 counts bytes
    assert row["response_tokens"] == len(example.response.encode())
    assert row["context_tokens"] == sum(len(turn.encode()) for turn in example.context)


def test_search_and_emotions(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(
        src / "train.jsonl",
        [
            conversation("a", "I got 100% on the quiz", "That is a big result.", emotion="proud"),
            conversation("b", "The house feels quiet", "Quiet can be heavy.", emotion="lonely"),
            conversation("c", "My snake_case code ran", "Nice work on the quiz prep.", emotion="proud"),
        ],
    )
    db = tmp_path / "coach.db"
    coach.data.prepare(src, db)
    assert store.list_emotions(db) == ["lonely", "proud"]
    assert [e.conv_id for e in store.search_examples(db, query="QUIZ")] == ["a", "c"]
    assert [e.conv_id for e in store.search_examples(db, query="100%")] == ["a"]  # % is literal
    assert [e.conv_id for e in store.search_examples(db, query="e_c")] == ["c"]  # so is _
    assert [e.conv_id for e in store.search_examples(db, emotion="lonely")] == ["b"]
    assert store.search_examples(db, split="valid") == []
    assert len(store.search_examples(db, limit=2)) == 2
    assert store.count_examples(db) == {"train": 3, "valid": 0, "test": 0}


def test_readers_reject_bad_stores(tmp_path):
    with pytest.raises(CoachError, match="no dataset store"):
        store.read_examples(tmp_path / "missing.db")
    (tmp_path / "empty.db").touch()
    with pytest.raises(CoachError, match="empty"):
        store.read_token_stats(tmp_path / "empty.db")
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CoachError, match="not a SQLite database"):
        store.read_examples(tmp_path / "junk.db")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(CoachError, match="not a Coach dataset store"):
        store.list_emotions(tmp_path / "other.db")
    db = tmp_path / "coach.db"
    coach.data.prepare(split_dir(tmp_path), db)
    with pytest.raises(CoachError, match="unknown split"):
        store.read_examples(db, "validation")


def test_same_source_twice_gives_the_same_database(tmp_path):
    src = split_dir(tmp_path)
    coach.data.prepare(src, tmp_path / "one.db")
    coach.data.prepare(src, tmp_path / "two.db")
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")
    assert (tmp_path / "one.db").read_bytes() == (tmp_path / "two.db").read_bytes()


def test_failed_run_leaves_the_old_database_intact(tmp_path, monkeypatch, capsys):
    db = tmp_path / "coach.db"
    coach.data.prepare(split_dir(tmp_path), db)
    before = db.read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"conv_id": "x", "conversations": []}\n\xff\xfe broken\n')
    code, _, err = run_cli(monkeypatch, capsys, "--source", str(bad), "--db", str(db))
    assert code == 2 and "UTF-8" in err
    assert db.read_bytes() == before

    # a failure late in the write itself (here: the index step, after every row is in) removes the temp file
    monkeypatch.setattr(store, "_INDICES", "CREATE INDEX broken ON no_such_table (x);")
    with pytest.raises(sqlite3.OperationalError):
        coach.data.prepare(tmp_path / "src", db)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["bad.jsonl", "coach.db"]
    assert len(store.read_examples(db)) == 24


@pytest.mark.parametrize(
    "case, expected",
    [
        ("missing", "no such file or directory"),
        ("empty", "empty file"),
        ("whitespace", "empty file"),
        ("unknown-suffix", "unknown format"),
        ("unknown-dir", "unknown format"),
        ("csv-layout", "unknown CSV layout"),
        ("non-utf8", "not UTF-8"),
        ("no-usable", "no usable conversation"),
        ("bad-parquet", "cannot read parquet"),
        ("hub-offline", "cannot load hub dataset"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, case, expected):
    sources = {
        "missing": tmp_path / "nowhere" / "train.jsonl",
        "empty": tmp_path / "empty.jsonl",
        "whitespace": tmp_path / "blank.jsonl",
        "unknown-suffix": tmp_path / "dialogues.txt",
        "unknown-dir": tmp_path / "somedir",
        "csv-layout": tmp_path / "table.csv",
        "non-utf8": tmp_path / "latin1.jsonl",
        "no-usable": tmp_path / "nothing.jsonl",
        "bad-parquet": tmp_path / "broken.parquet",
    }
    (tmp_path / "empty.jsonl").touch()
    (tmp_path / "blank.jsonl").write_text("\n  \n")
    write_jsonl(tmp_path / "dialogues.txt", some_conversations("t", 2))
    (tmp_path / "somedir").mkdir()
    write_jsonl(tmp_path / "somedir" / "all.jsonl", some_conversations("t", 2))
    (tmp_path / "table.csv").write_text("id,text\n1,hello\n")
    (tmp_path / "latin1.jsonl").write_bytes(
        json.dumps(conversation("l", "caf\u00e9", "ok"), ensure_ascii=False).encode("latin-1")
    )
    write_jsonl(tmp_path / "nothing.jsonl", [conversation("u", "only a user turn"), "[]"])
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 definitely not parquet")
    source = str(sources.get(case, "some-owner/surely-not-a-cached-dataset"))
    db = tmp_path / "out.db"

    code, out, err = run_cli(monkeypatch, capsys, "--source", source, "--db", str(db))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], err
    assert "Traceback" not in err
    assert not db.exists() and not list(tmp_path.glob(".out.db.*"))


def test_default_db_builds_once_from_the_sample_and_follows_its_content(tmp_path, monkeypatch):
    sample = tmp_path / "sample"
    sample.mkdir()
    for split, n in (("train", 4), ("valid", 2), ("test", 2)):
        write_jsonl(sample / f"{split}.jsonl", some_conversations(split, n))
    monkeypatch.setattr(coach.data, "sample_dir", lambda: sample)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    db = coach.data.default_db()
    assert db.parent == tmp_path / "cache" / "coach"
    assert store.count_examples(db) == {"train": 8, "valid": 4, "test": 4}
    stamp = db.stat().st_mtime_ns
    assert coach.data.default_db() == db and db.stat().st_mtime_ns == stamp  # cached, not rebuilt

    write_jsonl(sample / "test.jsonl", some_conversations("test", 3))
    rebuilt = coach.data.default_db()
    assert rebuilt != db and store.count_examples(rebuilt)["test"] == 6


def test_sample_dir_is_inside_the_package():
    assert coach.data.sample_dir() == Path(coach.data.__file__).parent / "sample"
