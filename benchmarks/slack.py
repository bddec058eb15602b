"""Slack HTTP mode under load: signed events per second end to end, and ack latency, against a bare Bolt app.

Both servers run under gunicorn (1 worker, gthread) and post to the same fake Slack Web API; 20 senders
post signed DM events concurrently. "Answered/s" counts events until the fake received every answer.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import bot_env, free_port, start_bot, stop_bot  # noqa: E402
from tests.e2e.fake_slack import FakeSlack  # noqa: E402
from tests.e2e.slack_requests import SlackSender, dm  # noqa: E402

SENDERS = 20
EVENTS = int(os.environ.get("BENCH_SLACK_EVENTS", "600"))
WARMUP = 40
QUESTIONS = ["Wat is een krachtteam?", "Hoe lang duurt een sprint?", "Hoe bereik ik een procesbegeleider?",
             "Hoeveel kost een fiets?"]


def start_bare(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """The baseline: a bare Bolt app under the same gunicorn settings."""
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{env['PORT']}", "--workers", "1",
               "--worker-class", "gthread", "--threads", "8", "--chdir", str(ROOT), "--no-control-socket",
               "benchmarks.bare_bolt:application"]
    log = log_path.open("wb")
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    sender = SlackSender(f"http://127.0.0.1:{env['PORT']}", env["SLACK_SIGNING_SECRET"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log_path.read_text())
        try:
            sender.get("/")
            return process
        except OSError:
            time.sleep(0.05)  # polling until gunicorn listens
    raise RuntimeError("baseline did not start")


def load(sender: SlackSender, fake: FakeSlack, count: int, prefix: str) -> tuple[float, list[float]]:
    """Send `count` events from SENDERS threads; (answered per second, ack latencies in seconds)."""
    fake.reset()
    events = [dm(QUESTIONS[i % len(QUESTIONS)], user=f"U{prefix}{i}", channel=f"D{prefix}{i:05d}")
              for i in range(count)]
    start = time.perf_counter()
    with ThreadPoolExecutor(SENDERS) as pool:
        responses = list(pool.map(lambda e: sender.event(e, event_id=f"Ev{uuid.uuid4().hex}"), events))
    bad = [r.status for r in responses if r.status != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} requests failed: {bad[:5]}")
    fake.wait_for("chat.postMessage", count=count, timeout=300)
    elapsed = time.perf_counter() - start
    return count / elapsed, [r.seconds for r in responses]


def measure(name: str, sender: SlackSender, fake: FakeSlack) -> dict[str, float]:
    """Warm up, then one measured run."""
    load(sender, fake, WARMUP, name[:1] + "w")
    rate, acks = load(sender, fake, EVENTS, name[:1] + "m")
    acks.sort()
    return {"rate": rate, "p50": statistics.median(acks) * 1000, "p95": acks[int(len(acks) * 0.95) - 1] * 1000}


def main() -> int:
    """Run both servers against one fake and print the comparison."""
    fake = FakeSlack().start()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        env = bot_env(fake, f"sqlite:///{home / 'bench.db'}", free_port(), home / "data")
        env["LOG_LEVEL"] = "WARNING"
        process = start_bot(env, home, home / "lefbot.log")
        try:
            results["lefbot"] = measure("lefbot", SlackSender(f"http://127.0.0.1:{env['PORT']}", env[
                "SLACK_SIGNING_SECRET"]), fake)
        finally:
            stop_bot(process)
        bare_env = {**env, "PORT": str(free_port()), "PYTHONPATH": str(ROOT)}
        bare = start_bare(bare_env, home / "bare.log")
        try:
            results["bare Bolt"] = measure("bare", SlackSender(f"http://127.0.0.1:{bare_env['PORT']}", env[
                "SLACK_SIGNING_SECRET"]), fake)
        finally:
            stop_bot(bare)
    fake.stop()
    print(f"Slack HTTP mode: {EVENTS} signed DM events, {SENDERS} concurrent senders, gunicorn 1 worker x 8 threads")
    print(f"{'server':<10} {'answered/s':>11} {'ack p50 ms':>11} {'ack p95 ms':>11}")
    for name, r in results.items():
        print(f"{name:<10} {r['rate']:>11.0f} {r['p50']:>11.1f} {r['p95']:>11.1f}")
    ours, base = results["lefbot"], results["bare Bolt"]
    print(f"ratio lefbot/bare: throughput {ours['rate'] / base['rate']:.2f}x, "
          f"ack p50 {ours['p50'] / base['p50']:.2f}x, ack p95 {ours['p95'] / base['p95']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
