"""The semantic channel: the encoder loads from its wheel, embeds, and refines the lexical decision."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge_base.kb import load_knowledge
from knowledge_base.loader import DEFAULT_KB_PATH
from knowledge_base.search import SearchIndex
from knowledge_base.semantic import RESCUE_AT, SemanticIndex, embed_cached, load_encoder, semantic_enabled

KB = Path(__file__).parent / "fixtures" / "kb_small"
# Paraphrases that share no specific word with their entry in the small KB: the lexical channel says unknown.
PARAPHRASES = {
    "why do I get a daily question from you": "check-ins",
    "what can I share in this channel": "wat-niet-in-de-chat",
    "how long does one iteration take": "wat-is-een-sprint",
}
# Lower than RESCUE_AT, tuned on the full KB: the small KB has four phrasings per entry, not twenty.
SMALL_KB_RESCUE = 0.3


@pytest.fixture(autouse=True)
def _vector_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEMANTIC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "semantic-cache"))


@pytest.fixture(scope="module")
def knowledge() -> tuple:
    return load_knowledge(KB)


@pytest.fixture(scope="module")
def lexical(knowledge: tuple) -> SearchIndex:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEMANTIC_SEARCH", "off")
        index = SearchIndex.build(*knowledge)
    assert index.semantic is None
    return index


def test_encoder_loads_from_its_wheel_and_embeds_unit_vectors() -> None:
    vectors = load_encoder()(["Wat is een sprint?", "What is a sprint?", "Hoe laat vertrekt de trein?"])
    assert vectors.shape[0] == 3 and vectors.shape[1] >= 256
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    # the same question in two languages is closer than an unrelated one
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_paraphrases_the_lexical_channel_misses_rank_their_entry_first(knowledge: tuple, lexical: SearchIndex) -> None:
    entries, _, off_topic = knowledge
    semantic = SemanticIndex.build(entries, off_topic, rescue_at=SMALL_KB_RESCUE)
    for query, expected in PARAPHRASES.items():
        decision = lexical.decide(query)
        assert decision.outcome == "unknown" and decision.off_topic is None, query
        assert semantic.rank(query, 1)[0][0] == expected, query
        fused = semantic.fuse(query, decision)
        assert (fused.outcome, fused.candidates) == ("clarify", (expected,)), query


def test_fusion_leaves_answers_and_named_off_topic_refusals_alone(knowledge: tuple, lexical: SearchIndex) -> None:
    entries, _, off_topic = knowledge
    semantic = SemanticIndex.build(entries, off_topic, rescue_at=-1.0)  # would offer anything it could
    answered = lexical.decide("Wat is een krachtteam?")
    assert answered.outcome == "answer" and semantic.fuse("Wat is een krachtteam?", answered) == answered
    refused = lexical.decide("wat voor weer wordt het morgen")
    assert refused.off_topic == "weer" and semantic.fuse("wat voor weer wordt het morgen", refused) == refused


def test_the_channel_is_on_unless_switched_off(knowledge: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEMANTIC_SEARCH", raising=False)
    index = SearchIndex.build(*knowledge)
    assert index.semantic is not None and index.semantic.rescue_at == RESCUE_AT
    index.semantic.rescue_at = SMALL_KB_RESCUE
    decision = index.decide("why do I get a daily question from you")
    assert (decision.outcome, decision.candidates) == ("clarify", ("check-ins",))
    monkeypatch.setenv("SEMANTIC_SEARCH", "off")
    assert SearchIndex.build(*knowledge).semantic is None


def test_setting_values() -> None:
    assert semantic_enabled({}) and semantic_enabled({"SEMANTIC_SEARCH": " On "})
    assert not semantic_enabled({"SEMANTIC_SEARCH": "OFF"}) and not semantic_enabled({"SEMANTIC_SEARCH": "0"})
    with pytest.raises(ValueError, match="SEMANTIC_SEARCH must be on or off"):
        semantic_enabled({"SEMANTIC_SEARCH": "e5"})


def test_vectors_are_cached_on_disk_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEMANTIC_CACHE_DIR", str(tmp_path))
    first = embed_cached(["Wat is een sprint?", "Wat is een krachtteam?"])
    assert len(list(tmp_path.glob("use-m3-*.npy"))) == 1
    assert np.array_equal(embed_cached(["Wat is een sprint?", "Wat is een krachtteam?"]), first)
    embed_cached(["Wat is een sprint?"])  # other texts: another file
    assert len(list(tmp_path.glob("use-m3-*.npy"))) == 2


def test_an_empty_knowledge_base_gets_no_semantic_suggestions() -> None:
    semantic = SemanticIndex.build([], [], rescue_at=-1.0)
    assert semantic.rank("wat is een sprint") == []
    assert (
        semantic.fuse("wat is een sprint", SearchIndex.build([], []).decide("wat is een sprint")).outcome == "unknown"
    )


def test_the_bundled_knowledge_base_finds_entries_for_wordings_far_from_its_phrasings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SEMANTIC_SEARCH", "on")
    index = SearchIndex.build(*load_knowledge(DEFAULT_KB_PATH))
    for query, expected in {
        "what can you do": "wat-kan-lefbot",
        "waar ben je eigenlijk voor": "wat-kan-lefbot",
        "what exactly does Transform4C do for DuurzaamDoor?": "transform4c-en-duurzaamdoor",
    }.items():
        decision = index.decide(query)
        assert decision.outcome != "unknown", query
        assert (decision.entry_id or decision.candidates[0]) == expected, query
