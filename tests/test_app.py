"""The Gradio app: built without launching, then served on a free port and driven through gradio_client.

The live server runs in offline mode (retrieval responder over the bundled sample), so it is fast; one more
server serves a tiny random T5 through the torch backend.
"""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator

import pytest

gr = pytest.importorskip("gradio")
from gradio_client import Client  # noqa: E402

from coach.config import Settings  # noqa: E402
from coach.ui.app import ModelService, build_demo, launch_options  # noqa: E402
from coach.ui.chat import ChatState, chat_turn, history_to_turns, message_text  # noqa: E402

CRISIS_MESSAGE = "I want to kill myself. I don't see any reason to keep living."
# close to a bundled context, so the offline reply is its neighbour's (coach/retrieval.py: APP_MIN_SIMILARITY)
EVERYDAY_MESSAGE = "My final exam is tomorrow and I'm so nervous about it"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(settings: Settings) -> tuple[gr.Blocks, str]:
    demo = build_demo(settings)
    demo.coach_service.start()
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **launch_options())
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def offline_server() -> Iterator[tuple[gr.Blocks, str]]:
    demo, url = serve(Settings.from_env(environ={}, offline=True, locale="US"))
    assert demo.coach_service.wait(300), "the retrieval responder did not load"
    yield demo, url
    demo.close()


def new_client(url: str) -> Client:
    return Client(url, verbose=False)


# --- pure helpers ---------------------------------------------------------------------------------------------


def test_history_to_turns_reads_strings_and_content_blocks():
    history = [
        {"role": "user", "content": "hello"},
        {"role": "assistant", "content": [{"type": "text", "text": "hi there"}]},
        {"role": "user", "content": [{"type": "text", "text": "one"}, {"type": "file", "file": {"path": "x"}}]},
        {"role": "user", "content": "two"},
    ]
    assert history_to_turns(history) == ["hello", "hi there", "one\ntwo"]
    assert message_text({"type": "text", "text": "x"}) == "x"
    assert history_to_turns([{"role": "assistant", "content": "greeting first"}]) == []


def test_chat_state_rewinds_turns_but_never_the_crisis_state():
    from coach.conversation import Session

    state = ChatState(session=Session(turns=["a", "b"]), turns_at={0: []})
    state.remember(2)
    state.session.turns += ["c", "d"]
    state.session.safety_state = "kept"
    state.remember(4)
    state.rewind(2)  # undo of the last exchange
    assert state.session.turns == ["a", "b"]
    assert 4 not in state.turns_at
    state.rewind(0)  # clear
    assert state.session.turns == []
    assert state.session.safety_state == "kept"


def test_retry_and_undo_rewind_the_session_turns(offline_server):
    demo, _ = offline_server
    settings, service = demo.coach_service.settings, demo.coach_service
    history: list[dict] = []
    state = None
    for message in ("My exam went really well today.", "I studied for weeks for it."):
        *_, (reply, state, flag) = chat_turn(message, history, state, "US", settings=settings, service=service)
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": reply}]
    assert len(state.session.turns) == 4 and flag == ""
    # Retry of the last message: the ChatInterface sends the history without the last exchange.
    *_, (reply, state, _) = chat_turn("I studied for weeks for it.", history[:2], state, "US", **_ctx(demo))
    assert state.session.turns == [*history_to_turns(history[:2]), "I studied for weeks for it.", reply]
    # Clear: a new conversation, but a crisis stays a crisis.
    *_, (_, state, flag) = chat_turn(CRISIS_MESSAGE, [], state, "US", **_ctx(demo))
    assert flag and state.session.turns[0] == CRISIS_MESSAGE and len(state.session.turns) == 2
    *_, (reply, state, flag) = chat_turn("thanks", [], state, "US", **_ctx(demo))
    assert flag and "988" in reply


def _ctx(demo: gr.Blocks) -> dict:
    return {"settings": demo.coach_service.settings, "service": demo.coach_service}


# --- built, not launched ----------------------------------------------------------------------------------------


def test_build_demo_builds_without_launching_or_loading():
    demo = build_demo(Settings.from_env(environ={}, offline=True))
    assert isinstance(demo, gr.Blocks)
    assert not demo.coach_service.started  # nothing heavy loads until asked
    labels = {block.label for block in demo.blocks.values() if isinstance(block, gr.Tab)}
    assert {"Chat", "Dataset", "Evaluation", "About"} <= labels
    api_names = {fn.api_name for fn in demo.fns.values()}
    assert "chat" in api_names
    # Every event that runs the model shares one concurrency group.
    model_fns = [fn for fn in demo.fns.values() if fn.api_name == "chat" or fn.name == "_submit_fn"]
    assert len(model_fns) >= 2
    assert {fn.concurrency_id for fn in model_fns} == {"coach-model"}


def test_model_that_cannot_load_is_reported_and_retrieval_answers(tmp_path):
    missing = tmp_path / "no-such-model"
    service = ModelService(Settings.from_env(environ={}, model=str(missing), backend="torch"))
    assert service.wait(300)
    status = service.status()
    assert status.final
    assert "could not be loaded" in status.markdown and str(missing) in status.markdown
    assert "Traceback" not in status.markdown
    assert service.model is None and service.model_error
    assert service.generator().name == "retrieval"


