"""A real browser: headless Debian Chromium, driven by Playwright, uses the app as a person would.

Chromium comes from `scripts/install_chromium.sh` (`make browser`; `make test` runs it), never from Playwright's
own download, which cannot work offline. Screenshots go to a temp dir, and also to `screenshots/` (or the
directory named) when COACH_SCREENSHOTS is set.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: run scripts/install_chromium.sh"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    from coach.config import Settings
    from coach.ui.app import build_demo, launch_options

    demo = build_demo(Settings.from_env(environ={}, offline=True, locale="US"))
    demo.coach_service.start()
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **launch_options())
    assert demo.coach_service.wait(300)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture
def shots(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    wanted = os.environ.get("COACH_SCREENSHOTS")
    if wanted:
        target = ROOT / "screenshots" if wanted in ("1", "true", "yes") else Path(wanted)
        target.mkdir(parents=True, exist_ok=True)
        for shot in tmp_path.glob("*.png"):
            shutil.copy2(shot, target / shot.name)


def test_chat_reply_and_every_tab_in_headless_chromium(app_url: str, shots: Path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(app_url, wait_until="domcontentloaded")
            expect(page.get_by_role("tab", name="Chat")).to_be_visible(timeout=30_000)
            # The disclaimer and resources are in sight before anyone types.
            expect(page.get_by_text("not a therapist", exact=False).first).to_be_visible()
            expect(page.locator("#coach-resources")).to_contain_text("988")

            # By id: the ChatInterface clears the placeholder after the first message.
            box = page.locator("#coach-message textarea")
            expect(box).to_have_attribute("placeholder", "Type a message and press Enter")
            box.fill("My best friend moved away and I feel lonely.")
            box.press("Enter")
            bot = page.locator("#coach-chatbot .message.bot, #coach-chatbot [data-testid='bot']")
            expect(bot.last).to_be_visible(timeout=60_000)
            expect(bot.last).not_to_have_text("", timeout=60_000)
            page.screenshot(path=str(shots / "chat.png"), full_page=True)

            # A crisis message shows the banner and the resources in the reply.
            box.fill("I want to kill myself. I don't see any reason to keep living.")
            box.press("Enter")
            expect(page.locator("#coach-crisis-banner")).to_be_visible(timeout=60_000)
            expect(bot.last).to_contain_text("988", timeout=60_000)
            page.screenshot(path=str(shots / "chat-crisis.png"), full_page=True)

            page.get_by_role("tab", name="Dataset").click()
            expect(page.locator("#coach-examples")).to_contain_text("response", timeout=60_000)
            expect(page.get_by_text("Source:", exact=False).first).to_be_visible(timeout=60_000)
            expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=60_000)  # plotly draws late
            page.screenshot(path=str(shots / "dataset.png"), full_page=True)

            page.get_by_role("tab", name="Evaluation").click()
            page.wait_for_timeout(1000)
            page.screenshot(path=str(shots / "evaluation.png"), full_page=True)

            page.get_by_role("tab", name="About").click()
            expect(page.get_by_text("What Coach is not", exact=False).first).to_be_visible(timeout=10_000)
            expect(page.locator("#coach-about-status")).to_contain_text("offline mode")
            page.screenshot(path=str(shots / "about.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)  # kept when COACH_SCREENSHOTS is set
            raise
        finally:
            browser.close()
    assert sorted(s.name for s in shots.glob("*.png")) == [
        "about.png",
        "chat-crisis.png",
        "chat.png",
        "dataset.png",
        "evaluation.png",
    ]
