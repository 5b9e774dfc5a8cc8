"""Coach's Gradio app. Thin: parse flags and environment, build the Blocks app, launch.

    python app.py                 # http://127.0.0.1:7860 (GRADIO_SERVER_NAME / GRADIO_SERVER_PORT honoured)
    python app.py --offline       # no generative model: the retrieval responder answers
    python app.py --share         # a public share link; COACH_AUTH_USER / COACH_AUTH_PASSWORD add a login

Every setting is also an environment variable `COACH_<NAME>` (see coach/config.py); flags win over both.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from coach.backends import BACKENDS
from coach.config import Settings
from coach.errors import CoachError


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Coach: a supportive chat app behind a safety layer.")
    parser.add_argument("--model", help="model dir or hub id (env COACH_MODEL)")
    parser.add_argument("--adapter", help="PEFT (LoRA) adapter dir (env COACH_ADAPTER)")
    parser.add_argument("--backend", choices=BACKENDS, help="generation backend (env COACH_BACKEND)")
    parser.add_argument("--db", help="SQLite store from `coach prepare` (env COACH_DB; default: bundled sample)")
    parser.add_argument("--runs", help="evaluation runs directory (env COACH_RUNS)")
    parser.add_argument("--locale", help="country code for crisis resources, e.g. US, GB (env COACH_LOCALE)")
    parser.add_argument(
        "--offline", action="store_true", default=None, help="no generative model; answer with retrieval"
    )
    parser.add_argument("--share", action="store_true", help="create a public share link")
    parser.add_argument("--host", help="address to listen on, used when GRADIO_SERVER_NAME is not set")
    parser.add_argument("--port", type=int, help="port, used when GRADIO_SERVER_PORT is not set")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env(
            model=args.model,
            adapter=args.adapter,
            backend=args.backend,
            db=args.db,
            runs=args.runs,
            locale=args.locale,
            offline=args.offline,
        )
    except CoachError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

    from coach.ui.app import build_demo, launch_options

    demo = build_demo(settings)
    demo.coach_service.start()  # models load in the background while the server comes up
    user, password = os.environ.get("COACH_AUTH_USER"), os.environ.get("COACH_AUTH_PASSWORD")
    demo.launch(
        share=args.share or None,
        server_name=os.environ.get("GRADIO_SERVER_NAME") or args.host,
        server_port=int(os.environ.get("GRADIO_SERVER_PORT") or 0) or args.port,
        auth=(user, password) if user and password else None,
        **launch_options(),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
