"""Read knowledge-base entries (Markdown with YAML front matter) and the synonyms file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from knowledge_base.problems import WARNING, Problem, checked, errors

DEFAULT_KB_PATH = Path(__file__).resolve().parent / "entries"
DEFAULT_SYNONYMS_PATH = Path(__file__).resolve().parent / "synonyms.yaml"

MIN_QUESTIONS = 4
MAX_ANSWER_WORDS = 120
REQUIRED_FIELDS = ("id", "title", "questions", "tags", "sources", "owner", "reviewed", "review_by")
OPTIONAL_FIELDS = ("related", "lang")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?(.*)\Z", re.DOTALL | re.MULTILINE)
_WORD = re.compile(r"\w", re.UNICODE)
_LANG = re.compile(r"^[a-z]{2}$")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that leaves dates as text, so that a bad date is reported with its field."""

    yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


@dataclass(frozen=True)
class Source:
    """A public source an answer is based on."""

    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One knowledge-base answer with the phrasings that lead to it."""

    id: str
    title: str
    questions: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    owner: str
    reviewed: date
    review_by: date
    related: tuple[str, ...]
    lang: str
    body: str
    path: Path


def phrasing_key(text: str) -> str:
    """The form in which two phrasings count as the same (case, spacing and end marks ignored)."""
    return " ".join(text.casefold().split()).rstrip("?!. ")


def count_words(text: str) -> int:
    """Words in an answer; bullets and other bare punctuation do not count."""
    return sum(1 for token in text.split() if _WORD.search(token))


def display_path(path: Path, kb_path: Path) -> str:
    """A file's path as shown in problems: relative to the folder holding the KB folder."""
    try:
        return path.resolve().relative_to(kb_path.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def find_list(kb_path: Path, name: str) -> Path | None:
    """A KB folder's YAML list file (`synonyms.yaml`, `off_topic.yaml`): inside it, next to it, else the bundled one."""
    for candidate in (kb_path / name, kb_path.parent / name, DEFAULT_KB_PATH.parent / name):
        if candidate.is_file():
            return candidate
    return None


def find_synonyms(kb_path: Path) -> Path | None:
    """The synonyms file for a KB folder: inside it, next to it, else the bundled one."""
    return find_list(kb_path, "synonyms.yaml")


def read_yaml_mapping(path: Path, shown: str, key: str) -> tuple[list[Any], list[Problem]]:
    """The list under `key` of a YAML mapping file, or a problem saying why it cannot be read."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(shown, "file", f"cannot be read as UTF-8 text: {exc}")]
    except yaml.YAMLError as exc:
        return [], [_yaml_problem(exc, shown, "file", first_line=1)]
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return [], [Problem(shown, key, f"the file must be a mapping with a list {key!r}")]
    return data[key], []


def entry_files(kb_path: Path) -> list[Path]:
    """The entry files of a KB folder (recursively, hidden files skipped), in a stable order."""
    paths = kb_path.rglob("*.md")
    return sorted(p for p in paths if not any(part.startswith(".") for part in p.relative_to(kb_path).parts))


def _yaml_problem(exc: yaml.YAMLError, shown: str, field: str, first_line: int) -> Problem:
    """A YAML syntax error with its line in the file (the YAML text starts at `first_line`)."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + first_line}" if mark is not None else "unknown line"
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return Problem(shown, field, f"invalid YAML at {where}: {reason}")


class _FieldReader:
    """Checks the front-matter fields of one file and collects problems."""

    def __init__(self, shown: str, data: dict[str, Any]) -> None:
        self.shown = shown
        self.data = data
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str, level: str = "error") -> None:
        self.problems.append(Problem(self.shown, field, message, level))

    def text(self, field: str) -> str | None:
        return self.check_text(field, self.data.get(field))

    def check_text(self, label: str, value: Any) -> str | None:
        if value is None:
            self.problem(label, "missing")
        elif not isinstance(value, str):
            self.problem(label, f"must be text, got {type(value).__name__} ({value!r})")
        elif not value.strip():
            self.problem(label, "is empty")
        else:
            return value.strip()
        return None

    def texts(self, field: str, required: bool = True) -> tuple[str, ...] | None:
        value = self.data.get(field)
        if value is None:
            if required:
                self.problem(field, "missing")
                return None
            return ()
        if not isinstance(value, list):
            self.problem(field, f"must be a list, got {type(value).__name__}")
            return None
        if required and not value:
            self.problem(field, "is empty")
            return None
        items = [self.check_text(f"{field}[{i}]", item) for i, item in enumerate(value)]
        return None if any(item is None for item in items) else tuple(items)  # type: ignore[arg-type]

    def day(self, field: str) -> date | None:
        value = self.data.get(field)
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                self.problem(field, f"not a date (YYYY-MM-DD): {value!r}")
                return None
        if value is None:
            self.problem(field, "missing")
        elif not isinstance(value, date):
            self.problem(field, f"must be a date (YYYY-MM-DD), got {type(value).__name__} ({value!r})")
        else:
            return value
        return None

    def sources(self) -> tuple[Source, ...] | None:
        value = self.data.get("sources")
        if value is None:
            self.problem("sources", "missing")
            return None
        if not isinstance(value, list) or not value:
            self.problem("sources", "must be a non-empty list of {title, url}")
            return None
        found: list[Source] = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem(f"sources[{i}]", f"must have title and url, got {type(item).__name__}")
                continue
            title = self.check_text(f"sources[{i}].title", item.get("title"))
            url = self.check_text(f"sources[{i}].url", item.get("url"))
            if url is not None and not url.startswith(("http://", "https://", "docs/")):
                self.problem(f"sources[{i}].url", f"must start with http://, https:// or docs/: {url!r}")
                url = None
            if title is not None and url is not None:
                found.append(Source(title, url))
        return tuple(found) if len(found) == len(value) else None


