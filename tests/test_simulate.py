"""`lefbot simulate`: every message of a hand-checked week (Good Friday, Easter Monday, the switch to summer time)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db import Database

WEEK = Path(__file__).parent / "fixtures" / "simulate_week.yaml"

# Wed 24-03-2027 00:00 CET up to Wed 31-03-2027 00:00 CEST. Hand-checked:
# - check-ins on Mondays and Thursdays at 09:30: Thursday 25-03 (CET), not Monday 29-03 (Easter Monday);
#   the reminder an hour before the 16:00 summary; the summary in the team channel;
# - the deadline (Tuesday 30-03 17:00): "1 working day before" is Thursday 25-03, because Friday 26-03 is
#   Good Friday and Monday 29-03 Easter Monday; "the day itself" on Tuesday 30-03 09:30, now summer time
#   (07:30 UTC instead of 08:30); the overdue nudge (Wednesday 31-03) is after the window;
# - the Monday overview moves to Tuesday 30-03, the first working morning of the week;
# - the digest for the supporter of two teams with check-ins: Monday 29-03 09:00 (summer time).
EXPECTED = [
    ("2027-03-25T09:30:00+01:00", "checkin", "", "DM U01 (Anna)"),
    ("2027-03-25T09:30:00+01:00", "nudge", "before", "DM U01 (Anna)"),
    ("2027-03-25T15:00:00+01:00", "reminder", "", "DM U01 (Anna)"),
    ("2027-03-25T16:00:00+01:00", "summary", "", "#C0123ABC"),
    ("2027-03-29T09:00:00+02:00", "digest", "", "DM U0SUP"),
    ("2027-03-30T09:30:00+02:00", "nudge", "day", "DM U01 (Anna)"),
    ("2027-03-30T09:30:00+02:00", "overview", "", "#C0123ABC"),
]


@pytest.fixture
def week(run_cli) -> None:  # noqa: ANN001
    assert run_cli("teams", "import", str(WEEK))[0] == 0


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        return {n: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names}


def test_a_hand_checked_week(run_cli, week, db: Database) -> None:  # noqa: ANN001
    before = _counts(db)
    code, out, err = run_cli("simulate", "--from", "2027-03-24", "--days", "7", "--json")
    assert code == 0, err
    found = [json.loads(line) for line in out.splitlines()]
    assert [(x["at"], x["kind"], x["detail"], x["recipient"]) for x in found] == EXPECTED
    assert found[1]["text"] == "Herinnering: Concept plan (Krachtteam Bouw) moet af op dinsdag 30 maart om 17:00."
    assert found[3]["text"] == "Check-in Krachtteam Bouw — 25-3-2027"
    assert _counts(db) == before  # nothing sent, nothing written


def test_text_output_shows_local_time_with_zone(run_cli, week) -> None:  # noqa: ANN001
    code, out, err = run_cli("simulate", "--from", "2027-03-24", "--days", "7", "--team", "Krachtteam Bouw")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 7 and "7 bericht(en)" in err and "niets verstuurd" in err
    assert lines[0].startswith("do 25-03-2027 09:30 CET  checkin")
    assert lines[-1].startswith("di 30-03-2027 09:30 CEST  overview") and "Weekoverzicht Krachtteam Bouw" in lines[-1]


def test_a_team_filter_and_refusals(run_cli, week) -> None:  # noqa: ANN001
    _, out, _ = run_cli("simulate", "--from", "2027-03-24", "--days", "7", "--team", "Krachtteam Water", "--json")
    assert [json.loads(line)["kind"] for line in out.splitlines()] == ["digest"]
    assert run_cli("simulate", "--team", "Bestaat niet")[0] == 2
    with pytest.raises(SystemExit) as refused:  # argparse: usage and one error line
        run_cli("simulate", "--days", "0")
    assert refused.value.code == 2
    assert run_cli("simulate", "--from", "morgen")[0] == 2
