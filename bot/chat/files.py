"""An optional port for sending a file (e.g. a CSV export) to a user; adapters that can, implement it."""

from __future__ import annotations

from typing import Protocol


class FileUploader(Protocol):
    """Sends a text file to a user in a direct message."""

    def upload(self, user_id: str, filename: str, content: str, title: str) -> None:
        """Upload `content` as `filename`; raises MessengerError when it fails."""
        ...
