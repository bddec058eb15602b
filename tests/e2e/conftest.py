"""End-to-end fixtures: a fake Slack Web API and the real bot (`lefbot run --http`) in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.db import Database
from tests.conftest import fresh_database
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SlackSender

FIXTURE_KB = Path(__file__).resolve().parent / "fixtures" / "kb"
SIGNING_SECRET = "e2e-signing-secret-0123456789"
SUPPORT_CHANNEL = "C0SUPPORT"
READY_SECONDS = 60


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_database_url(_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One fresh migrated database for the bot under test (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""
    folder = tmp_path_factory.mktemp("e2e")
    with fresh_database(_template, f"lefbot_e2e_{uuid.uuid4().hex[:8]}", folder) as url:
        yield url


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack Web API, serving for the whole session."""
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def bot_env(fake: FakeSlack, database_url: str, port: int, data_dir: Path) -> dict[str, str]:
    """The environment of the bot under test: HTTP mode against the fake."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "e2e-secret-key-0123456789",
        "LEFBOT_DATA_DIR": str(data_dir),
        "KB_PATH": str(FIXTURE_KB),
        "SLACK_BOT_TOKEN": "xoxb-e2e-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "PORT": str(port),
        "SUPPORT_CHANNEL": SUPPORT_CHANNEL,
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def start_bot(env: dict[str, str], cwd: Path, log_path: Path) -> subprocess.Popen:
    """Start `lefbot run --http` and wait until /healthz answers 200."""
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--http"], env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
    )
    sender = SlackSender(f"http://127.0.0.1:{env['PORT']}", env["SLACK_SIGNING_SECRET"])
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        try:
            if sender.get("/healthz").status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.05)  # polling the health check until the server listens
    process.terminate()
    raise RuntimeError(f"the bot did not become healthy:\n{log_path.read_text()[-4000:]}")


def stop_bot(process: subprocess.Popen) -> None:
    """Stop gracefully (SIGTERM, as a platform does), kill when stuck."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def bot_server(
    fake_slack: FakeSlack, e2e_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackSender]:
    """The real bot in HTTP mode; yields a sender for signed requests."""
    home = tmp_path_factory.mktemp("bot")
    env = bot_env(fake_slack, e2e_database_url, free_port(), home / "data")
    log_path = home / "bot.log"
    process = start_bot(env, home, log_path)
    try:
        sender = SlackSender(f"http://127.0.0.1:{env['PORT']}", SIGNING_SECRET)
        sender.log_path = log_path
        yield sender
    finally:
        stop_bot(process)
        text = log_path.read_text(errors="replace")
        if "Traceback" in text:
            print(text[-6000:])


@pytest.fixture
def slack(bot_server: SlackSender, fake_slack: FakeSlack) -> SlackSender:
    """The sender, with the fake's recordings cleared for this test."""
    fake_slack.reset()
    return bot_server


@pytest.fixture(scope="session")
def e2e_db(e2e_database_url: str) -> Iterator[Database]:
    """Direct access to the bot's database, to check what it stored."""
    database = Database(e2e_database_url)
    yield database
    database.dispose()
