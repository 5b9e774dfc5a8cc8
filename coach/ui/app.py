"""The Blocks app: `build_demo(settings)` lays out the tabs; `ModelService` loads the generator in the background.

The page must come up at once, even with no network, so nothing heavy loads while the app is built: the
retrieval responder (the offline fallback) and then the configured model load in a background thread, and the
chat answers with whatever is ready. The status line says plainly which model answers, or why it could not load.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from coach.backends.base import Generation, GenerationConfig, Generator, Turns
from coach.config import Settings

log = logging.getLogger(__name__)

# Every event that runs a model shares this id, so `settings.concurrency` bounds them all together.
MODEL_CONCURRENCY_ID = "coach-model"
# How long a chat message waits for the fallback responder while the app is still starting.
STARTUP_WAIT_S = 120.0

CSS = """
.coach-banner { border: 2px solid #b91c1c; border-radius: 8px; padding: 0.5rem 1rem; background: #fef2f2; }
.coach-banner, .coach-banner * { color: #7f1d1d !important; }
.coach-status { font-size: 0.9rem; opacity: 0.85; }
"""


def launch_options() -> dict[str, Any]:
    """Keyword arguments for `demo.launch()` (gradio 6 takes theme and css there, not in Blocks)."""
    # No run history: it would keep people's messages in their browser, and Coach stores nothing.
    return {"theme": gr.themes.Soft(), "css": CSS, "footer_links": ["api", "gradio"], "run_history": False}


def _reason(err: BaseException) -> str:
    """One plain line for the UI: the first line of the message, never a traceback."""
    from coach.errors import CoachError

    lines = str(err).strip().splitlines()
    text = lines[0] if lines else ""
    text = text if len(text) <= 300 else text[:297] + "..."
    if isinstance(err, CoachError) and text:
        return text  # already written for people
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


class UnavailableResponder:
    """Answers with one fixed line when no responder is ready, so the safety layer (crisis replies) still runs."""

    name = "unavailable"

    def __init__(self, text: str) -> None:
        self.description = "no responder available"
        self.text = text

    def generate(self, conversations: Sequence[Turns], config: GenerationConfig) -> list[Generation]:
        return [Generation(text=self.text, num_tokens=0, latency_s=0.0) for _ in conversations]

    def stream(self, turns: Turns, config: GenerationConfig) -> Iterator[str]:
        yield self.text


@dataclass(frozen=True)
class Status:
    markdown: str  # one or two lines for people
    final: bool  # nothing is loading any more


class ModelService:
    """The generator behind the chat, loaded once per process in a background thread.

    The retrieval responder loads first: it answers while the model loads, when the model fails, and in
    offline mode. `generator()` returns the best one that is ready. The model sits behind a micro-batcher
    (`coach.backends.batching.serving_batcher`), so people chatting at the same moment share one decode.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._fallback_ready = threading.Event()
        self._done = threading.Event()
        self.fallback: Generator | None = None
        self.fallback_error: str | None = None
        self.model: Generator | None = None
        self.model_error: str | None = None
        self.model_wanted = not settings.offline and settings.backend != "retrieval"
        self.safety_classifier: bool | None = None  # None until loaded; False: the safety layer runs on rules only

    def start(self) -> ModelService:
        """Start loading in the background (once); returns at once."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._load, name="coach-model-loader", daemon=True)
                self._thread.start()
        return self

    @property
    def started(self) -> bool:
        return self._thread is not None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until everything has loaded or failed; True when done."""
        self.start()
        return self._done.wait(timeout)

    def _load(self) -> None:
        from coach import safety
        from coach.backends import load_generator
        from coach.retrieval import APP_MIN_SIMILARITY

        s = self.settings
        try:  # the safety layer first: every message goes through it, and it shares the embedder with retrieval
            self.safety_classifier = safety.warm_up()
        except Exception as err:
            log.warning("safety classifier unavailable, rules only: %s", err)
            self.safety_classifier = False
        try:
            # off-topic neighbours get a listening reply instead (coach/retrieval.py)
            self.fallback = load_generator(s.model, backend="retrieval", db=s.db, min_similarity=APP_MIN_SIMILARITY)
            log.info("fallback responder ready: %s", self.fallback.description)
        except Exception as err:  # any failure must leave the app running and say why
            log.exception("could not load the retrieval responder")
            self.fallback_error = _reason(err)
        finally:
            self._fallback_ready.set()
        if self.model_wanted:
            try:
                from coach.backends.batching import serving_batcher

                model = load_generator(s.model, adapter=s.adapter, backend=s.backend)
                # Up to `concurrency` model calls run at once (the Gradio queue's limit): one batch's worth.
                self.model = serving_batcher(model, users=max(1, s.concurrency))
                log.info("model ready: %s", self.model.description)
            except Exception as err:  # offline hub, missing dir, bad adapter, missing backend...
                log.warning("could not load model %s: %s", s.model, err)
                self.model_error = _reason(err)
        self._done.set()

    def close(self) -> None:
        """Stop the model's batcher threads (they are daemons, so a server that just exits needn't call this)."""
        model, self.model = self.model, None
        if model is not None and hasattr(model, "close"):
            model.close()

    def generator(self, wait_s: float = STARTUP_WAIT_S) -> Generator:
        """The model when ready, else the retrieval responder (waiting for it while the app starts)."""
        self.start()
        if self.model is not None:
            return self.model
        self._fallback_ready.wait(wait_s)
        if self.fallback is not None:
            return self.fallback
        if self.fallback_error is not None:
            return UnavailableResponder(
                f"I'm sorry, I can't reply right now: the app could not load its reply engine ({self.fallback_error})."
            )
        return UnavailableResponder("I'm still starting up. Please send your message again in a moment.")

    def model_label(self) -> str:
        s = self.settings
        label = f"`{s.model}`"
        if s.adapter:
            label += f" with adapter `{s.adapter}`"
        return label + f" (backend {s.backend})"

    def summary(self) -> dict[str, Any]:
        """The status for machines (the undocumented `/status` endpoint: health checks, the load benchmark)."""
        status = self.status()
        answering = self.model or self.fallback
        return {
            "answering": answering.name if answering is not None else None,
            "description": answering.description if answering is not None else None,
            "model_ready": self.model is not None,
            "model_error": self.model_error,
            "loading": not status.final,
            "safety_classifier": self.safety_classifier,
            "status": status.markdown,
        }

    def status(self) -> Status:
        """What answers right now, in words."""
        fallback = (
            f"the retrieval responder ({self.fallback.description})"
            if self.fallback is not None
            else "the retrieval responder, which is still loading"
            if self.fallback_error is None
            else f"no responder: the retrieval responder failed too ({self.fallback_error})"
        )
        if self.model is not None:
            text = f"Replies come from the model {self.model_label()}: {self.model.description}."
        elif not self.model_wanted:
            why = "offline mode" if self.settings.offline else "backend `retrieval`"
            text = f"Replies come from {fallback}; the generative model is switched off ({why})."
        elif self.model_error is not None:
            text = (
                f"The generative model {self.model_label()} could not be loaded: {self.model_error}. "
                f"Replies come from {fallback}."
            )
        else:
            text = (
                f"Loading the model {self.model_label()} in the background; "
                f"until it is ready, replies come from {fallback}."
            )
        if self.safety_classifier is False:
            text += " The safety layer runs on its rules only (its classifier is not available)."
        return Status(markdown=text, final=self._done.is_set())


def _evaluation_tab(settings: Settings) -> None:
    try:
        from coach.ui.evaluation import build_evaluation_tab
    except ImportError as err:
        log.warning("evaluation tab unavailable: %s", err)
        gr.Markdown("The evaluation view is not available in this build.")
        return
    build_evaluation_tab(settings)


def _share_concurrency(demo: gr.Blocks, names: set[str], api_names: set[str], limit: int) -> int:
    """Put every model-running event under one concurrency id (ChatInterface makes its events itself)."""
    count = 0
    for fn in demo.fns.values():
        if fn.name in names or fn.api_name in api_names:
            fn.concurrency_id = MODEL_CONCURRENCY_ID
            fn.concurrency_limit = limit
            count += 1
    return count


def _start(service: ModelService):
    def start() -> None:
        service.start()

    return start


def build_demo(settings: Settings | None = None, service: ModelService | None = None) -> gr.Blocks:
    """The whole app, built but not launched. Models load when `service.start()` runs or the first chat arrives."""
    from coach.ui.about import build_about_tab
    from coach.ui.chat import build_chat_tab
    from coach.ui.dataset import build_dataset_tab

    settings = settings or Settings.from_env()
    service = service or ModelService(settings)
    with gr.Blocks(title="Coach", analytics_enabled=False) as demo:
        gr.Markdown("# Coach\nA supportive chat companion for everyday stress. Not a therapist, not for emergencies.")
        status_md = gr.Markdown(service.status().markdown, elem_classes=["coach-status"])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                build_chat_tab(settings, service)
            with gr.Tab("Dataset", id="dataset") as dataset_tab:
                build_dataset_tab(settings, dataset_tab)
            with gr.Tab("Evaluation", id="evaluation"):
                _evaluation_tab(settings)
            with gr.Tab("About", id="about"):
                about_status = build_about_tab(settings, service)

        # While models load, refresh the status lines; the timer switches itself off once loading is over.
        timer = gr.Timer(2.0)

        def refresh() -> tuple[str, str, gr.Timer]:
            status = service.status()
            return status.markdown, status.markdown, gr.Timer(active=not status.final)

        timer.tick(refresh, None, [status_md, about_status, timer], queue=False, api_visibility="private")
        demo.load(_start(service), None, None, queue=False, api_visibility="private")

        def status() -> dict:
            """Which responder answers now and whether models are still loading."""
            return service.summary()

        gr.api(status, api_name="status", queue=False, api_visibility="undocumented")

    _share_concurrency(demo, {"_submit_fn"}, {"chat"}, settings.concurrency)
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=settings.max_queue)
    demo.coach_service = service  # the launcher and the tests reach the service through the app
    return demo
