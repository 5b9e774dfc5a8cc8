"""The command line: `python -m coach <command>`.

Each command lives in its own module exposing `add_arguments(parser)` and `run(args) -> int`.
Those modules import only the standard library at top level, so `--help` stays instant;
heavy libraries load inside `run`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from coach.errors import CoachError

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "prepare": ("coach.data.cli", "clean a dialogue source into the SQLite example store"),
    "generate": ("coach.generate", "generate replies for conversations in a jsonl file"),
    "evaluate": ("coach.evaluate", "evaluate a model on held-out dialogues (ROUGE-L, semantic similarity, ...)"),
    "compare": ("coach.compare", "compare evaluation runs side by side with paired bootstrap intervals"),
    "safety-check": ("coach.safety.cli", "run the crisis detector over conversations in a jsonl file"),
    "convert": ("coach.backends.convert", "convert a model (and adapter) to CTranslate2 for fast CPU serving"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coach", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return int(args._run(args) or 0)
    except CoachError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
