"""Check a knowledge base: `python -m knowledge_base.check [PATH]` prints problems, exits 1 on errors."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from knowledge_base.loader import (
    DEFAULT_KB_PATH,
    display_path,
    find_synonyms,
    phrasing_key,
    read_entries,
    read_synonyms,
)
from knowledge_base.off_topic import find_off_topic, read_off_topic
from knowledge_base.problems import ERROR, WARNING, Problem

__all__ = ["Problem", "check_kb", "main"]


def check_kb(path: Path, today: date) -> list[Problem]:
    """Every problem in the entries, synonyms and off-topic groups of a KB folder; overdue reviews are warnings."""
    entries, problems = read_entries(path)
    if path.is_dir() and not entries and not problems:
        problems.append(Problem(path.as_posix(), "folder", "contains no entries", WARNING))
    for entry in entries:
        if entry.review_by < today:
            problems.append(
                Problem(
                    display_path(entry.path, path),
                    "review_by",
                    f"review was due on {entry.review_by} (owner: {entry.owner})",
                    WARNING,
                )
            )
    synonyms = find_synonyms(path)
    if synonyms is not None:
        problems.extend(read_synonyms(synonyms, path)[1])
    off_topic_file = find_off_topic(path)
    if off_topic_file is not None:
        groups, found = read_off_topic(off_topic_file, path)
        problems.extend(found)
        owner = {phrasing_key(q): e.id for e in entries for q in e.questions}
        shown = display_path(off_topic_file, path)
        for group in groups:
            for i, question in enumerate(group.questions):
                if phrasing_key(question) in owner:
                    problems.append(
                        Problem(
                            shown,
                            f"{group.id}.questions[{i}]",
                            f"{question!r} is a phrasing of entry {owner[phrasing_key(question)]!r}",
                        )
                    )
    return problems


def main(argv: list[str] | None = None) -> int:
    """Print the problems of a KB folder and a summary; 1 when there are errors."""
    parser = argparse.ArgumentParser(prog="python -m knowledge_base.check", description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_KB_PATH, help="folder of entry files")
    args = parser.parse_args(argv)
    problems = check_kb(args.path, date.today())
    for problem in problems:
        print(f"{problem.level}: {problem}")
    n_errors = sum(p.level == ERROR for p in problems)
    n_warnings = len(problems) - n_errors
    print(f"{args.path}: {n_errors} error(s), {n_warnings} warning(s)")
    return 1 if n_errors else 0


if __name__ == "__main__":
    sys.exit(main())
