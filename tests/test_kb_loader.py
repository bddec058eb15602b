"""Loader and checker: entries parse into typed values; broken files give file- and field-precise problems."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from knowledge_base.check import Problem, check_kb, main
from knowledge_base.loader import (
    DEFAULT_KB_PATH,
    DEFAULT_SYNONYMS_PATH,
    Entry,
    Source,
    count_words,
    find_synonyms,
    load_entries,
    load_synonyms,
)
from knowledge_base.problems import KnowledgeBaseError

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "kb_small" / "entries"
BROKEN = FIXTURES / "kb_broken" / "entries"
TODAY = date(2026, 12, 1)


def test_entries_load_as_typed_values() -> None:
    entries = {e.id: e for e in load_entries(SMALL)}
    assert len(entries) == 8
    entry = entries["wat-is-een-krachtteam"]
    assert isinstance(entry, Entry)
    assert entry.title == "Wat is een krachtteam?"
    assert entry.questions[:2] == ("Wat is een krachtteam?", "krachtteam")
    assert entry.tags == ("werkwijze", "krachtteam")
    assert entry.sources == (Source("Programmabeschrijving", "https://example.org/programma"),)
    assert (entry.reviewed, entry.review_by) == (date(2026, 11, 1), date(2027, 5, 1))
    assert entry.related == ("krachtteam-starten",)
    assert entry.lang == "nl"
    assert entry.body.startswith("Een krachtteam is")
    assert entry.path == SMALL / "wat-is-een-krachtteam.md"
    assert entries["wat-is-een-sprint"].related == ()


def test_broken_kb_raises_with_all_errors() -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_entries(BROKEN)
    assert len(caught.value.problems) == 17
    assert all(p.level == "error" for p in caught.value.problems)


def test_checker_names_file_and_field_of_every_problem() -> None:
    found = {(p.path, p.field, p.level) for p in check_kb(BROKEN, TODAY)}
    assert found == {
        ("entries/bad-dates.md", "reviewed", "error"),
        ("entries/bad-dates.md", "review_by", "error"),
        ("entries/bad-yaml.md", "front matter", "error"),
        ("entries/few-questions.md", "questions", "error"),
        ("entries/id-mismatch.md", "id", "error"),
        ("entries/long-answer.md", "body", "error"),
        ("entries/missing-fields.md", "title", "error"),
        ("entries/missing-fields.md", "owner", "error"),
        ("entries/no-front-matter.md", "front matter", "error"),
        ("entries/wrong-types.md", "questions", "error"),
        ("entries/wrong-types.md", "tags[1]", "error"),
        ("entries/wrong-types.md", "sources[0].url", "error"),
        ("entries/wrong-types.md", "sources[1]", "error"),
        ("entries/wrong-types.md", "related", "error"),
        ("entries/wrong-types.md", "lang", "error"),
        ("entries/dup-b.md", "questions[1]", "error"),
        ("entries/dup-b.md", "related[1]", "error"),
        ("entries/overdue.md", "revieuwed", "warning"),
        ("entries/overdue.md", "review_by", "warning"),
        ("synonyms.yaml", "groups[0]", "error"),
        ("synonyms.yaml", "groups[1]", "error"),
        ("synonyms.yaml", "groups[2][1]", "error"),
        ("synonyms.yaml", "groups[4][1]", "error"),
    }


def test_messages_say_what_is_wrong() -> None:
    messages = {(p.path, p.field): p.message for p in check_kb(BROKEN, TODAY)}
    assert messages["entries/bad-yaml.md", "front matter"].startswith("invalid YAML at line 5")
    assert "3 phrasing(s), need at least 4" in messages["entries/few-questions.md", "questions"]
    assert "169 words, at most 120" in messages["entries/long-answer.md", "body"]
    assert "'dup-a'" in messages["entries/dup-b.md", "questions[1]"]
    assert "'bestaat-niet'" in messages["entries/dup-b.md", "related[1]"]
    assert "2026-13-01" in messages["entries/bad-dates.md", "reviewed"]
    assert "'CE' is also in groups[3]" in messages["synonyms.yaml", "groups[4][1]"]


def test_problem_prints_path_field_and_message() -> None:
    problem = Problem("entries/x.md", "questions", "3 phrasing(s), need at least 4", "error")
    assert str(problem) == "entries/x.md: questions: 3 phrasing(s), need at least 4"


def test_overdue_review_is_only_a_warning(tmp_path: Path) -> None:
    kb = tmp_path / "entries"
    kb.mkdir()
    shutil.copy(SMALL / "wat-is-een-sprint.md", kb)
    assert check_kb(kb, date(2027, 5, 1)) == []
    [problem] = check_kb(kb, date(2027, 5, 2))
    assert (problem.field, problem.level) == ("review_by", "warning")
    assert load_entries(kb)[0].id == "wat-is-een-sprint"


def test_duplicate_ids_in_subfolders(tmp_path: Path) -> None:
    kb = tmp_path / "entries"
    for folder in ("a", "b"):
        (kb / folder).mkdir(parents=True)
    shutil.copy(SMALL / "rvo-en-lnv.md", kb / "a")
    text = (SMALL / "rvo-en-lnv.md").read_text(encoding="utf-8")
    (kb / "b" / "rvo-en-lnv.md").write_text(text.replace("Waar staat RVO voor", "Wat is RVO"), encoding="utf-8")
    problems = check_kb(kb, TODAY)
    assert [(p.path, p.field) for p in problems if p.field == "id"] == [("entries/b/rvo-en-lnv.md", "id")]


def test_cli_prints_problems_and_exits_one_on_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(BROKEN)]) == 1
    out = capsys.readouterr().out
    assert "error: entries/few-questions.md: questions: 3 phrasing(s), need at least 4" in out
    assert "warning: entries/overdue.md: review_by:" in out
    assert out.strip().endswith("21 error(s), 2 warning(s)")


def test_cli_exits_zero_on_a_valid_kb(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SMALL)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    [missing] = check_kb(tmp_path / "nowhere", TODAY)
    assert missing.level == "error"
    [empty] = check_kb(tmp_path, TODAY)
    assert (empty.field, empty.level) == ("folder", "warning")
    assert load_entries(tmp_path) == []


def test_synonyms_load_and_are_found_next_to_the_kb() -> None:
    assert find_synonyms(SMALL) == SMALL.parent / "synonyms.yaml"
    groups = load_synonyms(SMALL.parent / "synonyms.yaml")
    assert groups[0] == ("circulaire economie", "ce", "kringloopeconomie", "circular economy")
    with pytest.raises(KnowledgeBaseError):
        load_synonyms(BROKEN.parent / "synonyms.yaml")


def test_synonyms_that_are_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("groups:\n  - [a, b\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="invalid YAML at line"):
        load_synonyms(path)


def test_words_in_an_answer_ignore_bullets_and_punctuation() -> None:
    assert count_words("• *RVO* = Rijksdienst voor Ondernemend Nederland.\n- Zie: rvo.nl") == 7


def test_bundled_kb_has_no_errors() -> None:
    problems = check_kb(DEFAULT_KB_PATH, TODAY)
    assert [str(p) for p in problems if p.level == "error"] == []
    assert load_synonyms(DEFAULT_SYNONYMS_PATH)
