"""Pseudonyms: what the bot stores instead of platform user ids in analytics."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret_key: str, user_id: str) -> str:
    """HMAC-SHA256 of the user id with the secret key, hex encoded."""
    return hmac.new(secret_key.encode(), user_id.encode(), hashlib.sha256).hexdigest()
