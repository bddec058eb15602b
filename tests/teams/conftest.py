"""Teams fixtures: the fake connector service, the activity builder and the bare Agents SDK app as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.teams.activities import Teams
from tests.teams.fake_connector import FakeConnector
from tests.teams.harness import free_port, start_server, stop_server

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def connector_service() -> Iterator[FakeConnector]:
    """The fake connector, serving for the whole session."""
    with FakeConnector() as fake:
        yield fake


@pytest.fixture
def connector(connector_service: FakeConnector) -> FakeConnector:
    """The fake connector with its recordings cleared for this test."""
    connector_service.reset()
    return connector_service


@pytest.fixture
def teams(connector: FakeConnector) -> Teams:
    """Builds activities whose serviceUrl is the fake connector."""
    return Teams(service_url=connector.url)


@dataclass(frozen=True)
class Served:
    """A server under test: its base URL and its log file."""

    url: str
    log_path: Path


def serve(command: list[str], home: Path) -> tuple[Served, subprocess.Popen]:
    """Start a bot subprocess (anonymous) on a free port."""
    port = free_port()
    env = {"PATH": os.environ.get("PATH", ""), "PORT": str(port), "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)}
    log_path = home / "server.log"
    url = f"http://127.0.0.1:{port}"
    return Served(url, log_path), start_server(command, env, home, log_path, url + "/healthz")


@pytest.fixture(scope="session")
def card_bot_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """tests/teams/card_bot.py served anonymously on a free port."""
    served, process = serve([sys.executable, "-m", "tests.teams.card_bot"], tmp_path_factory.mktemp("card_bot"))
    try:
        yield served
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def bare_teams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """benchmarks/bare_teams.py served anonymously on a free port."""
    served, process = serve(
        [sys.executable, str(REPO / "benchmarks" / "bare_teams.py")], tmp_path_factory.mktemp("bare")
    )
    try:
        yield served
    finally:
        stop_server(process)