def read_entry(path: Path, kb_path: Path) -> tuple[Entry | None, list[Problem]]:
    """Parse and check one entry file; the entry is None when it has errors."""
    shown = display_path(path, kb_path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, "file", f"cannot be read as UTF-8 text: {exc}")]
    match = _FRONT_MATTER.match(raw)
    if not match:
        return None, [
            Problem(
                shown,
                "front matter",
                "missing: the file must start with a '---' line, YAML fields, and a closing '---' line",
            )
        ]
    try:
        data = yaml.load(match.group(1), Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(exc, shown, "front matter", first_line=2)]
    if not isinstance(data, dict):
        return None, [Problem(shown, "front matter", "must be a YAML mapping of fields")]

    reader = _FieldReader(shown, data)
    entry_id = reader.text("id")
    if entry_id is not None and entry_id != path.stem:
        reader.problem("id", f"{entry_id!r} does not match the file name {path.name!r}")
    title = reader.text("title")
    questions = reader.texts("questions")
    if questions is not None:
        if len(questions) < MIN_QUESTIONS:
            reader.problem("questions", f"{len(questions)} phrasing(s), need at least {MIN_QUESTIONS}")
        seen: dict[str, int] = {}
        for i, question in enumerate(questions):
            key = phrasing_key(question)
            if key in seen:
                reader.problem(f"questions[{i}]", f"repeats questions[{seen[key]}]: {question!r}")
            seen.setdefault(key, i)
    tags = reader.texts("tags")
    sources = reader.sources()
    owner = reader.text("owner")
    reviewed = reader.day("reviewed")
    review_by = reader.day("review_by")
    if reviewed and review_by and review_by < reviewed:
        reader.problem("review_by", f"{review_by} is before reviewed ({reviewed})")
    related = reader.texts("related", required=False)
    if related and entry_id in related:
        reader.problem("related", "an entry cannot be related to itself")
    lang = reader.text("lang") if "lang" in data else "nl"
    if lang is not None and not _LANG.match(lang):
        reader.problem("lang", f"must be a two-letter language code, got {lang!r}")
    for field in data:
        if field not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
            reader.problem(str(field), "unknown field (typo?)", WARNING)
    body = match.group(2).strip()
    if not body:
        reader.problem("body", "the answer (text after the front matter) is empty")
    elif (words := count_words(body)) > MAX_ANSWER_WORDS:
        reader.problem("body", f"answer has {words} words, at most {MAX_ANSWER_WORDS}")

    if errors(reader.problems):
        return None, reader.problems
    entry = Entry(
        id=entry_id,
        title=title,
        questions=questions,
        tags=tags,
        sources=sources,
        owner=owner,  # type: ignore[arg-type]
        reviewed=reviewed,
        review_by=review_by,
        related=related,
        lang=lang,
        body=body,
        path=path,  # type: ignore[arg-type]
    )
    return entry, reader.problems


