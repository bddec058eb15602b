"""Neutral form values (a modal on Slack): fields with labels, limits and current values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.chat.commands import CommandContext
from bot.chat.replies import Reply


@dataclass(frozen=True)
class FormField:
    """One input: `kind` text (multi-line), line (one line), scale (choose 1..5), choice (one of `options`), users."""

    field_id: str
    label: str
    kind: str = "text"
    initial: str = ""
    required: bool = True
    max_length: int = 3000
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for kind "choice"


@dataclass(frozen=True)
class Form:
    """A form to fill in; `form_id` and `metadata` come back with the submission."""

    form_id: str
    title: str
    submit: str
    close: str
    fields: tuple[FormField, ...]
    metadata: str = ""


@dataclass(frozen=True)
class Submitted:
    """The outcome of a submission: per-field errors (nothing stored), or the reply to show."""

    errors: dict[str, str] = field(default_factory=dict)
    reply: Reply | None = None


FormBuilder = Callable[[CommandContext, str], Form | Reply]
FormSubmitter = Callable[[CommandContext, str, dict[str, str]], Submitted]


class FormRegistry:
    """Forms by id: the core builds and stores them; adapters only render a Form and parse the values back."""

    def __init__(self) -> None:
        self._forms: dict[str, tuple[FormBuilder, FormSubmitter]] = {}

    def register(self, form_id: str, build: FormBuilder, submit: FormSubmitter) -> None:
        """Register how to build form `form_id` (from a button value) and what submitting it does."""
        if form_id in self._forms:
            raise ValueError(f"form {form_id!r} registered twice")
        self._forms[form_id] = (build, submit)

    def ids(self) -> list[str]:
        """Every registered form id."""
        return list(self._forms)

    def open(self, form_id: str, ctx: CommandContext, value: str = "") -> Form | Reply:
        """The form to show, or a Reply saying (privately) why not."""
        return self._forms[form_id][0](ctx, value)

    def submit(self, form_id: str, ctx: CommandContext, metadata: str, values: dict[str, str]) -> Submitted:
        """Validate and store a submission (committed before this returns): errors per field, or the reply."""
        return self._forms[form_id][1](ctx, metadata, values)
