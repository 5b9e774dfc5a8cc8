"""Assemble the Hugging Face Space folder (app.py, the coach package, requirements, README) and upload it.

    python space/deploy.py --dry-run                       # build space/build/ only, no network
    python space/deploy.py --repo-id you/coach             # build and upload (token from HF_TOKEN)
    python space/deploy.py --repo-id you/coach --model-dir models/coach-flan-t5-small --runs runs

A model dir shipped with `--model-dir` lands at models/coach-flan-t5-small in the Space, where the app looks
first; without one the Space loads google/flan-t5-small from the hub (or set COACH_MODEL as a Space variable).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPACE = ROOT / "space"
DEFAULT_OUT = SPACE / "build"
SPACE_MODEL_DIR = Path("models/coach-flan-t5-small")  # coach.config.LOCAL_MODEL_DIR: the app's first choice
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".DS_Store")


class DeployError(Exception):
    pass


def pinned(requirements: Path) -> dict[str, str]:
    """name -> version for every `name==version` line."""
    pins = {}
    for line in requirements.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def front_matter(readme: Path) -> dict[str, str]:
    """The flat `key: value` pairs of the README's YAML front matter (lists are skipped)."""
    text = readme.read_text()
    if not text.startswith("---\n"):
        raise DeployError(f"{readme} has no front matter")
    block = text[4 : text.index("\n---", 4)]
    values = {}
    for line in block.splitlines():
        match = re.match(r"^([A-Za-z_]+):\s*(\S.*)$", line)
        if match:
            values[match.group(1)] = match.group(2).strip().strip("\"'")
    return values


def check(space_dir: Path = SPACE, root: Path = ROOT) -> None:
    """The Space's sdk_version must be the pinned gradio, and its pins must agree with the root requirements."""
    meta = front_matter(space_dir / "README.md")
    for key in ("sdk", "sdk_version", "app_file", "python_version"):
        if key not in meta:
            raise DeployError(f"space/README.md front matter lacks {key}")
    space_pins = pinned(space_dir / "requirements.txt")
    if meta["sdk_version"] != space_pins.get("gradio"):
        raise DeployError(
            f"sdk_version {meta['sdk_version']} in space/README.md != gradio=={space_pins.get('gradio')} "
            "in space/requirements.txt"
        )
    root_pins = pinned(root / "requirements.txt")
    drift = {name: (v, root_pins.get(name)) for name, v in space_pins.items() if root_pins.get(name) != v}
    if drift:
        raise DeployError(f"space/requirements.txt disagrees with requirements.txt: {drift}")


def build(out: Path, model_dir: Path | None = None, runs: Path | None = None) -> list[str]:
    """Write the Space folder to `out` (replacing it); returns the top-level entries."""
    check()
    if out.exists() and any(out.iterdir()):
        # Only ever replace an earlier build: never wipe a folder that holds something else (or the repo).
        if out == ROOT or out in ROOT.parents or not (out / "app.py").exists() or not (out / "coach").is_dir():
            raise DeployError(f"{out} is not empty and is not an earlier Space build; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "app.py", out / "app.py")
    shutil.copytree(ROOT / "coach", out / "coach", ignore=IGNORE)
    shutil.copy2(SPACE / "requirements.txt", out / "requirements.txt")
    shutil.copy2(SPACE / "README.md", out / "README.md")
    if model_dir is not None:
        if not (model_dir / "config.json").exists():
            raise DeployError(f"{model_dir} is not a model dir (no config.json)")
        shutil.copytree(model_dir, out / SPACE_MODEL_DIR, ignore=IGNORE)
    if runs is not None:
        if not runs.is_dir():
            raise DeployError(f"{runs} is not a directory")
        shutil.copytree(runs, out / "runs", ignore=IGNORE)
    return sorted(p.name for p in out.iterdir())


def upload(out: Path, repo_id: str, private: bool) -> str:
    from huggingface_hub import HfApi

    token = os.environ.get("HF_TOKEN")
    if not token:
        raise DeployError("set HF_TOKEN (a write token) to upload, or use --dry-run")
    api = HfApi(token=token)
    api.create_repo(repo_id, repo_type="space", space_sdk="gradio", private=private, exist_ok=True)
    api.upload_folder(folder_path=str(out), repo_id=repo_id, repo_type="space", commit_message="Deploy Coach")
    return f"https://huggingface.co/spaces/{repo_id}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build folder (default space/build)")
    parser.add_argument("--dry-run", action="store_true", help="build the folder only; no upload")
    parser.add_argument("--repo-id", help="the Space, e.g. you/coach (required unless --dry-run)")
    parser.add_argument("--private", action="store_true", help="create the Space as private")
    parser.add_argument("--model-dir", type=Path, help="ship this trained model in the Space")
    parser.add_argument("--runs", type=Path, help="ship these evaluation runs for the Evaluation tab")
    args = parser.parse_args(argv)
    try:
        if not args.dry_run and not args.repo_id:
            raise DeployError("--repo-id is required unless --dry-run")
        entries = build(args.out.resolve(), args.model_dir, args.runs)
        result = {"out": str(args.out.resolve()), "files": entries, "uploaded": None}
        if not args.dry_run:
            result["uploaded"] = upload(args.out.resolve(), args.repo_id, args.private)
    except DeployError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
