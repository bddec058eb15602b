"""Hot reload: new and edited entries are picked up, a broken edit keeps the old index, questions never fail."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

import pytest

from knowledge_base.kb import KnowledgeBase

SMALL = Path(__file__).parent / "fixtures" / "kb_small"

NEW_ENTRY = """---
id: {id}
title: Wat is een {word}?
questions:
  - Wat is een {word}?
  - {word}
  - Leg {word} uit
  - What is a {word}?
tags: [test]
sources:
  - title: Bron
    url: https://example.org/
owner: Test
reviewed: 2026-11-01
review_by: 2027-05-01
---
Een {word} is iets om te testen.
"""


@pytest.fixture
def kb_path(tmp_path: Path) -> Path:
    shutil.copytree(SMALL, tmp_path / "kb")
    return tmp_path / "kb" / "entries"


def write(path: Path, text: str) -> None:
    """Write a file and move its modification time on, as a later edit would."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    later = max(path.stat().st_mtime_ns, old + 1_000_000_000)
    os.utime(path, ns=(later, later))


def test_synonyms_next_to_the_folder_are_used(kb_path: Path) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=0)
    assert kb.decide("kringloopeconomie").entry_id == "circulaire-economie"


def test_new_entry_is_answered_after_reload(kb_path: Path) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=0)
    assert kb.decide("wat is een zandloper").outcome == "unknown"
    write(kb_path / "zandloper.md", NEW_ENTRY.format(id="zandloper", word="zandloper"))
    assert kb.reload_if_changed()
    assert kb.decide("wat is een zandloper").entry_id == "zandloper"
    assert "zandloper" in kb.entries
    assert not kb.reload_if_changed()  # nothing changed since


def test_edited_entry_gives_the_new_answer(kb_path: Path) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=0)
    path = kb_path / "wat-is-een-sprint.md"
    write(path, path.read_text(encoding="utf-8").replace("Hoe lang duurt een sprint?", "Wat is een tijdvak?"))
    decision = kb.decide("wat is een tijdvak")  # decide checks for changes first
    assert (decision.outcome, decision.entry_id) == ("answer", "wat-is-een-sprint")


def test_removed_entry_disappears(kb_path: Path) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=0)
    (kb_path / "grondstoffenakkoord.md").unlink()
    assert kb.reload_if_changed()
    assert "grondstoffenakkoord" not in kb.entries
    assert kb.decide("grondstoffenakkoord").entry_id is None


def test_broken_edit_keeps_the_old_index(kb_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=0)
    path = kb_path / "wat-is-een-sprint.md"
    good = path.read_text(encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="knowledge_base.kb"):
        write(path, good.replace("questions:", "questions: [kapot"))
        assert not kb.reload_if_changed()
        assert not kb.reload_if_changed()  # the same broken state is not rebuilt or logged again
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "wat-is-een-sprint.md" in caplog.records[0].getMessage()
    assert kb.decide("sprint").entry_id == "wat-is-een-sprint"
    write(path, good.replace("Hoe lang duurt een sprint?", "Wat is een tijdvak?"))
    assert kb.reload_if_changed()
    assert kb.decide("wat is een tijdvak").entry_id == "wat-is-een-sprint"


def test_changes_are_looked_for_at_most_every_interval(kb_path: Path) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=3600)
    write(kb_path / "zandloper.md", NEW_ENTRY.format(id="zandloper", word="zandloper"))
    assert not kb.reload_if_changed()
    assert "zandloper" not in kb.entries


def test_synonym_edits_reload(kb_path: Path) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=0)
    assert kb.decide("tijdvak").outcome == "unknown"
    synonyms = kb_path.parent / "synonyms.yaml"
    write(synonyms, synonyms.read_text(encoding="utf-8") + "  - [sprint, tijdvak]\n")
    assert kb.reload_if_changed()
    assert kb.decide("tijdvak").entry_id == "wat-is-een-sprint"


def test_questions_during_reloads_never_fail(kb_path: Path) -> None:
    kb = KnowledgeBase(kb_path, reload_interval=0)
    errors: list[BaseException] = []
    outcomes: list[str] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                for query in ("krachtteam", "wat is een zandloper", "grondstoffenakkoord", "onzin"):
                    outcomes.append(kb.decide(query).outcome)
            except BaseException as exc:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    path = kb_path / "zandloper.md"
    for i in range(15):
        if i % 3 == 2:
            write(path, "---\nid: [kapot\n---\n")  # a broken edit now and then
        else:
            write(path, NEW_ENTRY.format(id="zandloper", word="zandloper" if i % 2 else "zandkasteel"))
        kb.reload_if_changed()
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(outcomes) <= {"answer", "clarify", "unknown"}
    assert "answer" in outcomes


def test_stats_count_what_curators_need(kb_path: Path) -> None:
    stats = KnowledgeBase(kb_path).stats()
    assert stats["entries"] == 8
    assert stats["phrasings"] == 32
    assert stats["vocabulary"] > 50
    assert stats["synonym_groups"] == 5
    assert stats["overdue_reviews"] == 0
    assert stats["build_seconds"] >= 0