def test_safety_layer_answers_even_when_no_responder_loads(tmp_path):
    settings = Settings.from_env(environ={}, offline=True, db=str(tmp_path / "missing.db"))
    service = ModelService(settings)
    assert service.wait(300)
    assert service.fallback is None and service.fallback_error
    assert "failed too" in service.status().markdown
    *_, (reply, state, flag) = chat_turn(CRISIS_MESSAGE, [], None, "US", settings=settings, service=service)
    assert "988" in reply and flag
    *_, (reply, _, _) = chat_turn(EVERYDAY_MESSAGE, [], None, "US", settings=settings, service=service)
    assert "can't reply right now" in reply


# --- live server ------------------------------------------------------------------------------------------------


def test_normal_reply_comes_from_the_retrieval_responder(offline_server):
    demo, url = offline_server
    reply = new_client(url).predict(EVERYDAY_MESSAGE, api_name="/chat")
    assert isinstance(reply, str) and reply.strip()
    assert reply in demo.coach_service.fallback.responses  # the nearest bundled reply, verbatim
    assert "988" not in reply


def test_crisis_reply_carries_resources_and_the_session_stays_in_crisis_mode(offline_server):
    demo, url = offline_server
    client = new_client(url)
    first = client.predict(CRISIS_MESSAGE, api_name="/chat")
    assert "988" in first
    assert first not in demo.coach_service.fallback.responses
    second = client.predict("ok. what should I do now?", api_name="/chat")
    assert "988" in second
    # Another person's session is not affected.
    other = new_client(url).predict(EVERYDAY_MESSAGE, api_name="/chat")
    assert "988" not in other


def test_locale_input_changes_the_resources(offline_server):
    _, url = offline_server
    reply = new_client(url).predict(CRISIS_MESSAGE, "GB", api_name="/chat")
    assert "988" not in reply
    assert "116 123" in reply or "111" in reply or "999" in reply


@pytest.mark.parametrize(
    ("message", "expect"),
    [
        ("", "What's on your mind"),
        ("   \n\t ", "What's on your mind"),
        ("x" * 5000, "2000 characters"),
    ],
)
def test_bad_input_gets_a_clear_line_and_no_generation(offline_server, message, expect):
    demo, url = offline_server
    reply = new_client(url).predict(message, api_name="/chat")
    assert expect in reply
    assert reply not in demo.coach_service.fallback.responses


def test_control_characters_are_stripped(offline_server):
    demo, url = offline_server
    client = new_client(url)
    reply = client.predict("My final exam is \x00\x07tomorrow\x1b and I'm\u202e nervous", api_name="/chat")
    assert reply in demo.coach_service.fallback.responses
    assert not any(ord(c) < 32 and c not in "\n\t" for c in reply)


def test_tabs_and_status_endpoint_are_served(offline_server):
    _, url = offline_server
    with urllib.request.urlopen(url + "config", timeout=10) as response:
        config = json.load(response)
    labels = {c.get("props", {}).get("label") for c in config["components"]}
    assert {"Chat", "Dataset", "Evaluation", "About"} <= labels
    status = new_client(url).predict(api_name="/status")
    assert status["answering"] == "retrieval" and not status["loading"]
    assert "offline mode" in status["status"]


def test_page_comes_up(offline_server):
    _, url = offline_server
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert "<html" in response.read(2000).decode("utf-8", "replace").lower()


# --- dataset tab ------------------------------------------------------------------------------------------------


def test_dataset_figures_and_search_read_the_store():
    from coach.data import default_db
    from coach.data.store import list_emotions, read_token_lengths
    from coach.ui.dataset import examples_table, figures

    db = default_db()
    context, response, emotions = figures(db, "train")
    n_train = len(read_token_lengths(db, "train"))
    assert len(context.data[0].x) == n_train and len(response.data[0].x) == n_train
    assert sum(emotions.data[0].y) == n_train
    emotion = list_emotions(db)[0]
    _, _, only = figures(db, "all", emotion)
    assert list(only.data[0].x) == [emotion]
    word = examples_table(db, "train", limit=1)["response"].iloc[0].split()[0]
    found = examples_table(db, "all", "all", word, limit=10)
    assert len(found) >= 1
    assert all(word.lower() in (row.context + row.response).lower() for row in found.itertuples())


# --- a real model through the torch backend ---------------------------------------------------------------------


def test_tiny_model_served_through_the_torch_backend(tiny_model_dir):
    demo, url = serve(Settings.from_env(environ={}, model=str(tiny_model_dir), backend="torch", max_new_tokens=8))
    try:
        assert demo.coach_service.wait(300)
        status = new_client(url).predict(api_name="/status")
        assert status["model_ready"], status
        assert status["answering"] == "torch"
        reply = new_client(url).predict(EVERYDAY_MESSAGE, api_name="/chat")
        assert isinstance(reply, str) and reply.strip()
        crisis = new_client(url).predict(CRISIS_MESSAGE, api_name="/chat")
        assert "988" in crisis  # the safety layer stands in front of the model too
    finally:
        demo.close()
