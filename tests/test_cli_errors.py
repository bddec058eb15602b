"""Failures a user or operator can cause end in one clear line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import FIXTURE_KB
from tests.e2e.fake_slack import FakeSlack

FIXTURES = Path(__file__).resolve().parent / "fixtures"

COHORT = """\
teams:
  - name: Krachtteam Bouw
    members:
      - {id: U01, name: Anna}
    sprints:
      - name: Sprint 1
        start: 2026-12-01
        end: 2026-12-19
        deadlines:
          - {title: Concept plan, due: "2026-12-11 17:00", owners: team}
"""


def one_line(err: str) -> str:
    """The single line on stderr (fails when there are more, or a traceback)."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def team(run_cli, tmp_path: Path) -> str:  # noqa: ANN001
    """A team in the test database, imported through the CLI."""
    path = tmp_path / "cohort.yaml"
    path.write_text(COHORT, encoding="utf-8")
    assert run_cli("teams", "import", str(path))[0] == 0
    return "Krachtteam Bouw"


def test_an_impossible_date_in_yaml_is_one_line_with_its_line_number(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "bad.yaml"
    path.write_text(COHORT.replace("start: 2026-12-01", "start: 2026-02-31"), encoding="utf-8")
    code, _out, err = run_cli("teams", "import", str(path))
    assert code == 2
    line = one_line(err)
    assert "regel 6" in line and "`2026-02-31` bestaat niet als datum" in line and str(path) in line
    assert "date.impossible" not in line


@pytest.mark.parametrize("quoted", ['"2026-12-01"', "2026-12-01", "'1-12-2026'", "1 december 2026"])
def test_yaml_dates_quoted_or_not(run_cli, tmp_path: Path, quoted: str) -> None:  # noqa: ANN001
    path = tmp_path / "cohort.yaml"
    path.write_text(COHORT.replace("start: 2026-12-01", f"start: {quoted}"), encoding="utf-8")
    code, out, err = run_cli("teams", "import", str(path))
    assert code == 0, err
    assert "sprints: 1 nieuw" in out


def test_csv_with_2026_sprint_dates_imports(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "cohort.csv"
    path.write_text(
        "team,channel,sprint,sprint_start,sprint_end,title,due,owners\n"
        "Krachtteam Bouw,C0123,Sprint 1,2026-12-01,2026-12-19,Concept plan,2026-12-11 17:00,U01 U02\n"
        'Krachtteam Bouw,C0123,Sprint 1,2026-12-01,2026-12-19,Presentatie,"18-12-2026 12:00",team\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("teams", "import", str(path))
    assert code == 0, err
    assert "deadlines: 2 nieuw" in out and "members: 2 nieuw" in out


def test_an_impossible_date_in_csv_names_its_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "cohort.csv"
    path.write_text(
        "team,sprint,sprint_start,sprint_end,title,due,owners\n"
        "A,S,2026-12-01,2026-12-19,ok,2026-12-11 17:00,team\n"
        "A,T,31-02-2027,2027-03-19,bad,2027-03-11,team\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli("teams", "import", str(path))
    assert code == 2
    assert "regel 3" in one_line(err) and "`31-02-2027` bestaat niet als datum" in err


@pytest.mark.parametrize(
    "target, problem",
    [("/nonexistent/x.ics", "bestaat niet"), ("{tmp}", "is een map"), ("/etc/passwd/x.ics", "geen map")],
)
def test_deadline_export_to_a_bad_path(run_cli, team: str, tmp_path: Path, target: str, problem: str) -> None:  # noqa: ANN001
    target = target.format(tmp=tmp_path)
    code, _out, err = run_cli("deadlines", "export", "--ical", team, "-o", target)
    assert code == 2
    line = one_line(err)
    assert target in line and problem in line


def test_checkins_export_to_a_missing_folder(run_cli) -> None:  # noqa: ANN001
    code, _out, err = run_cli("checkins", "export", "--csv", "-o", "/nonexistent/x.csv")
    assert code == 2
    assert "/nonexistent/x.csv: bestaat niet" in one_line(err)


@pytest.mark.parametrize(
    "variable, value, expected",
    [
        ("DATABASE_URL", "postgresql://u:geheim@127.0.0.1:1/x", "niet gebruiken"),
        ("DATABASE_URL", "mysql://u@127.0.0.1/x", "SQLite of PostgreSQL"),
        ("DATABASE_URL", "lefbot.db", "SQLite of PostgreSQL"),
        ("DATABASE_URL", "sqlite:////etc/passwd/x.db", "is een bestand"),
        ("LEFBOT_DATA_DIR", "/etc/passwd/data", "is een bestand"),
        ("KB_PATH", "/does/not/exist", "geen map"),
        ("KB_PATH", str(FIXTURES / "kb_broken"), "lefbot kb check"),
        ("HOLIDAYS_OFF", "carnaval", "onbekende feestdag"),
        ("TIMEZONE", "Mars/Olympus", "IANA"),
    ],
)
def test_operator_mistakes_name_the_variable(
    run_cli,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    expected: str,  # noqa: ANN001
) -> None:
    monkeypatch.setenv(variable, value)
    code, _out, err = run_cli("nudges", "plan")
    assert code == 2
    line = one_line(err)
    assert variable in line and expected in line
    assert "geheim" not in line  # never a password


def test_an_unreadable_cohort_file_is_one_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    code, _out, err = run_cli("teams", "import", str(tmp_path))
    assert code == 2
    assert str(tmp_path) in one_line(err)


# -- start-up on Slack: a wrong token says so in one line (a real process against the fake Slack Web API) --


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def start(env: dict[str, str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env={**env, "KB_PATH": str(FIXTURE_KB), **extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "tokens, variable",
    [
        ({"SLACK_BOT_TOKEN": "xoxb-invalid", "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-invalid"}, "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-invalid", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_a_refused_slack_token_is_one_line_at_start(
    env: dict[str, str], slack: FakeSlack, tokens: dict[str, str], variable: str
) -> None:
    result = start(env, SLACK_API_URL=slack.api_url, **tokens)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert variable in line and "invalid_auth" in line and "weigert" in line
    assert slack.calls_to("auth.test", ok_only=False)


def test_unreachable_slack_names_slack_api_url(env: dict[str, str]) -> None:
    result = start(env, SLACK_API_URL="http://127.0.0.1:1/api/", SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1")
    assert result.returncode == 2
    assert "SLACK_API_URL" in one_line(result.stderr)


def test_a_missing_cohort_file_is_one_line(run_cli) -> None:  # noqa: ANN001
    code, _out, err = run_cli("teams", "import", "/nonexistent/cohort.yaml")
    assert code == 2
    assert "/nonexistent/cohort.yaml: bestaat niet" in one_line(err)


@pytest.mark.parametrize("argv", [("checkins", "plan", "--days", "999999999"), ("kb", "unanswered", "--days", "10**9")])
def test_out_of_range_numbers_are_refused_by_the_parser(run_cli, argv: tuple[str, ...]) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as info:
        run_cli(*argv)
    assert info.value.code == 2


def test_a_question_that_is_not_utf8_is_answered(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json"], input=b"\xff\xfehoi\n", capture_output=True, env=env
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b'"outcome"' in result.stdout


@pytest.mark.parametrize("mode", [{"SLACK_SIGNING_SECRET": "s"}, {"SLACK_APP_TOKEN": "xapp-1"}])
def test_an_unreachable_database_at_start_is_one_line(
    env: dict[str, str], slack: FakeSlack, mode: dict[str, str]
) -> None:
    result = start(
        env, SLACK_API_URL=slack.api_url, SLACK_BOT_TOKEN="xoxb-1", DATABASE_URL="postgresql://u@127.0.0.1:1/x", **mode
    )
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "DATABASE_URL" in line and "127.0.0.1:1" in line


@pytest.mark.parametrize(
    "exc, expected",
    [
        (PermissionError(13, "Permission denied", "/srv/x.csv"), "/srv/x.csv: geen toegang (rechten)"),
        (OSError(28, "No space left on device", "/srv/x.csv"), "/srv/x.csv: de schijf is vol"),
        (OSError(30, "Read-only file system", "/srv/x.csv"), "alleen gelezen"),
    ],
)
def test_file_problems_are_said_in_dutch_with_the_file(exc: OSError, expected: str) -> None:
    from bot.cli import os_problem

    assert expected in os_problem(exc) and "\n" not in os_problem(exc)


@pytest.mark.parametrize("url", ["mysql://u@127.0.0.1/x", "oracle://u@h/x", "not a url"])
def test_the_database_layer_refuses_urls_it_cannot_use_in_words(url: str) -> None:
    from bot.db import DatabaseError, make_engine

    with pytest.raises(DatabaseError, match="DATABASE_URL"):
        make_engine(url)
