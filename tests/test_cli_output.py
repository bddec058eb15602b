"""CLI output a person reads: local times with their zone, clear refusals, help pages, no logging by evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

COHORT = """\
teams:
  - name: Krachtteam Bouw
    channel: C0123ABC
    process_supporters: [U0SUP]
    members:
      - {id: U01, name: Anna, timezone: Europe/Amsterdam}
      - {id: U02, name: Bram, timezone: America/New_York}
    checkins: {days: [monday, thursday], time: "09:30", summary: "16:00"}
    sprints:
      - name: Sprint 9
        goal: Een gedragen plan
        start: 2027-03-01
        end: 2027-03-31
        deadlines:
          - {title: Concept plan, due: "2027-03-12 17:00", owners: [U01, U02]}
"""
UNKNOWN = "Waar staat de koffieautomaat op de vierde verdieping?"


@pytest.fixture
def cohort(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "cohort.yaml"
    path.write_text(COHORT, encoding="utf-8")
    assert run_cli("teams", "import", str(path))[0] == 0


def test_checkins_plan_from_shows_local_times_with_dutch_weekdays(run_cli, cohort) -> None:  # noqa: ANN001
    code, out, err = run_cli("checkins", "plan", "--from", "2027-03-08", "--days", "4")
    assert code == 0, err
    assert out.splitlines() == [
        "ma 08-03-2027 09:30 CET (Europe/Amsterdam)  Krachtteam Bouw → Anna (U01)",
        "ma 08-03-2027 09:30 EST (America/New_York)  Krachtteam Bouw → Bram (U02)",
        "do 11-03-2027 09:30 CET (Europe/Amsterdam)  Krachtteam Bouw → Anna (U01)",
        "do 11-03-2027 09:30 EST (America/New_York)  Krachtteam Bouw → Bram (U02)",
    ]
    assert "vanaf ma 08-03 00:00 CET" in err and "Wed" not in out


def test_nudges_plan_from_a_later_moment_drops_what_is_past(run_cli, cohort) -> None:  # noqa: ANN001
    _, before, _ = run_cli("nudges", "plan", "--from", "2027-03-09T12:00")
    _, later, _ = run_cli("nudges", "plan", "--from", "2027-03-12T12:00")
    assert "ma 15-03-2027 09:30 CET (Europe/Amsterdam)  Krachtteam Bouw · Concept plan · overdue → Anna" in later
    assert "di 09-03-2027" in before and "di 09-03-2027" not in later
    assert "ma 15-03-2027 09:30 EDT (America/New_York)" in later  # New York is on summer time by then
    assert run_cli("nudges", "plan", "--from", "volgende week")[0] == 2


@pytest.mark.parametrize(("option", "value"), [("--limit", "-1"), ("--days", "-5"), ("--days", "0")])
def test_negative_limits_are_refused(run_cli, capsys, option: str, value: str) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as info:  # argparse refuses it: usage and one error line, exit 2
        run_cli("kb", "unanswered", option, value)
    assert info.value.code == 2
    assert f"argument {option}: verwacht een heel getal van 1 tot en met" in capsys.readouterr().err


def test_ask_does_not_log_unless_asked(run_cli) -> None:  # noqa: ANN001
    assert run_cli("ask", "--json", UNKNOWN)[0] == 0
    assert run_cli("kb", "unanswered")[1].startswith("0 vraag")
    assert run_cli("ask", "--log", UNKNOWN)[0] == 0
    _, listed, _ = run_cli("kb", "unanswered")
    assert "koffieautomaat" in listed and "1 vraag" in listed


def test_resolve_closes_unanswered_items(run_cli) -> None:  # noqa: ANN001
    run_cli("ask", "--log", UNKNOWN)
    _, listed, _ = run_cli("kb", "unanswered")
    first = listed.splitlines()[0]
    assert first.startswith("#") and " CET " in first or " CEST " in first
    item = first.split()[0][1:]
    assert run_cli("kb", "unanswered", "resolve", item)[:2] == (0, f"afgehandeld: {item}\n")
    assert run_cli("kb", "unanswered")[1].startswith("0 vraag")
    assert "resolved" in run_cli("kb", "unanswered", "--all")[1]
    code, _out, err = run_cli("kb", "unanswered", "resolve", "99999")
    assert code == 1 and "99999" in err
    assert run_cli("kb", "unanswered", "resolve", "abc")[0] == 2


def test_a_new_database_is_announced(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # noqa: ANN001
    target = tmp_path / "elders" / "nieuw.db"
    target.parent.mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    _code, _out, err = run_cli("nudges", "plan")
    assert f"nieuwe, lege database {target}" in err and "LEFBOT_DATA_DIR" in err
    assert "nieuwe" not in run_cli("nudges", "plan")[2]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("nudges", "plan"), "Every nudge still to come"),
        (("kb", "check"), "Validate the knowledge base"),
        (("teams", "import"), "CSV: one deadline per row"),
        (("kb", "unanswered"), "resolve 12 15"),
    ],
)
def test_sub_command_help_has_a_description(run_cli, capsys, argv: tuple[str, ...], expected: str) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit):
        run_cli(*argv, "--help")
    assert expected in capsys.readouterr().out


def test_import_errors_say_what_is_wrong_in_words(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "old.yaml"
    path.write_text(COHORT.replace('"2027-03-12 17:00"', '"2019-03-12 17:00"'), encoding="utf-8")
    code, _out, err = run_cli("teams", "import", str(path))
    assert code == 2 and "`2019-03-12` ligt meer dan drie jaar in het verleden" in err
    assert "(date." not in err and "too_far" not in err
