"""Shared state of the check-in service: database, clock, settings, messenger, and small helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.checkin_models import CheckinConversation
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.forms import Submitted as Submitted  # re-exported: check-ins and deadlines share it
from bot.messenger import Messenger
from bot.services.calendar import configured_holidays
from bot.team_models import Member, OutOfOffice

LATER = timedelta(hours=1)
SUMMARY_GRACE = timedelta(hours=12)
CONVERSATION_TTL = timedelta(hours=20)
STOP_WORDS = frozenset({"stop", "stoppen", "annuleer", "cancel", "/stop"})
FORM_ID = "checkin_form"


class CheckinBase:
    """What every part of the check-in service needs."""

    def __init__(
        self, db: Database, clock: Clock, settings: Settings, messenger: Callable[[], Messenger | None]
    ) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self._messenger = messenger
        self.holidays = configured_holidays(settings.holidays_off)

    @property
    def messenger(self) -> Messenger | None:
        """The messenger of the running adapter, if any."""
        return self._messenger()

    def _start_conversation(self, s: Session, user_id: str, round_id: int, now: datetime, draft: str = "[]") -> None:
        conv = s.get(CheckinConversation, user_id) or CheckinConversation(
            user_id=user_id, round_id=round_id, updated_at=now
        )
        conv.round_id, conv.step, conv.draft, conv.updated_at = round_id, 0, draft, now
        s.add(conv)

    def _step(self, s: Session, user_id: str, round_id: int) -> int:
        conv = s.get(CheckinConversation, user_id)
        return conv.step if conv and conv.round_id == round_id else 0

    def _calendar(self, member: Member):  # noqa: ANN202
        from bot.services.calendar import member_calendar

        with self.db.session() as s:
            away = s.exec(select(OutOfOffice).where(OutOfOffice.member_id == member.id)).all()
        return member_calendar(member, away, self.holidays)
