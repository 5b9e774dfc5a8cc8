"""The retrieval responder: the app's offline responder and an evaluation baseline."""

from __future__ import annotations

import pytest

from coach.backends.base import GenerationConfig
from coach.data import default_db
from coach.data.store import read_examples
from coach.retrieval import RetrievalResponder, query_text


@pytest.fixture(scope="module")
def responder(tmp_path_factory) -> RetrievalResponder:
    return RetrievalResponder(cache_dir=tmp_path_factory.mktemp("retrieval-cache"))


def test_query_uses_only_the_persons_turns():
    assert query_text(["hi", "hello, how are you?", "tired", "why?", "work"]) == "tired work"
    assert query_text(["just one message"]) == "just one message"


def test_a_training_context_finds_its_own_reply(responder):
    examples = read_examples(default_db(), split="train")[:5]
    replies = responder.generate([ex.context for ex in examples], GenerationConfig())
    assert [r.text for r in replies] == [ex.response for ex in examples]
    assert all(r.num_tokens == len(r.text.split()) for r in replies)


def test_never_repeats_a_reply_already_in_the_conversation(responder):
    ex = read_examples(default_db(), split="train")[0]
    first = responder.generate([ex.context], GenerationConfig())[0].text
    again = responder.generate([[*ex.context, first, ex.context[-1]]], GenerationConfig())[0].text
    assert again != first


def test_stream_joins_to_the_generated_reply(responder):
    turns = ["I finally finished the marathon I trained all year for!"]
    assert (
        "".join(responder.stream(turns, GenerationConfig())) == responder.generate([turns], GenerationConfig())[0].text
    )


def test_index_cache_is_reused(tmp_path):
    first = RetrievalResponder(cache_dir=tmp_path)
    cached = list(tmp_path.glob("retrieval-*.npy"))
    assert len(cached) == 1
    second = RetrievalResponder(cache_dir=tmp_path)
    assert (first.index == second.index).all()


def test_a_floor_turns_off_topic_neighbours_into_listening(tmp_path):
    """With the app's floor, a message that nothing in the data is close to gets a listening reply, not the
    nearest stranger's; a message the data covers still gets its neighbour's reply; no floor (evaluation) never
    listens."""
    from coach.retrieval import APP_MIN_SIMILARITY, LISTENING_REPLIES

    floored = RetrievalResponder(cache_dir=tmp_path, min_similarity=APP_MIN_SIMILARITY)
    plain = RetrievalResponder(cache_dir=tmp_path)
    config = GenerationConfig()
    off_topic = ["can you tell me something nice"]  # nearest sample context at 0.36
    covered = read_examples(default_db(), split="train")[0].context
    assert floored.generate([off_topic], config)[0].text in LISTENING_REPLIES
    assert plain.generate([off_topic], config)[0].text not in LISTENING_REPLIES
    assert floored.generate([covered], config)[0].text == plain.generate([covered], config)[0].text
    # the same message gets the same reply, and a conversation never gets one it already has
    first = floored.generate([off_topic], config)[0].text
    assert floored.generate([off_topic], config)[0].text == first
    again = floored.generate([[*off_topic, first, "can you tell me something nice"]], config)[0].text
    assert again in LISTENING_REPLIES and again != first
