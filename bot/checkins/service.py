"""Check-ins: prompts, reminders, answers (form or one question per DM message), summaries and blockers.

The service is split by concern: sending (checkin_delivery) and answering (checkin_answering) on a shared
base (checkin_base). Every send is guarded by a claim key written in the transaction that decides to send.
"""

from __future__ import annotations

from bot.checkins.base import FORM_ID, Submitted
from bot.checkins.conversation import CheckinAnswering
from bot.checkins.delivery import CheckinDelivery

__all__ = ["FORM_ID", "CheckinService", "Submitted"]


class CheckinService(CheckinAnswering, CheckinDelivery):
    """The check-in feature, platform-neutral: plans from the database at `now` and sends through the Messenger."""
