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
