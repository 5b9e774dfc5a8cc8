"""`python -m coach prepare`: clean a dialogue source into the SQLite example store and print a JSON summary."""

from __future__ import annotations

import argparse
import json

DEFAULT_DB = "data/coach.db"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        default="Estwld/empathetic_dialogues_llm",
        help="hub dataset id (default: %(default)s), a directory of train/valid/test .jsonl|.parquet files "
        "or EmpatheticDialogues CSVs, one such file (split 80/10/10 by a hash of conv_id), or `sample`",
    )
    parser.add_argument(
        "--db", default=DEFAULT_DB, help="SQLite file to write, replaced atomically (default: %(default)s)"
    )
    parser.add_argument(
        "--tokenizer",
        default=None,
        help="tokenizer dir or cached hub id for the token statistics "
        "(default: google/flan-t5-small if in the local cache, else all-MiniLM-L6-v2's, which ships offline)",
    )


def run(args: argparse.Namespace) -> int:
    from coach.data import prepare

    summary = prepare(args.source, args.db, tokenizer=args.tokenizer)
    print(json.dumps(summary, indent=2))
    return 0
