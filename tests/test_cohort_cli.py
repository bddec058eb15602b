"""Cohort import, `lefbot nudges plan --json` and the iCal export through the CLI."""

import json
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import select

from bot.db import Database
from bot.deadlines.models import Deadline, Team
from bot.people.models import Member, OutOfOffice

COHORT = """\
teams:
  - name: Krachtteam Bouw
    channel: C0123ABC
    process_supporters: [U0SUP]
    members:
      - ANNA
      - {id: U02, name: Bram, timezone: America/New_York}
    sprints:
      - name: Sprint 1
        goal: Een gedragen plan voor circulair slopen
        start: 2026-12-01
        end: 2026-12-19
        deadlines:
          - {title: Concept plan, due: "2026-12-11 17:00", owners: [U01]}   # owners: ids, or "team"
          - {title: Presentatie, due: "2026-12-18 12:00", owners: team}
""".replace(
    "- ANNA",
    "- {id: U01, name: Anna, timezone: Europe/Amsterdam, free_days: [friday], "
    "out_of_office: [{from: 2026-12-21, to: 2027-01-03}]}",
)


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    path = tmp_path / "cohort.yaml"
    path.write_text(COHORT, encoding="utf-8")
    return path


def test_import_twice_updates_and_never_duplicates(run_cli, cohort: Path, db: Database) -> None:  # noqa: ANN001
    assert run_cli("teams", "import", str(cohort))[0] == 0
    assert run_cli("teams", "import", str(cohort))[0] == 0
    with db.session() as s:
        assert len(s.exec(select(Team)).all()) == 1
        assert len(s.exec(select(Deadline)).all()) == 2
        assert len(s.exec(select(OutOfOffice)).all()) == 1
        anna = s.exec(select(Member).where(Member.user_id == "U01")).one()
        assert anna.free_days == "fri"


def test_malformed_file_is_refused_whole_with_line_numbers(run_cli, tmp_path: Path, db: Database) -> None:  # noqa: ANN001
    bad = COHORT.replace('"2026-12-11 17:00"', '"31-02"').replace("owners: team}", "owners: [U99]}")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    code, _out, err = run_cli("teams", "import", str(path))
    assert code == 2
    assert "regel 14: `31-02`" in err and "bestaat niet als datum" in err and "(date." not in err
    assert "regel 15: eigenaar `U99`" in err
    with db.session() as s:
        assert s.exec(select(Team)).all() == []


def test_broken_yaml_names_the_line(run_cli, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "broken.yaml"
    path.write_text("teams:\n  - name: [unclosed\n", encoding="utf-8")
    code, _out, err = run_cli("teams", "import", str(path))
    assert code == 2 and "regel" in err


def test_plan_json_lines_have_the_contract_shape(run_cli, cohort: Path) -> None:  # noqa: ANN001
    run_cli("teams", "import", str(cohort))
    code, out, _err = run_cli("nudges", "plan", "--json", "--team", "Krachtteam Bouw")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines and all(set(x) == {"team", "member", "deadline", "kind", "send_at"} for x in lines)
    assert {x["kind"] for x in lines} <= {"before", "day", "overdue"}
    anna = [x for x in lines if x["member"] == "U01" and x["deadline"] == "Concept plan"]
    assert {x["kind"]: x["send_at"] for x in anna} == {
        "before": "2026-12-08T09:30:00+01:00",  # 3 working days before Friday 11 (free Friday)
        "day": "2026-12-10T09:30:00+01:00",  # Friday is her free day: the Thursday before
        "overdue": "2026-12-14T09:30:00+01:00",
    }
    assert any(x["member"] == "U02" and x["send_at"].endswith("-05:00") for x in lines)


def test_ical_export_is_valid_rfc5545(run_cli, cohort: Path, tmp_path: Path) -> None:  # noqa: ANN001
    run_cli("teams", "import", str(cohort))
    target = tmp_path / "bouw.ics"
    assert run_cli("deadlines", "export", "--ical", "krachtteam bouw", "-o", str(target))[0] == 0
    cal = Calendar.from_ical(target.read_bytes())
    events = {str(e.get("summary")) for e in cal.walk("VEVENT")}
    assert events == {"Krachtteam Bouw: Sprint 1", "Deadline: Concept plan", "Deadline: Presentatie"}
    assert all(e.get("uid") and e.get("dtstamp") for e in cal.walk("VEVENT"))


def test_unknown_team_is_a_clear_error(run_cli) -> None:  # noqa: ANN001
    code, _out, err = run_cli("nudges", "plan", "--team", "Bestaat niet")
    assert code == 2 and "Bestaat niet" in err
