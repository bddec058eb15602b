"""Property: the cohort importer never raises; it imports a whole file or nothing, with line-numbered problems."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from bot.config import Settings
from bot.core import Core
from bot.deadlines.cohort import ImportReport, import_file
from bot.deadlines.models import Deadline, Sprint, Team
from bot.people.models import Member, OutOfOffice
from tests.e2e.conftest import FIXTURE_KB
from tests.fakes.clock import FrozenClock

FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROBLEM = re.compile(r"^(regel \d+|onbekende regel): \S")

odd_dates = st.sampled_from(
    [
        "2026-12-01", "2026-12-19", "2026-02-31", "31-02", "29-02-2027", "2028-02-29", "1 december 2026",
        "12-12", "2026-13-01", "0000-00-00", "99999-01-01", "2031-01-01", "1999-12-31", "vrijdag", "morgen",
        "2026-12-11 17:00", "2026-12-11T17:00:00+01:00", "2026-12-11T25:00", "17:00", "", " ", "\u0000", "💥",
    ]
)  # fmt: skip
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(min_size=200, max_size=400),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
ids = st.one_of(st.sampled_from(["U01", "U02", "U0SUP", "<@U03|anna>", "@U04", "team"]), junk)
names = st.one_of(st.sampled_from(["Krachtteam Bouw", "Team Één", "T", "x" * 121]), junk)
dates = st.one_of(odd_dates, junk)


def maybe(**fields: st.SearchStrategy) -> st.SearchStrategy[dict[str, Any]]:
    """A mapping in which each field may be missing."""
    return st.fixed_dictionaries({}, optional=fields)


deadline = st.one_of(
    maybe(title=names, due=dates, owners=st.one_of(st.just("team"), st.lists(ids, max_size=3), junk)), junk
)
sprint = st.one_of(
    maybe(name=names, start=dates, end=dates, goal=names, deadlines=st.one_of(st.lists(deadline, max_size=3), junk)),
    junk,
)
member = st.one_of(
    maybe(
        id=ids,
        name=names,
        timezone=st.one_of(st.sampled_from(["Europe/Amsterdam", "America/New_York", "Mars/Base", "../etc"]), junk),
        free_days=st.one_of(st.sampled_from(["friday", "vr", "zondag", "nooit"]), st.lists(junk, max_size=2), junk),
        out_of_office=st.one_of(st.lists(st.one_of(maybe(**{"from": dates, "to": dates}), junk), max_size=2), junk),
        language=st.one_of(st.sampled_from(["nl", "en", "de"]), junk),
    ),
    junk,
)
checkins = st.one_of(
    maybe(
        days=st.one_of(st.sampled_from([["monday", "thursday"], ["saturday"], "tuesday"]), junk),
        time=st.one_of(st.sampled_from(["09:30", "25:00", 570]), junk),
        summary=st.one_of(st.just("16:00"), junk),
        enabled=st.one_of(st.booleans(), junk),
        questions=st.one_of(st.lists(st.one_of(st.text(max_size=20), junk), max_size=3), junk),
    ),
    junk,
)
team = st.one_of(
    maybe(
        name=names,
        channel=st.one_of(st.sampled_from(["C0123ABC", "C" * 41]), junk),
        timezone=st.one_of(st.just("Europe/Amsterdam"), junk),
        members=st.one_of(st.lists(member, max_size=3), junk),
        process_supporters=st.one_of(st.lists(ids, max_size=2), junk),
        checkins=checkins,
        sprints=st.one_of(st.lists(sprint, max_size=3), junk),
    ),
    junk,
)
documents = st.one_of(maybe(teams=st.one_of(st.lists(team, max_size=3), junk)), junk)


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    """A core on the test database with a frozen clock (2026-12-01)."""
    import dataclasses

    core = Core(dataclasses.replace(settings, kb_path=FIXTURE_KB), clock=FrozenClock())
    yield core
    core.db.dispose()


def counts(core: Core) -> tuple[int, ...]:
    with core.db.session() as s:
        return tuple(
            s.exec(select(func.count()).select_from(m)).one() for m in (Team, Member, Sprint, Deadline, OutOfOffice)
        )


def check(core: Core, path: Path, expect_teams: int | None = None, expect_deadlines: int | None = None) -> ImportReport:
    """Import `path`; whatever it holds, nothing raises, and it is all or nothing."""
    before = counts(core)
    report = import_file(core, path)  # must not raise
    event("imported" if report.ok else "refused")
    if report.ok:
        if expect_teams is not None:
            assert report.created["teams"] + report.updated["teams"] == expect_teams
        if expect_deadlines is not None:
            assert report.created["deadlines"] + report.updated["deadlines"] == expect_deadlines
    else:
        assert counts(core) == before  # nothing half-imported
        for problem in report.errors:
            assert PROBLEM.match(problem), problem
            assert "\n" not in problem and "date." not in problem
    return report


def _deadlines(doc: Any) -> int:
    return sum(
        len(s.get("deadlines") or []) for t in doc["teams"] for s in t.get("sprints") or [] if isinstance(s, dict)
    )


@FUZZ
@given(doc=documents)
def test_yaml_documents(core: Core, tmp_path: Path, doc: Any) -> None:
    path = tmp_path / "cohort.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    report = check(core, path)
    if report.ok:  # a clean file has every team and deadline in it
        assert report.created["teams"] + report.updated["teams"] == len(doc["teams"])
        assert report.created["deadlines"] + report.updated["deadlines"] == _deadlines(doc)


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.sampled_from(
            [
                "teams: [{name: A, sprints: [{name: S, start: 2026-02-31, end: 2026-03-01}]}]",
                "teams: &a [*a]",
                "teams:\n  - name: " + "9" * 5000,
                "teams: " + "[" * 2000,
                'teams: [{name: "\\0\\ud800"}]',
                "teams: [{name: A, sprints: [{name: S, start: !!timestamp 2026-02-31, end: 2026-03-01}]}]",
                "teams: [{name: A, members: 7, sprints: x}]",
                "? [1, 2]\n: x",
                "\ufeffteams: []",
            ]
        ),
    )
)
def test_raw_yaml_text(core: Core, tmp_path: Path, text: str) -> None:
    path = tmp_path / "cohort.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    check(core, path)


csv_cell = st.one_of(odd_dates, st.text(max_size=20), st.sampled_from(["U01", "U01 U02", "team", "A", "S1", ""]))


@FUZZ
@given(
    header=st.one_of(
        st.just(["team", "channel", "sprint", "sprint_start", "sprint_end", "title", "due", "owners"]),
        st.lists(st.sampled_from(["team", "sprint", "sprint_start", "sprint_end", "title", "due", "owners", "x"])),
    ),
    rows=st.lists(st.lists(csv_cell, max_size=10), max_size=6),
    tail=st.sampled_from(["", "\n", '"unclosed', "\x00", "a," * 50]),
)
def test_csv_documents(core: Core, tmp_path: Path, header: list[str], rows: list[list[str]], tail: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "cohort.csv"
    path.write_text(out.getvalue() + tail, encoding="utf-8", errors="surrogatepass")
    check(core, path)


def _label(min_size: int = 1) -> st.SearchStrategy[str]:
    """Printable unicode text with no leading, trailing or doubled spaces (as the importer normalises them)."""
    return (
        st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=min_size, max_size=40)
        .map(lambda s: " ".join(s.split()))
        .filter(lambda s: len(s) >= min_size)
    )


valid_day = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A cohort with unique unicode names, odd but valid dates (ISO or d-m-yyyy, quoted or not) and owners."""
    teams = []
    team_names = draw(st.lists(_label(), min_size=1, max_size=3, unique_by=str.lower))
    for t_index, name in enumerate(team_names):
        members = [f"U{t_index}{i}" for i in range(draw(st.integers(1, 3)))]
        sprints = []
        for sname in draw(st.lists(_label(), max_size=3, unique_by=str.lower)):
            start = draw(valid_day)
            end = draw(st.dates(min_value=start, max_value=start + timedelta(days=30)))
            fmt = draw(st.sampled_from(["iso", "dmy"]))
            shown = (lambda d: d.isoformat()) if fmt == "iso" else (lambda d: f"{d.day}-{d.month}-{d.year}")
            deadlines = [
                {
                    "title": title,
                    "due": f"{shown(draw(st.dates(min_value=start, max_value=end)))} {draw(st.integers(0, 23)):02d}:00",
                    "owners": draw(st.one_of(st.just("team"), st.lists(st.sampled_from(members), min_size=1))),
                }
                for title in draw(st.lists(_label(), max_size=3, unique_by=str.lower))
            ]
            sprints.append({"name": sname, "start": shown(start), "end": shown(end), "deadlines": deadlines})
        teams.append(
            {"name": name, "members": [{"id": m, "name": draw(_label())} for m in members], "sprints": sprints}
        )
    return {"teams": teams}


@FUZZ
@given(doc=valid_documents(), quote=st.booleans())
def test_valid_documents_import_whole(core: Core, tmp_path: Path, doc: dict[str, Any], quote: bool) -> None:
    path = tmp_path / "cohort.yaml"
    text = yaml.safe_dump(doc, allow_unicode=True, default_style='"' if quote else None)
    path.write_text(text, encoding="utf-8")
    report = check(core, path)
    assert report.ok, report.errors
    assert report.created["teams"] + report.updated["teams"] == len(doc["teams"])
    assert report.created["deadlines"] + report.updated["deadlines"] == _deadlines(doc)
    with core.db.session() as s:
        stored = {t.name.lower() for t in s.exec(select(Team)).all()}
    # teams are found case-insensitively, and the core fixture outlives one example: "ă" may update "Ă"
    assert {t["name"].lower() for t in doc["teams"]} <= stored
