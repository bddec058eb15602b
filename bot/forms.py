"""Neutral form values (a modal on Slack): fields with labels, limits and current values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormField:
    """One input: `kind` text (multi-line), line (one line) or scale (choose 1..5)."""

    field_id: str
    label: str
    kind: str = "text"
    initial: str = ""
    required: bool = True
    max_length: int = 3000
    hint: str = ""


@dataclass(frozen=True)
class Form:
    """A form to fill in; `form_id` and `metadata` come back with the submission."""

    form_id: str
    title: str
    submit: str
    close: str
    fields: tuple[FormField, ...]
    metadata: str = ""
