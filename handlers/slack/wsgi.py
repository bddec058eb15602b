"""`gunicorn handlers.slack.wsgi:application`: the HTTP mode app built from the environment (and .env)."""

from __future__ import annotations

from bot.config import load_settings
from handlers.slack.web import create_wsgi_app

application = create_wsgi_app(load_settings())
application.core.answering.questions.start()  # type: ignore[attr-defined]  # the question log off the answer path
