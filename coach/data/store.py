"""The SQLite example store: written once by `coach prepare`, read by training, evaluation and the app.

Tables: `examples` (one row per assistant turn: conv_id, split, emotion, situation, context as a JSON list
of earlier turns, response), `conversations` (cleaned turns with roles), `token_lengths` (per example),
`token_stats` (per split and field) and `meta` (source, format, tokenizer, the run's summary).
The file is built under a temporary name beside the target and renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.data.clean import Conversation
from coach.errors import CoachError

SCHEMA_VERSION = "1"
SPLITS = ("train", "valid", "test")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE conversations (
    conv_id TEXT PRIMARY KEY, split TEXT NOT NULL, emotion TEXT NOT NULL, situation TEXT NOT NULL,
    num_turns INTEGER NOT NULL, turns TEXT NOT NULL  -- JSON [{"role", "content"}]
);
CREATE TABLE examples (
    id INTEGER PRIMARY KEY, conv_id TEXT NOT NULL REFERENCES conversations (conv_id), split TEXT NOT NULL,
    emotion TEXT NOT NULL, situation TEXT NOT NULL, turn_index INTEGER NOT NULL,
    context TEXT NOT NULL,  -- JSON list of the earlier turns, oldest first, the last one a user turn
    response TEXT NOT NULL
);
CREATE TABLE token_lengths (
    example_id INTEGER PRIMARY KEY REFERENCES examples (id), split TEXT NOT NULL, emotion TEXT NOT NULL,
    context_tokens INTEGER NOT NULL, response_tokens INTEGER NOT NULL
);
CREATE TABLE token_stats (
    split TEXT NOT NULL, field TEXT NOT NULL, count INTEGER NOT NULL, mean REAL NOT NULL, p50 REAL NOT NULL,
    p90 REAL NOT NULL, p95 REAL NOT NULL, max INTEGER NOT NULL, tokenizer TEXT NOT NULL, PRIMARY KEY (split, field)
);
"""
# built after the bulk insert, which is faster than maintaining them row by row
_INDICES = """
CREATE INDEX examples_split ON examples (split, id);
CREATE INDEX examples_emotion ON examples (emotion, id);
CREATE INDEX examples_conv ON examples (conv_id);
CREATE INDEX conversations_split ON conversations (split);
CREATE INDEX token_lengths_split ON token_lengths (split);
"""
_STAT_FIELDS = ("split", "field", "count", "mean", "p50", "p90", "p95", "max", "tokenizer")


@dataclass(frozen=True)
class Example:
    conv_id: str
    split: str
    emotion: str
    situation: str
    context: tuple[str, ...]  # earlier turns, oldest first, alternating user/assistant, the last a user turn
    response: str


def write_db(
    db: str | Path,
    conversations: Sequence[Conversation],
    examples: Sequence[Example],
    lengths: Sequence[tuple[int, int]],
    token_stats: Sequence[dict],
    meta: dict[str, str],
) -> Path:
    """Write a complete store atomically. `lengths[i]` is (context_tokens, response_tokens) of `examples[i]`.

    Nothing in it depends on the time or the machine, so the same input gives the same file content.
    """
    target = Path(db).expanduser()
    if target.is_dir():
        raise CoachError(f"--db {target} is a directory; give a file path such as {target / 'coach.db'}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise CoachError(f"cannot write the database at {target}: {err.strerror}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        try:
            # a half-written temp file is thrown away, so no journal and no syncs while building it
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.executescript(_SCHEMA)
            with con:
                con.executemany("INSERT INTO meta VALUES (?, ?)", sorted({**meta, "schema": SCHEMA_VERSION}.items()))
                con.executemany(
                    "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        (
                            c.conv_id,
                            c.split,
                            c.emotion,
                            c.situation,
                            len(c.turns),
                            json.dumps([{"role": t.role, "content": t.content} for t in c.turns], ensure_ascii=False),
                        )
                        for c in conversations
                    ),
                )
                con.executemany(
                    "INSERT INTO examples VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (i, e.conv_id, e.split, e.emotion, e.situation, len(e.context), _dumps(e.context), e.response)
                        for i, e in enumerate(examples, 1)
                    ),
                )
                con.executemany(
                    "INSERT INTO token_lengths VALUES (?, ?, ?, ?, ?)",
                    (
                        (i, e.split, e.emotion, c, r)
                        for i, (e, (c, r)) in enumerate(zip(examples, lengths, strict=True), 1)
                    ),
                )
                con.executemany(
                    f"INSERT INTO token_stats VALUES ({', '.join('?' * len(_STAT_FIELDS))})",
                    ([row[k] for k in _STAT_FIELDS] for row in token_stats),
                )
            con.executescript(_INDICES)
        finally:
            con.close()
        os.chmod(tmp, 0o644)
        with open(tmp, "rb") as f:  # on disk before the rename, so a crash can't leave a renamed empty file
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _dumps(turns: Sequence[str]) -> str:
    return json.dumps(list(turns), ensure_ascii=False)


