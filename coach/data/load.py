"""Read a dialogue source into raw `Conversation` records (text not yet cleaned).

Sources: a hub dataset id (through `datasets`), a directory of `train/valid/test` files, one file
(split deterministically by a hash of conv_id), the original EmpatheticDialogues CSVs, or `sample`.
Broken rows are skipped and counted by reason; input that can't be read at all raises `CoachError`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coach.data.clean import ASSISTANT, ROLES, USER, Conversation, Turn
from coach.errors import CoachError

DEFAULT_HUB_ID = "Estwld/empathetic_dialogues_llm"
SPLITS = ("train", "valid", "test")
# file or hub split name -> our split name; when one split has files under several names, the first wins
SPLIT_ALIASES = {
    "train": "train",
    "validation": "valid",
    "valid": "valid",
    "val": "valid",
    "dev": "valid",
    "test": "test",
}
# suffix -> format name
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".csv": "ed-csv"}
ED_CSV_COLUMNS = ("conv_id", "utterance_idx", "context", "prompt", "utterance")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")

log = logging.getLogger(__name__)
SplitOf = Callable[[str], str]


@dataclass
class Loaded:
    source: str
    format: str  # hub | jsonl | parquet | ed-csv
    conversations: list[Conversation]
    skipped: Counter[str] = field(default_factory=Counter)


def hash_split(conv_id: str) -> str:
    """80/10/10 by a stable hash of conv_id, so a conversation always lands in the same single split."""
    bucket = int.from_bytes(hashlib.sha1(conv_id.encode("utf-8")).digest()[:4], "big") % 100
    return "train" if bucket < 80 else "valid" if bucket < 90 else "test"


def load_source(source: str) -> Loaded:
    """Dispatch on what `source` is: an existing path, the word `sample`, or else a hub dataset id."""
    path = Path(source).expanduser()
    if source == "sample" and not path.exists():
        from coach.data import sample_dir

        return _load_dir(sample_dir(), source)
    if path.is_dir():
        return _load_dir(path, source)
    if path.is_file():
        fmt = _format_of(path)
        skipped: Counter[str] = Counter()
        return Loaded(source, fmt, _read_file(path, fmt, hash_split, skipped), skipped)
    if path.suffix.lower() in FORMATS or source.startswith((".", "/", "~")) or not _HUB_ID.match(source):
        raise CoachError(f"no such file or directory: {source}")
    return _load_hub(source)


def _format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CoachError(f"unknown format: {path} (expected .jsonl, .json, .parquet or .csv)")
    return fmt


def _load_dir(path: Path, source: str) -> Loaded:
    # train.jsonl, valid.parquet, test.csv, or hub snapshots' data/train-00000-of-00001.parquet
    found: dict[str, dict[str, list[Path]]] = {}  # format -> file name stem (e.g. "validation") -> files
    for folder in (path, path / "data"):
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            stem = file.name.split(".")[0].split("-")[0].lower()
            fmt = FORMATS.get(file.suffix.lower())
            if file.is_file() and stem in SPLIT_ALIASES and fmt:
                found.setdefault(fmt, {}).setdefault(stem, []).append(file)
    if not found:
        raise CoachError(f"unknown format: no train/valid/test .jsonl, .parquet or .csv files in {path}")
    if len(found) > 1:
        raise CoachError(f"mixed formats in {path} ({', '.join(sorted(found))}): keep one per directory")
    fmt, by_stem = next(iter(found.items()))
    skipped: Counter[str] = Counter()
    conversations: list[Conversation] = []
    for split in SPLITS:
        # one name per split: the hub repo's data/ holds a stale valid-* beside the validation-* its config reads
        stems = [stem for stem in SPLIT_ALIASES if SPLIT_ALIASES[stem] == split and stem in by_stem]
        for stem in stems[1:]:
            log.warning("ignoring %s: %s files are read for the %s split", by_stem[stem], stems[0], split)
        for file in by_stem[stems[0]] if stems else []:
            conversations += _read_file(file, fmt, lambda _id, s=split: s, skipped)
    return Loaded(source, fmt, conversations, skipped)


def _read_file(path: Path, fmt: str, split_of: SplitOf, skipped: Counter[str]) -> list[Conversation]:
    if fmt == "ed-csv":
        return read_ed_csv(path, split_of, skipped)
    records = read_parquet(path) if fmt == "parquet" else read_jsonl(path, skipped)
    return parse_records(records, split_of, skipped)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise CoachError(f"empty file: {path}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CoachError(f"{path} is not UTF-8 text (invalid byte at offset {err.start})") from None


def read_jsonl(path: Path, skipped: Counter[str]) -> list[object]:
    """JSON lines (or one JSON array); lines that are not JSON are skipped as `invalid_json`."""
    text = _read_text(path)
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as err:
            raise CoachError(f"{path} is not valid JSON ({err.msg} at line {err.lineno})") from None
        return records if isinstance(records, list) else [records]
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            skipped["invalid_json"] += 1
    return records


def read_parquet(path: Path) -> list[object]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.stat().st_size == 0:
        raise CoachError(f"empty file: {path}")
    try:
        return pq.read_table(path).to_pylist()
    except (pa.ArrowException, OSError, UnicodeDecodeError) as err:
        raise CoachError(f"cannot read parquet file {path}: {str(err).splitlines()[0]}") from None


def parse_records(records: Iterable[object], split_of: SplitOf, skipped: Counter[str]) -> list[Conversation]:
    """Hub-schema rows `{conv_id, situation, emotion, conversations: [{role, content}]}` to conversations."""
    conversations = []
    for record in records:
        conv = parse_record(record, split_of, skipped)
        if conv is not None:
            conversations.append(conv)
    return conversations


def parse_record(record: object, split_of: SplitOf, skipped: Counter[str]) -> Conversation | None:
    if not isinstance(record, dict) or not isinstance(record.get("conversations"), list):
        skipped["malformed_row"] += 1
        return None
    conv_id = record.get("conv_id")
    if conv_id is None or not str(conv_id).strip():
        skipped["missing_conv_id"] += 1
        return None
    turns = []
    for turn in record["conversations"]:
        if not isinstance(turn, dict) or not isinstance(turn.get("content"), str):
            skipped["malformed_row"] += 1
            return None
        if turn.get("role") not in ROLES:
            skipped["bad_role"] += 1
            return None
        turns.append(Turn(turn["role"], turn["content"]))
    conv_id = str(conv_id).strip()
    emotion, situation = record.get("emotion"), record.get("situation")
    return Conversation(
        conv_id,
        split_of(conv_id),
        emotion if isinstance(emotion, str) else "",
        situation if isinstance(situation, str) else "",
        tuple(turns),
    )


def read_ed_csv(path: Path, split_of: SplitOf, skipped: Counter[str]) -> list[Conversation]:
    """The original EmpatheticDialogues CSV: one row per utterance, commas inside text written as `_comma_`.

    Fields are split on every comma, as the dataset's own loaders do (its text never holds a bare comma),
    so a row with the wrong number of fields is malformed and skipped. Rows are ordered by utterance_idx;
    the speaker of utterance 1 (odd indices) is the user, the listener (even indices) the assistant.
    `context` is the emotion label and `prompt` the situation.
    """
    lines = _read_text(path).splitlines()
    header = [name.strip() for name in lines[0].split(",")]
    missing = [name for name in ED_CSV_COLUMNS if name not in header]
    if missing:
        raise CoachError(
            f"unknown CSV layout in {path}: missing column(s) {', '.join(missing)} "
            f"(expected the EmpatheticDialogues columns {', '.join(ED_CSV_COLUMNS)}, ...)"
        )
    col = {name: header.index(name) for name in ED_CSV_COLUMNS}
    groups: dict[str, tuple[str, str, dict[int, str]]] = {}
    for line in lines[1:]:
        if not line.strip():
            continue
        fields = line.split(",")
        conv_id = fields[col["conv_id"]].strip() if len(fields) == len(header) else ""
        try:
            index = int(fields[col["utterance_idx"]])
        except (ValueError, IndexError):
            index = -1
        if not conv_id or index < 0:
            skipped["malformed_row"] += 1
            continue
        _, _, utterances = groups.setdefault(conv_id, (fields[col["context"]], fields[col["prompt"]], {}))
        if index in utterances:
            skipped["duplicate_utterance"] += 1
            continue
        utterances[index] = fields[col["utterance"]]
    return [
        Conversation(
            conv_id,
            split_of(conv_id),
            emotion,
            situation,
            tuple(Turn(USER if i % 2 else ASSISTANT, text) for i, text in sorted(utterances.items())),
        )
        for conv_id, (emotion, situation, utterances) in groups.items()
    ]


def _load_hub(repo_id: str) -> Loaded:
    try:
        import datasets

        dataset = datasets.load_dataset(repo_id)
    except Exception as err:  # datasets raises many kinds here (connection, not found, offline mode, ...)
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise CoachError(
            f"cannot load hub dataset {repo_id!r} (offline?): {reason[:200]}; no local path of that name either"
        ) from None
    skipped: Counter[str] = Counter()
    conversations: list[Conversation] = []
    for name, rows in dataset.items():
        split = SPLIT_ALIASES.get(name.lower())
        if split is None:
            log.warning("ignoring hub split %r (not train/valid/test)", name)
            skipped["unknown_split"] += len(rows)
            continue
        conversations += parse_records(rows.to_list(), lambda _id, s=split: s, skipped)
    return Loaded(repo_id, "hub", conversations, skipped)
