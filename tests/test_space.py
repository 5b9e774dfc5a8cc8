"""The Space folder: `space/deploy.py --dry-run` builds it offline, and the app starts from it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "space"))

import deploy  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("space") / "build"
    result = subprocess.run(
        [sys.executable, str(ROOT / "space" / "deploy.py"), "--dry-run", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HF_TOKEN": ""},  # a dry run needs no token and must not upload
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["uploaded"] is None
    return out


def test_folder_holds_the_app_package_requirements_and_readme(built):
    assert (built / "app.py").read_text() == (ROOT / "app.py").read_text()
    assert (built / "coach" / "__init__.py").exists()
    assert (built / "coach" / "ui" / "app.py").exists()
    assert (built / "coach" / "data" / "sample").is_dir()
    assert not list(built.rglob("__pycache__"))
    meta = deploy.front_matter(built / "README.md")
    assert meta["sdk"] == "gradio" and meta["app_file"] == "app.py"
    assert re.fullmatch(r"3\.\d+", meta["python_version"])
    pins = deploy.pinned(built / "requirements.txt")
    assert meta["sdk_version"] == pins["gradio"] == deploy.pinned(ROOT / "requirements.txt")["gradio"]
    assert pins == {k: v for k, v in deploy.pinned(ROOT / "requirements.txt").items() if k in pins}
    assert "torch" in pins and "sentence-transformers" in pins


def test_check_catches_a_mismatched_sdk_version(tmp_path):
    space = tmp_path / "space"
    space.mkdir()
    readme = (ROOT / "space" / "README.md").read_text()
    (space / "README.md").write_text(re.sub(r"sdk_version: \S+", "sdk_version: 1.0.0", readme))
    (space / "requirements.txt").write_text((ROOT / "space" / "requirements.txt").read_text())
    with pytest.raises(deploy.DeployError, match="sdk_version"):
        deploy.check(space, ROOT)


def test_build_refuses_to_wipe_a_folder_that_is_not_a_build(tmp_path):
    keep = tmp_path / "precious.txt"
    keep.write_text("keep me")
    with pytest.raises(deploy.DeployError, match="not an earlier Space build"):
        deploy.build(tmp_path)
    assert keep.read_text() == "keep me"


def test_upload_without_a_token_fails_plainly(tmp_path, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    code = deploy.main(["--out", str(tmp_path / "b"), "--repo-id", "someone/coach"])
    assert code == 2


def test_app_starts_from_the_built_folder(built):
    port = free_port()
    env = {
        **os.environ,
        "GRADIO_SERVER_NAME": "127.0.0.1",
        "GRADIO_SERVER_PORT": str(port),
        "COACH_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        # The built folder's own package must be the one imported, not the editable install.
        "PYTHONPATH": str(built),
    }
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=built, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            start, page = time.monotonic(), ""
            while time.monotonic() - start < 60:
                if proc.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"the app exited with code {proc.returncode}: {log.read()[-3000:]}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                        page = response.read().decode("utf-8", "replace")
                        break
                except OSError:
                    time.sleep(0.3)
            assert "<html" in page.lower(), "the app did not come up within 60 s"
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=10) as response:
                config = json.load(response)
            labels = {c.get("props", {}).get("label") for c in config["components"]}
            assert {"Chat", "Dataset", "About"} <= labels
            code = "import coach; print(coach.__file__)"  # which package the Space's python imports
            where = subprocess.run([sys.executable, "-c", code], cwd=built, env=env, capture_output=True, text=True)
            assert where.stdout.strip().startswith(str(built))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
