"""The `lefbot` command, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

QUESTIONS = ["Wat is het doel voor 2030 met grondstoffen?", "hoi", "Hoe vraag ik een nieuwe laptop aan?", ""]


def lefbot(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_ask_json_has_the_stable_shape(env: dict[str, str]) -> None:
    result = lefbot(env, "ask", "--json", "Wat is het doel voor 2030 met grondstoffen?")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    obj = json.loads(line)
    assert set(obj) == {"outcome", "answer", "entry", "score", "candidates", "sources"}
    assert obj["outcome"] == "answer" and obj["entry"] == "doel-2030-2050"
    assert isinstance(obj["score"], float) and 0 <= obj["score"] <= 1
    assert all(url.startswith("http") for url in obj["sources"])
    assert "helft" in obj["answer"].lower()


def test_ask_json_reads_stdin_one_object_per_line_in_order(env: dict[str, str]) -> None:
    result = lefbot(env, "ask", "--json", stdin="\n".join(QUESTIONS) + "\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == len(QUESTIONS)
    assert [o["outcome"] for o in objects] == ["answer", "smalltalk", "unknown", "smalltalk"]
    assert objects[2]["entry"] is None


def test_ask_plain_prints_the_answer(env: dict[str, str]) -> None:
    result = lefbot(env, "ask", "Wat", "is", "een", "krachtteam?")
    assert result.returncode == 0
    assert "krachtteam" in result.stdout.lower() and "Bronnen" in result.stdout
    assert "Wat is een krachtteam" not in result.stderr


def test_chat_reads_piped_questions(env: dict[str, str]) -> None:
    result = lefbot(env, "chat", stdin="Wat is het doel voor 2030 met grondstoffen?\n")
    assert result.returncode == 0, result.stderr
    assert "helft" in result.stdout.lower()


def test_kb_check_and_stats_on_the_bundled_knowledge_base(env: dict[str, str]) -> None:
    check = lefbot(env, "kb", "check")
    assert check.returncode == 0, check.stdout
    assert "0 fout(en)" in check.stdout
    stats = lefbot(env, "kb", "stats")
    assert stats.returncode == 0 and "entries" in stats.stdout


def test_db_upgrade(env: dict[str, str]) -> None:
    result = lefbot(env, "db", "upgrade")
    assert result.returncode == 0 and "up to date" in result.stdout


@pytest.mark.parametrize(("name", "value"), [("TIMEZONE", "Nowhere/Land"), ("DATABASE_URL", "not a url")])
def test_config_error_is_one_line_and_no_traceback(env: dict[str, str], name: str, value: str) -> None:
    result = lefbot({**env, name: value}, "ask", "hoi")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]
    assert "Traceback" not in result.stderr


def test_kb_unanswered_lists_what_the_bot_could_not_answer(env: dict[str, str]) -> None:
    lefbot(env, "ask", "--log", "Waar staat de koffieautomaat op de vierde verdieping?")
    plain = lefbot(env, "kb", "unanswered")
    assert plain.returncode == 0, plain.stderr
    assert "koffieautomaat" in plain.stdout and "unknown" in plain.stdout and "1 vraag" in plain.stdout
    as_json = lefbot(env, "kb", "unanswered", "--json")
    (obj,) = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert obj["reason"] == "unknown" and obj["status"] == "open" and "koffieautomaat" in obj["text"]
    assert set(obj) == {"asked_at", "text", "reason", "status", "entry_id", "suggested", "id"}