@contextlib.contextmanager
def connect(db: str | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a store, or CoachError saying plainly what is wrong with the file."""
    path = Path(db).expanduser()
    if not path.is_file():
        raise CoachError(f"no dataset store at {path}: run `python -m coach prepare --db {path}` first")
    if path.stat().st_size == 0:
        raise CoachError(f"dataset store {path} is empty: run `python -m coach prepare --db {path}` again")
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            raise CoachError(f"{path} is not a SQLite database") from None
        if not {"examples", "token_stats", "token_lengths", "meta"} <= tables:
            raise CoachError(f"{path} is not a Coach dataset store (made by `python -m coach prepare`)")
        yield con
    finally:
        con.close()


def _check_split(split: str | None) -> None:
    if split is not None and split not in SPLITS:
        raise CoachError(f"unknown split {split!r}: choose one of {', '.join(SPLITS)}")


def _example(row: tuple) -> Example:
    conv_id, split, emotion, situation, context, response = row
    return Example(conv_id, split, emotion, situation, tuple(json.loads(context)), response)


_EXAMPLE_COLUMNS = "conv_id, split, emotion, situation, context, response"


def read_examples(db: str | Path, split: str | None = None, limit: int | None = None) -> list[Example]:
    """Examples in store order (train, valid, test; source order within a split); one split, the first `limit`."""
    return search_examples(db, split=split, limit=limit)


def search_examples(
    db: str | Path,
    split: str | None = None,
    emotion: str | None = None,
    query: str | None = None,
    limit: int | None = 50,
) -> list[Example]:
    """Examples filtered by split, emotion and a case-insensitive substring of the context or response."""
    _check_split(split)
    where, params = [], []
    if split:
        where.append("split = ?")
        params.append(split)
    if emotion:
        where.append("emotion = ?")
        params.append(emotion)
    if query:
        # the query is literal text: escape LIKE's wildcards
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(response LIKE ? ESCAPE '\\' OR context LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    sql = f"SELECT {_EXAMPLE_COLUMNS} FROM examples"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id LIMIT ?"
    params.append(-1 if limit is None else max(int(limit), 0))
    with connect(db) as con:
        return [_example(row) for row in con.execute(sql, params)]


def read_token_stats(db: str | Path) -> list[dict]:
    """Rows {split, field ("context"|"response"), count, mean, p50, p90, p95, max, tokenizer}."""
    with connect(db) as con:
        rows = con.execute(f"SELECT {', '.join(_STAT_FIELDS)} FROM token_stats")
        stats = [dict(zip(_STAT_FIELDS, row, strict=True)) for row in rows]
    return sorted(stats, key=lambda r: (SPLITS.index(r["split"]), r["field"]))


def read_token_lengths(db: str | Path, split: str | None = None) -> list[dict]:
    """Per example {example_id, conv_id, split, emotion, context_tokens, response_tokens}, in store order."""
    _check_split(split)
    sql = (
        "SELECT t.example_id, e.conv_id, t.split, t.emotion, t.context_tokens, t.response_tokens "
        "FROM token_lengths t JOIN examples e ON e.id = t.example_id"
    )
    params: list = []
    if split:
        sql += " WHERE t.split = ?"
        params.append(split)
    keys = ("example_id", "conv_id", "split", "emotion", "context_tokens", "response_tokens")
    with connect(db) as con:
        return [dict(zip(keys, row, strict=True)) for row in con.execute(sql + " ORDER BY t.example_id", params)]


def list_emotions(db: str | Path) -> list[str]:
    """The emotion labels present in the store, sorted."""
    with connect(db) as con:
        return [row[0] for row in con.execute("SELECT DISTINCT emotion FROM examples ORDER BY emotion")]


def count_examples(db: str | Path) -> dict[str, int]:
    """Examples per split (every split named, zero where empty)."""
    with connect(db) as con:
        counts = dict(con.execute("SELECT split, COUNT(*) FROM examples GROUP BY split").fetchall())
    return {split: counts.get(split, 0) for split in SPLITS}


def read_meta(db: str | Path) -> dict[str, str]:
    """The store's metadata: source, format, tokenizer, schema, and `summary` (the prepare summary as JSON)."""
    with connect(db) as con:
        return dict(con.execute("SELECT key, value FROM meta ORDER BY key").fetchall())
