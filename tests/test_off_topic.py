"""The off-topic catalogue: questions about other subjects get an honest unknown that names the subject."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from knowledge_base.check import check_kb
from knowledge_base.kb import KnowledgeBase, build_index
from knowledge_base.loader import DEFAULT_KB_PATH
from knowledge_base.off_topic import find_off_topic, load_off_topic, read_off_topic
from knowledge_base.problems import KnowledgeBaseError

SMALL = Path(__file__).parent / "fixtures" / "kb_small"
TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def index():
    return build_index(SMALL / "entries")


def test_groups_load_with_labels_in_both_languages() -> None:
    assert find_off_topic(SMALL / "entries") == SMALL / "off_topic.yaml"
    ict, weer = load_off_topic(SMALL / "off_topic.yaml")
    assert (ict.id, ict.label("nl"), ict.label("en")) == ("ict", "computers en ICT", "computers and IT")
    assert weer.questions[0] == "Wat voor weer wordt het morgen?"


def test_an_off_topic_question_is_unknown_and_names_its_group(index) -> None:
    decision = index.decide("mijn laptop start niet meer op")
    assert (decision.outcome, decision.entry_id, decision.candidates, decision.off_topic) == (
        "unknown",
        None,
        (),
        "ict",
    )
    assert index.decide("what is the weather tomorrow").off_topic == "weer"


def test_questions_about_entries_are_not_taken_by_the_groups(index) -> None:
    for question in ("Wat is een krachtteam?", "hoe lang duurt een sprint", "wat betekent circulair"):
        decision = index.decide(question)
        assert decision.outcome == "answer" and decision.off_topic is None, question
    assert all(entry != "ict" for entry, _ in index.rank("laptop wachtwoord printer", k=5))


def test_empty_or_wordless_input_never_matches_a_group(index) -> None:
    for question in ("", "   ", "???", "😀"):
        assert index.decide(question).off_topic is None


def test_words_only_the_groups_use_stay_unknown_to_the_knowledge_base(index) -> None:
    assert index.idf("laptop") is None  # so they do not make a question look answerable
    assert index.idf("krachtteam") is not None


def test_the_bundled_catalogue_catches_everyday_work_questions() -> None:
    bundled = build_index(DEFAULT_KB_PATH)
    assert bundled.decide("Hoe vraag ik verlof aan in P-Direkt?").off_topic == "personeelszaken"
    assert bundled.decide("hoe scheid ik thuis mijn plastic afval").off_topic == "afval-thuis"
    assert bundled.decide("Wat is het verschil tussen recyclen en upcyclen?").entry_id == "recyclen-of-upcyclen"


def test_file_problems_name_the_group_and_field(tmp_path: Path) -> None:
    path = tmp_path / "off_topic.yaml"
    path.write_text(
        "groups:\n"
        "  - id: Bad Id\n    label_nl: iets\n    label_en: something\n    questions: [a, b, c, d]\n"
        "  - id: twee\n    label_nl: ''\n    label_en: two\n    questions: [e, f, g, h]\n"
        "  - id: drie\n    label_nl: drie\n    label_en: three\n    questions: [a, x]\n"
        "  - id: vier\n    label_nl: vier\n    label_en: four\n    questions: [w, x, y, z]\n"
        "  - id: vier\n    label_nl: vier\n    label_en: four\n    questions: [k, l, m, z]\n",
        encoding="utf-8",
    )
    problems = {(p.field, p.message) for p in read_off_topic(path)[1]}
    assert ("groups[0].id", "'Bad Id' must be lower-case words joined by '-'") in problems
    assert ("groups[1].label_nl", "must be non-empty text") in problems
    assert ("groups[2].questions", "must list at least 4 questions") in problems
    assert ("groups[4].id", "duplicate id 'vier'") in problems
    assert ("groups[4].questions[3]", "'z' is also in group 'vier'") not in problems  # same group
    with pytest.raises(KnowledgeBaseError):
        load_off_topic(path)


def test_a_question_in_two_groups_or_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "off_topic.yaml"
    path.write_text(
        "groups:\n"
        "  - {id: een, label_nl: een, label_en: one, questions: [a, b, c, Hoe laat is het?]}\n"
        "  - {id: twee, label_nl: twee, label_en: two, questions: [e, f, g, hoe laat is het]}\n",
        encoding="utf-8",
    )
    assert [(p.field, p.message) for p in read_off_topic(path)[1]] == [
        ("groups[1].questions[3]", "'hoe laat is het' is also in group 'een'")
    ]
    path.write_text("groups: [a, b\n", encoding="utf-8")
    assert "invalid YAML at line" in read_off_topic(path)[1][0].message


def test_kb_check_refuses_a_group_question_that_is_an_entry_phrasing(tmp_path: Path) -> None:
    shutil.copytree(SMALL, tmp_path / "kb")
    catalogue = tmp_path / "kb" / "off_topic.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("Gaat het regenen?", "Wat is een sprint?"), encoding="utf-8"
    )
    problems = [p for p in check_kb(tmp_path / "kb" / "entries", TODAY) if p.level == "error"]
    assert [(p.field, p.message) for p in problems] == [
        ("weer.questions[1]", "'Wat is een sprint?' is a phrasing of entry 'wat-is-een-sprint'")
    ]


def test_an_edited_catalogue_is_reloaded(tmp_path: Path) -> None:
    shutil.copytree(SMALL, tmp_path / "kb")
    kb = KnowledgeBase(tmp_path / "kb" / "entries", reload_interval=0)
    assert kb.decide("hoe laat gaat de kantine open").off_topic is None
    assert kb.stats()["off_topic_groups"] == 2
    catalogue = tmp_path / "kb" / "off_topic.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8") + "  - id: kantine\n    label_nl: de kantine\n    label_en: the canteen\n"
        "    questions: [Hoe laat gaat de kantine open?, Wat eten we vandaag?, Is er soep?, Canteen hours?]\n",
        encoding="utf-8",
    )
    assert kb.reload_if_changed()
    assert kb.decide("hoe laat gaat de kantine open").off_topic == "kantine"
    assert kb.off_topic["kantine"].label("en") == "the canteen"


def test_an_empty_catalogue_switches_the_bundled_one_off(tmp_path: Path) -> None:
    shutil.copytree(SMALL, tmp_path / "kb")
    (tmp_path / "kb" / "off_topic.yaml").write_text("groups: []\n", encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "kb" / "entries", reload_interval=0)
    assert kb.off_topic == {} and kb.decide("Wat voor weer wordt het morgen?").off_topic is None
    assert check_kb(tmp_path / "kb" / "entries", TODAY) == []


def test_groups_without_an_id_are_not_called_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "off_topic.yaml"
    path.write_text(
        "groups:\n"
        "  - {label_nl: een, label_en: one, questions: [a, b, c, d]}\n"
        "  - {label_nl: twee, label_en: two, questions: [e, f, g, '']}\n",
        encoding="utf-8",
    )
    assert [(p.field, p.message) for p in read_off_topic(path)[1]] == [
        ("groups[0].id", "must be non-empty text"),
        ("groups[1].id", "must be non-empty text"),
        ("groups[1].questions[3]", "must be non-empty text, got ''"),
    ]


def test_a_group_is_not_named_for_a_word_the_asker_did_not_type(index) -> None:
    decision = index.decide("sprint printen")  # `printen` is corrected to the ict group's `printer`
    # not refused as an IT question (the semantic channel may still offer the sprint entry)
    assert decision.outcome in ("unknown", "clarify") and decision.off_topic is None
    assert index.decide("krachtteam wachtwoort").off_topic is None
    assert index.decide("wat is een krachtteam laptoop").off_topic == "ict"  # `laptoop` folds to `laptop`
