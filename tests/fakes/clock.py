"""A controllable clock for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FrozenClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        """The frozen moment."""
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        """Move time forward."""
        self.current += delta
        return self.current

    def set(self, moment: datetime) -> None:
        """Jump to a moment (must be aware)."""
        assert moment.tzinfo is not None
        self.current = moment
