"""Neutral form values (a modal on Slack): fields with labels, limits and current values."""

from __future__ import annotations

from dataclasses import dataclass, field

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
