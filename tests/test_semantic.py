"""The optional semantic channel: encoders load from their wheels, embed, and refine the lexical decision."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge_base.kb import load_knowledge
from knowledge_base.search import SearchIndex
from knowledge_base.semantic import ENCODERS, SemanticIndex, configured_encoder, embed_cached, load_encoder

KB = Path(__file__).parent / "fixtures" / "kb_small"
# Paraphrases that share no specific word with their entry in the small KB: the lexical channel says unknown.
PARAPHRASES = {
    "why do I get a daily question from you": "check-ins",
    "what can I share in this channel": "wat-niet-in-de-chat",
    "how long does one iteration take": "wat-is-een-sprint",
}
# Lower than the thresholds tuned on the full KB: the small KB has four phrasings per entry, not twenty.
SMALL_KB_RESCUE = {"use": 0.3, "e5": 0.84}


@pytest.fixture(autouse=True)
def _vector_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEMANTIC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "semantic-cache"))


@pytest.fixture(scope="module")
def knowledge() -> tuple:
    return load_knowledge(KB)


@pytest.fixture(scope="module")
def lexical(knowledge: tuple) -> SearchIndex:
    return SearchIndex.build(*knowledge)


@pytest.mark.parametrize("name", ENCODERS)
def test_encoder_loads_from_its_wheel_and_embeds_unit_vectors(name: str) -> None:
    vectors = load_encoder(name)(["Wat is een sprint?", "What is a sprint?", "Hoe laat vertrekt de trein?"])
    assert vectors.shape[0] == 3 and vectors.shape[1] >= 256
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    # the same question in two languages is closer than an unrelated one
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.parametrize("name", ENCODERS)
def test_paraphrases_the_lexical_channel_misses_rank_their_entry_first(
    name: str, knowledge: tuple, lexical: SearchIndex
) -> None:
    entries, _, off_topic = knowledge
    semantic = SemanticIndex.build(name, entries, off_topic, rescue_at=SMALL_KB_RESCUE[name])
    for query, expected in PARAPHRASES.items():
        decision = lexical.decide(query)
        assert decision.outcome == "unknown" and decision.off_topic is None, query
        assert semantic.rank(query, 1)[0][0] == expected, query
        fused = semantic.fuse(query, decision)
        assert (fused.outcome, fused.candidates) == ("clarify", (expected,)), query


@pytest.mark.parametrize("name", ENCODERS)
def test_fusion_leaves_answers_and_named_off_topic_refusals_alone(
    name: str, knowledge: tuple, lexical: SearchIndex
) -> None:
    entries, _, off_topic = knowledge
    semantic = SemanticIndex.build(name, entries, off_topic, rescue_at=-1.0)  # would offer anything it could
    answered = lexical.decide("Wat is een krachtteam?")
    assert answered.outcome == "answer" and semantic.fuse("Wat is een krachtteam?", answered) == answered
    refused = lexical.decide("wat voor weer wordt het morgen")
    assert refused.off_topic == "weer" and semantic.fuse("wat voor weer wordt het morgen", refused) == refused


def test_the_setting_switches_the_channel_on_in_the_index(knowledge: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEMANTIC_SEARCH", "off")
    assert SearchIndex.build(*knowledge).semantic is None
    monkeypatch.setenv("SEMANTIC_SEARCH", "use")
    index = SearchIndex.build(*knowledge)
    assert index.semantic is not None and index.semantic.name == "use"
    index.semantic.rescue_at = SMALL_KB_RESCUE["use"]
    decision = index.decide("why do I get a daily question from you")
    assert (decision.outcome, decision.candidates) == ("clarify", ("check-ins",))


def test_setting_values() -> None:
    assert configured_encoder({}) is None
    assert configured_encoder({"SEMANTIC_SEARCH": "Off"}) is None
    assert configured_encoder({"SEMANTIC_SEARCH": " E5 "}) == "e5"
    with pytest.raises(ValueError, match="SEMANTIC_SEARCH must be off or one of use, e5"):
        configured_encoder({"SEMANTIC_SEARCH": "bert"})


def test_vectors_are_cached_on_disk_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEMANTIC_CACHE_DIR", str(tmp_path))
    first = embed_cached("use", ["Wat is een sprint?", "Wat is een krachtteam?"])
    assert len(list(tmp_path.glob("use-*.npy"))) == 1
    assert np.array_equal(embed_cached("use", ["Wat is een sprint?", "Wat is een krachtteam?"]), first)
    embed_cached("use", ["Wat is een sprint?"])  # other texts: another file
    assert len(list(tmp_path.glob("use-*.npy"))) == 2