def read_entries(kb_path: Path) -> tuple[list[Entry], list[Problem]]:
    """Parse every entry of a KB folder and check them against each other."""
    if not kb_path.is_dir():
        return [], [Problem(kb_path.as_posix(), "folder", "not found or not a folder")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in entry_files(kb_path):
        entry, found = read_entry(path, kb_path)
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    problems.extend(_cross_check(entries, kb_path))
    return entries, problems


def _cross_check(entries: list[Entry], kb_path: Path) -> list[Problem]:
    """Duplicate ids, phrasings shared by two entries, related ids that do not exist."""
    problems: list[Problem] = []
    by_id: dict[str, Entry] = {}
    owner_of: dict[str, tuple[str, int]] = {}
    for entry in entries:
        shown = display_path(entry.path, kb_path)
        if entry.id in by_id:
            problems.append(
                Problem(
                    shown, "id", f"duplicate id {entry.id!r}, also in {display_path(by_id[entry.id].path, kb_path)}"
                )
            )
        by_id.setdefault(entry.id, entry)
        for i, question in enumerate(entry.questions):
            key = phrasing_key(question)
            other = owner_of.setdefault(key, (entry.id, i))
            if other[0] != entry.id:
                problems.append(
                    Problem(shown, f"questions[{i}]", f"{question!r} is also a phrasing of entry {other[0]!r}")
                )
    for entry in entries:
        shown = display_path(entry.path, kb_path)
        for i, rel in enumerate(entry.related):
            if rel not in by_id:
                problems.append(Problem(shown, f"related[{i}]", f"unknown entry id {rel!r}"))
    return problems


def read_synonyms(path: Path, kb_path: Path | None = None) -> tuple[list[tuple[str, ...]], list[Problem]]:
    """Parse and check the synonyms file: `groups:` a list of lists of phrases, first one canonical."""
    shown = display_path(path, kb_path) if kb_path else path.name
    data, problems = read_yaml_mapping(path, shown, "groups")
    groups: list[tuple[str, ...]] = []
    group_of: dict[str, int] = {}
    for g, group in enumerate(data):
        field = f"groups[{g}]"
        if not isinstance(group, list) or len(group) < 2:
            problems.append(Problem(shown, field, "must be a list of at least two phrases"))
            continue
        bad = [i for i, phrase in enumerate(group) if not isinstance(phrase, str) or not phrase.strip()]
        for i in bad:
            problems.append(Problem(shown, f"{field}[{i}]", f"must be non-empty text, got {group[i]!r}"))
        if bad:
            continue
        for i, phrase in enumerate(group):
            key = phrasing_key(phrase)
            first = group_of.setdefault(key, g)
            if first != g:
                problems.append(Problem(shown, f"{field}[{i}]", f"{phrase!r} is also in groups[{first}]"))
        groups.append(tuple(phrase.strip() for phrase in group))
    return groups, problems


def load_entries(path: Path) -> list[Entry]:
    """All entries of a KB folder; raises KnowledgeBaseError when any file has errors."""
    return checked(read_entries(path))


def load_synonyms(path: Path) -> list[tuple[str, ...]]:
    """Synonym groups (first phrase canonical); raises KnowledgeBaseError when the file is invalid."""
    return checked(read_synonyms(path))
