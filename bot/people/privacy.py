"""Personal data: pseudonyms, and what members can see and erase about themselves (AVG)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo

from sqlmodel import col, delete, select

from bot.answering.models import Question
from bot.calendar.dates import local_stamp
from bot.chat.commands import CommandContext
from bot.chat.replies import Button, Reply
from bot.db import Database
from bot.texts import t

Exporter = Callable[[str], list[str]]
Eraser = Callable[[str], int]
Warner = Callable[[str, str], list[str]]  # (user id, language) -> what erasing would break, in words


def pseudonym(secret_key: str, user_id: str) -> str:
    """HMAC-SHA256 of the user id with the secret key, hex encoded."""
    return hmac.new(secret_key.encode(), user_id.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class DataKind:
    """One kind of personal data a feature keeps, with how to show and erase it."""

    name: str
    export: Exporter
    erase: Eraser


class PrivacyService:
    """Collects every feature's personal data for `/lef mijn gegevens` and `/lef vergeet mij`."""

    def __init__(self, db: Database, secret_key: str) -> None:
        self.db = db
        self.secret_key = secret_key
        self.kinds: list[DataKind] = []
        self.warners: list[Warner] = []
        self.tz: tzinfo = UTC  # the zone times are shown in; the core's TIMEZONE once features register
        self.register("questions", self._export_questions, self._erase_questions)

    def register(self, name: str, export: Exporter, erase: Eraser) -> None:
        """Add a feature's personal data."""
        self.kinds.append(DataKind(name, export, erase))

    def _export_questions(self, user_id: str) -> list[str]:
        asker = pseudonym(self.secret_key, user_id)
        with self.db.session() as s:
            rows = s.exec(select(Question).where(Question.asker == asker).order_by(col(Question.asked_at))).all()
        return [f"{local_stamp(q.asked_at, self.tz, year=True)} · {q.outcome} · {q.text[:200]}" for q in rows]

    def _erase_questions(self, user_id: str) -> int:
        asker = pseudonym(self.secret_key, user_id)
        with self.db.session() as s:
            result = s.exec(delete(Question).where(Question.asker == asker))
        return result.rowcount or 0

    def export(self, user_id: str) -> dict[str, list[str]]:
        """Everything kept about a user, per kind."""
        return {kind.name: kind.export(user_id) for kind in self.kinds}

    def erase(self, user_id: str) -> dict[str, int]:
        """Erase everything kept about a user, per kind the number of records.

        Kinds are erased in reverse order of registration: a later feature's records (check-in answers)
        may hang off an earlier one's (the member), so they are counted before a cascade removes them.
        """
        counts = {kind.name: kind.erase(user_id) for kind in reversed(self.kinds)}
        return {kind.name: counts[kind.name] for kind in self.kinds}

    def my_data(self, ctx: CommandContext, _rest: str) -> Reply:
        """`/lef mijn gegevens`: show what is kept about the user."""
        data = self.export(ctx.user_id)
        lines = [t("privacy.title", ctx.lang)]
        for name, items in data.items():
            lines.append(f"**{t(f'privacy.kind.{name}', ctx.lang)}** ({len(items)})")
            lines += [f"• {item}" for item in items[:20]]
            if len(items) > 20:
                lines.append(t("privacy.more", ctx.lang, count=len(items) - 20))
        lines.append(t("privacy.how_to_erase", ctx.lang))
        text = "\n".join(lines)
        return Reply(text=text, body=text, private=True)

    def forget_me(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef vergeet mij`: ask for confirmation, then erase."""
        warnings = [line for warn in self.warners for line in warn(ctx.user_id, ctx.lang)]
        body = "\n".join([*warnings, t("privacy.confirm", ctx.lang)])
        button = Button(t("privacy.confirm_button", ctx.lang), "privacy_erase", ctx.user_id, "danger")
        return Reply(text=body, body=body, buttons=(button,), private=True)

    def erase_confirmed(self, ctx: CommandContext, value: str) -> Reply:
        """The confirmation click: only the user themself can erase their data."""
        if value != ctx.user_id:
            return Reply(t("answer.not_yours", ctx.lang), private=True)
        counts = self.erase(ctx.user_id)
        return Reply(t("privacy.erased", ctx.lang, count=sum(counts.values())), private=True)
