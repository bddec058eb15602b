"""The off-topic catalogue: typical questions the knowledge base does not answer, grouped by subject.

A question that matches such a group better than any entry gets an honest "I don't know" that names the
subject ("Dit lijkt een vraag over personeelszaken"), instead of a far-fetched entry or related topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.loader import display_path, find_list, phrasing_key, read_yaml_mapping
from knowledge_base.problems import Problem, checked

FILE_NAME = "off_topic.yaml"
MIN_QUESTIONS = 4
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class OffTopic:
    """One subject the bot does not cover, with the questions people ask about it."""

    id: str
    label_nl: str
    label_en: str
    questions: tuple[str, ...]

    def label(self, lang: str) -> str:
        """The subject as it fits in a sentence, in the user's language."""
        return self.label_en if lang == "en" else self.label_nl


def find_off_topic(kb_path: Path) -> Path | None:
    """The off-topic file for a KB folder: inside it, next to it, else the bundled one."""
    return find_list(kb_path, FILE_NAME)


def read_off_topic(path: Path, kb_path: Path | None = None) -> tuple[list[OffTopic], list[Problem]]:
    """Parse and check the file: `groups:` with id, label_nl, label_en and at least 4 questions each."""
    shown = display_path(path, kb_path) if kb_path else path.name
    data, problems = read_yaml_mapping(path, shown, "groups")
    groups: list[OffTopic] = []
    seen_ids: set[str] = set()
    owner_of: dict[str, str] = {}
    for g, item in enumerate(data):
        field = f"groups[{g}]"
        if not isinstance(item, dict):
            problems.append(Problem(shown, field, "must be a mapping with id, label_nl, label_en and questions"))
            continue
        texts = {name: item.get(name) for name in ("id", "label_nl", "label_en")}
        bad = [name for name, value in texts.items() if not isinstance(value, str) or not value.strip()]
        for name in bad:
            problems.append(Problem(shown, f"{field}.{name}", "must be non-empty text"))
        group_id = str(texts["id"]).strip()
        if "id" not in bad:  # a missing id is reported above, not also as a duplicate
            if not _ID.match(group_id):
                problems.append(Problem(shown, f"{field}.id", f"{group_id!r} must be lower-case words joined by '-'"))
            elif group_id in seen_ids:
                problems.append(Problem(shown, f"{field}.id", f"duplicate id {group_id!r}"))
            seen_ids.add(group_id)
        questions = item.get("questions")
        if not isinstance(questions, list) or len(questions) < MIN_QUESTIONS:
            problems.append(Problem(shown, f"{field}.questions", f"must list at least {MIN_QUESTIONS} questions"))
            continue
        for i, question in enumerate(questions):
            if not isinstance(question, str) or not question.strip():
                problems.append(Problem(shown, f"{field}.questions[{i}]", f"must be non-empty text, got {question!r}"))
                bad.append(f"questions[{i}]")
                continue
            other = owner_of.setdefault(phrasing_key(question), group_id)
            if other != group_id:
                problems.append(Problem(shown, f"{field}.questions[{i}]", f"{question!r} is also in group {other!r}"))
        if bad:
            continue
        labels = str(texts["label_nl"]).strip(), str(texts["label_en"]).strip()
        groups.append(OffTopic(group_id, *labels, tuple(q.strip() for q in questions)))
    return groups, problems


def load_off_topic(path: Path) -> list[OffTopic]:
    """The off-topic groups; raises KnowledgeBaseError when the file is invalid."""
    return checked(read_off_topic(path))
