"""One chat turn: input hygiene, the safety layer around the model, streaming, and failures."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import pytest

from coach import safety
from coach.backends import load_generator
from coach.backends.base import Generation, GenerationConfig
from coach.conversation import (
    ERROR_REPLY,
    Reply,
    Session,
    clean_message,
    respond,
    stream_respond,
)

CONFIG = GenerationConfig(max_new_tokens=16)
CRISIS_MESSAGE = "I don't want to be alive anymore"


class RecordingGenerator:
    """Answers with fixed text and records what it was asked: for assertions about *whether* the model is called,
    where what a real model says doesn't matter."""

    name = "recording"
    description = "records calls"

    def __init__(self, text: str = "That sounds really hard. Do you want to talk about what happened?") -> None:
        self.text = text
        self.calls: list[list[str]] = []

    def generate(self, conversations: Sequence[Sequence[str]], config) -> list[Generation]:
        self.calls += [list(turns) for turns in conversations]
        return [Generation(self.text, len(self.text.split()), 0.0) for _ in conversations]

    def stream(self, turns: Sequence[str], config) -> Iterator[str]:
        self.calls.append(list(turns))
        for word in self.text.split(" "):
            yield word + " "


class FailingGenerator(RecordingGenerator):
    def generate(self, conversations, config):
        raise RuntimeError(f"backend exploded on {conversations!r}")

    def stream(self, turns, config):
        yield "Partial "
        raise RuntimeError(f"backend exploded on {turns!r}")


@pytest.fixture(scope="module")
def tiny_generator(tiny_model_dir):
    return load_generator(str(tiny_model_dir))


def test_model_reply_is_added_to_the_session():
    session, gen = Session(), RecordingGenerator()
    reply = respond(session, "My exam went badly today.", gen, CONFIG)
    assert reply == Reply(gen.text, crisis=False, category=None, blocked=False, source="model")
    assert gen.calls == [["My exam went badly today."]]
    assert session.turns == ["My exam went badly today.", gen.text]
    respond(session, "I studied so hard.", gen, CONFIG)
    assert gen.calls[-1] == ["My exam went badly today.", gen.text, "I studied so hard."]
    assert session.user_turns == ["My exam went badly today.", "I studied so hard."]


def test_crisis_message_gets_the_crisis_response_and_no_model_call():
    session, gen = Session(locale="US"), RecordingGenerator()
    reply = respond(session, CRISIS_MESSAGE, gen, CONFIG)
    assert reply.crisis and reply.source == "crisis" and reply.category == "suicide"
    assert reply.text == safety.crisis_response("suicide", "US")
    assert gen.calls == []
    assert session.in_crisis
    # The conversation stays in crisis mode: the next ordinary message doesn't reach the model either.
    follow = respond(session, "ok", gen, CONFIG)
    assert follow.crisis and follow.source == "crisis"
    assert follow.text == safety.crisis_response("suicide", "US", followup=True)
    assert gen.calls == []
    streamed = list(stream_respond(session, "what should I do", gen, CONFIG))
    assert len(streamed) == 1 and streamed[0].crisis and gen.calls == []


def test_crisis_response_follows_the_locale():
    reply = respond(Session(locale="GB"), CRISIS_MESSAGE, RecordingGenerator(), CONFIG)
    assert reply.text == safety.crisis_response("suicide", "GB")


@pytest.mark.parametrize("message", ["", "   ", "\n\t", "\x00\x07\x1b", None])
def test_empty_message_is_refused_gently(message):
    session, gen = Session(), RecordingGenerator()
    reply = respond(session, message, gen, CONFIG)
    assert reply.source == "refused" and reply.text and not reply.crisis
    assert gen.calls == [] and session.turns == []


def test_over_long_message_is_refused_without_generation():
    session, gen = Session(), RecordingGenerator()
    reply = respond(session, "a" * 2001, gen, CONFIG)
    assert reply.source == "refused" and "2000" in reply.text
    assert respond(session, "a" * 2000, gen, CONFIG).source == "model"
    assert respond(session, "b" * 51, gen, CONFIG, max_chars=50).source == "refused"
    assert len(gen.calls) == 1


def test_control_characters_are_stripped_before_anything_sees_them():
    session, gen = Session(), RecordingGenerator()
    respond(session, "hel\x00lo\x07 the\u202ere\r\nfriend\x1b ", gen, CONFIG)
    assert gen.calls == [["hello there\nfriend"]]
    assert session.turns[0] == "hello there\nfriend"
    assert clean_message("tabs\tand\nnewlines stay") == "tabs\tand\nnewlines stay"


def test_a_reply_that_fails_the_check_is_replaced():
    session = Session()
    gen = RecordingGenerator("As your therapist, I think you should rest more.")
    reply = respond(session, "I'm tired all the time.", gen, CONFIG)
    assert reply.blocked and reply.source == "fallback"
    assert reply.text == safety.check_reply(gen.text).text != gen.text
    assert session.turns[-1] == reply.text  # the model's words never enter the history the model sees next


def test_stream_that_fails_the_check_ends_with_the_fallback():
    gen = RecordingGenerator("As your therapist, I think you should rest more.")
    replies = list(stream_respond(Session(), "I'm tired all the time.", gen, CONFIG))
    assert len(replies) > 2
    assert replies[-1].blocked and replies[-1].source == "fallback"
    assert replies[-1].text == safety.check_reply(gen.text).text


def test_generation_failure_is_a_friendly_line_and_never_logs_the_message(caplog):
    session = Session()
    secret = "my private worry about my landlord"
    with caplog.at_level(logging.DEBUG):
        reply = respond(session, secret, FailingGenerator(), CONFIG)
        streamed = list(stream_respond(session, secret, FailingGenerator(), CONFIG))
    assert reply == Reply(ERROR_REPLY, False, None, False, "error")
    assert streamed[-1] == reply
    assert session.turns == []  # nothing half-answered is kept; the person can try again
    assert "RuntimeError" in caplog.text and "landlord" not in caplog.text


def test_stream_with_a_real_model_grows_and_ends_like_respond(tiny_generator):
    message = "I finally told my friend how I felt."
    partials = list(stream_respond(Session(), message, tiny_generator, CONFIG))
    final = respond(Session(), message, tiny_generator, CONFIG)
    assert partials[-1] == final
    model_texts = [r.text for r in partials[:-1]]
    assert all(b.startswith(a) for a, b in zip(model_texts, model_texts[1:], strict=False))
    if final.source == "model":
        assert final.text == tiny_generator.generate([[message]], CONFIG)[0].text
    else:  # the random tiny model's bytes can fail the check; then the last reply carries the fallback
        assert final.text == safety.check_reply(tiny_generator.generate([[message]], CONFIG)[0].text).text
