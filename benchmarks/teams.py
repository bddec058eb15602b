"""Teams under load: `lefbot run --teams` against the bare Agents SDK app (benchmarks/bare_teams.py), end to end.

Both run anonymously under the same aiohttp settings (one process, backlog 512) and reply to one fake connector
(tests/teams/fake_connector.py) on 127.0.0.1. CLIENTS threads, each on one keep-alive connection, post Teams-shaped
1:1 messages with the questions of tests/eval/dev.yaml (lefbot answers them from the bundled knowledge base, on
SQLite). A round ends when the connector has received every answer (typing indicators left out). Rounds alternate
between the two servers; each reports activities/s and server CPU per activity (from /proc). Medians over rounds.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.teams.activities import Teams, TeamsUser  # noqa: E402
from tests.teams.fake_connector import FakeConnector  # noqa: E402
from tests.teams.harness import free_port, start_server, stop_server  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_TEAMS_CLIENTS", "8"))
ACTIVITIES = int(os.environ.get("BENCH_TEAMS_ACTIVITIES", "300"))
ROUNDS = int(os.environ.get("BENCH_TEAMS_ROUNDS", "3"))
WARMUP = 30
TICK = os.sysconf("SC_CLK_TCK")
QUESTIONS = [item["q"] for item in yaml.safe_load((ROOT / "tests" / "eval" / "dev.yaml").read_text())]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def post_all(port: int, bodies: list[bytes]) -> None:
    """POST the activities from CLIENTS threads, each on one keep-alive connection."""

    def worker(chunk: list[bytes]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for body in chunk:
            conn.request("POST", "/api/messages", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.status >= 400:
                raise RuntimeError(f"HTTP {response.status}")
        conn.close()

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(worker, [bodies[i::CLIENTS] for i in range(CLIENTS)]))


def one_round(port: int, pid: int, fake: FakeConnector, teams: Teams, count: int) -> tuple[float, float]:
    """Activities per second until every answer arrived, and CPU milliseconds per activity."""
    user = TeamsUser("Bench")
    conversation = teams.personal_conversation(user)
    bodies = [
        json.dumps(teams.personal_message(user, QUESTIONS[i % len(QUESTIONS)], conversation)).encode()
        for i in range(count)
    ]
    fake.reset()
    cpu, started = cpu_seconds(pid), time.perf_counter()
    post_all(port, bodies)
    fake.wait_for_activities(count, conversation["id"], timeout=300)
    elapsed = time.perf_counter() - started
    return count / elapsed, (cpu_seconds(pid) - cpu) * 1000 / count


def main() -> int:
    """lefbot and the bare app, alternating rounds, against one fake connector."""
    with FakeConnector() as fake, tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        teams = Teams(service_url=fake.url)
        base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        servers = {}
        commands = {
            "bare SDK app": [sys.executable, str(ROOT / "benchmarks" / "bare_teams.py")],
            "lefbot": [str(Path(sys.executable).parent / "lefbot"), "run", "--teams"],
        }
        env = {**base, "TEAMS_ALLOW_ANONYMOUS": "true", "LOG_LEVEL": "WARNING", "SECRET_KEY": "bench-secret-0123456789",
               "LEFBOT_DATA_DIR": str(home / "data"), "DATABASE_URL": f"sqlite:///{home / 'bench.db'}"}  # fmt: skip
        try:
            for name, command in commands.items():
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                process = start_server(
                    command, {**env, "PORT": str(port)}, home, home / f"{name}.log", url + "/healthz"
                )
                servers[name] = (port, process)
                one_round(port, process.pid, fake, teams, WARMUP)
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in servers}
            for _ in range(ROUNDS):
                for name, (port, process) in servers.items():
                    results[name].append(one_round(port, process.pid, fake, teams, ACTIVITIES))
        finally:
            for _port, process in servers.values():
                stop_server(process)
    rates = {name: statistics.median(r for r, _ in rounds) for name, rounds in results.items()}
    cpus = {name: statistics.median(c for _, c in rounds) for name, rounds in results.items()}
    for name in results:
        print(f"{name:>13}: {rates[name]:7.1f} activities/s answered, {cpus[name]:5.2f} ms CPU per activity "
              f"(median of {ROUNDS} rounds of {ACTIVITIES}, {CLIENTS} clients)")  # fmt: skip
    print(f"lefbot / bare: {rates['lefbot'] / rates['bare SDK app']:.2f}× the answered/s, "
          f"{cpus['lefbot'] / cpus['bare SDK app']:.2f}× the CPU per activity (SQLite)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
