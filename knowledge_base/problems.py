"""Problems found in knowledge-base files: file- and field-precise, error or warning."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding about one field of one file."""

    path: str
    field: str
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base has errors; `problems` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} knowledge-base error(s): {shown}{more}")


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that are errors."""
    return [p for p in problems if p.level == ERROR]


def checked(found: tuple[T, list[Problem]]) -> T:
    """What a reader found, or KnowledgeBaseError listing its errors (warnings pass)."""
    value, problems = found
    if errors(problems):
        raise KnowledgeBaseError(errors(problems))
    return value
