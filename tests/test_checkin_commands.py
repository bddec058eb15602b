"""`/lef checkin …` for process supporters, reports, CSV, own history, privacy, digest, console and CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.chat.commands import CommandContext
from bot.chat.messenger import Capabilities
from bot.chat.replies import Incoming
from bot.checkins.models import CheckinAnswer, CheckinSettings
from bot.config import load_settings
from bot.core import Core
from bot.db import Database
from handlers.console import ConsoleChat
from tests.checkin_seed import PROMPT, SUMMARY, seed
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    core = Core(load_settings(env, dotenv=False), clock=clock, messenger=messenger)
    seed(core.db)
    return core


def lef(core: Core, user: str, text: str, lang: str = "nl") -> str:
    return core.command(CommandContext(user, "C1", "channel", lang), text).text


def one_round(core: Core) -> None:
    core.clock.set(PROMPT)
    core.checkins.run(PROMPT)
    for text in ("Gesprek gevoerd", "Notitie", "Wacht op budget", "3"):
        core.ask(Incoming("U1", text, "DU1", "dm"))
    core.clock.set(SUMMARY)
    core.checkins.run(SUMMARY)


def test_supporter_sets_schedule_and_questions_with_kind_errors(core: Core) -> None:
    shown = lef(core, "S1", "checkin Team Noord")
    assert "Dagen: ma,do" in shown and "tijd: 09:30" in shown and "samenvatting: 16:00" in shown
    assert "Dit kan alleen een procesbegeleider" in lef(core, "U1", "checkin Team Noord dagen di")
    assert "Opgeslagen" in lef(core, "S1", "checkin team noord dagen di,vr")
    assert "Opgeslagen" in lef(core, "S1", "checkin tijd 10:00")  # the only team Sanne supports
    assert "werkdagen" in lef(core, "S1", "checkin Team Noord dagen zaterdag")
    assert "begrijp deze dagen niet" in lef(core, "S1", "checkin Team Noord dagen blauw")
    assert "begrijp deze tijd niet" in lef(core, "S1", "checkin Team Noord tijd 25:99")
    assert "later zijn dan de check-in" in lef(core, "S1", "checkin Team Noord samenvatting 08:00")
    assert "Ik ken geen team met de naam Team Zuid" in lef(core, "S1", "checkin Team Zuid dagen ma")
    assert "Opgeslagen" in lef(core, "S1", "checkin Team Noord vraag 2 Wat ga je deze week doen?")
    assert "Opgeslagen" in lef(core, "S1", "checkin Team Noord vraag 2 en What will you do this week?")
    assert "Opgeslagen" in lef(core, "S1", "checkin Team Noord vraag erbij Wat heb je geleerd?")
    assert "kan niet weg" in lef(core, "S1", "checkin Team Noord vraag weg 5")
    assert "nummer van een vraag" in lef(core, "S1", "checkin Team Noord vraag 9 tekst")
    assert "maximaal 150 tekens" in lef(core, "S1", "checkin Team Noord vraag 1 " + "x" * 151)
    with core.db.session() as s:
        row = s.exec(select(CheckinSettings)).one()
    assert (row.days, row.time) == ("tue,fri", "10:00")
    questions = json.loads(row.questions)
    assert questions[1] == {"kind": "next", "nl": "Wat ga je deze week doen?", "en": "What will you do this week?"}
    assert [q["kind"] for q in questions] == ["done", "next", "blocker", "text", "confidence"]
    assert "Opgeslagen" in lef(core, "S1", "checkin Team Noord vragen standaard")
    assert "uit" in lef(core, "S1", "checkin Team Noord uit")
    assert "helpen het team" in lef(core, "U1", "checkin help")


def test_process_supporter_setup_in_english(core: Core) -> None:
    assert "Days: mon,thu" in lef(core, "S1", "checkin Team Noord", "en")
    assert "Only a process supporter" in lef(core, "U2", "checkin Team Noord on", "en")


def test_report_shows_participation_blockers_trend_and_only_to_supporters(core: Core) -> None:
    one_round(core)
    report = core.command(CommandContext("S1", "C1", "channel", "nl"), "checkin rapport Team Noord")
    assert "Sprint 1" in report.text and "Deelname: 1/2 (50%)" in report.text
    assert "Blokkades: 1 open, 0 opgepakt" in report.text and "Vertrouwen:" in report.text
    assert "Anna" in report.text and "✓" in report.text and "Bram" in report.text
    assert report.buttons[0].action_id == "checkin_csv" and report.private
    assert "Dit kan alleen een procesbegeleider" in lef(core, "U2", "checkin rapport Team Noord")
    assert "begrijp de periode niet" in lef(core, "S1", "checkin rapport Team Noord gisteren ofzo")
    assert "Deelname: 1/2" in lef(core, "S1", "checkin rapport Team Noord 4w")
    assert "Geen check-ins" in lef(core, "S1", "checkin rapport Team Noord 2026-01-01..2026-01-31")


def test_csv_export_is_formula_safe_and_falls_back_inline(core: Core) -> None:
    core.clock.set(PROMPT)
    core.checkins.run(PROMPT)
    for text in ('=HYPERLINK("http://x")', "@SUM(A1)", "niets", "4"):
        core.ask(Incoming("U1", text, "DU1", "dm"))
    reply = lef(core, "S1", "checkin export Team Noord")
    rows = list(csv.reader(io.StringIO(reply.split("```\n", 1)[1].rsplit("```", 1)[0])))
    anna = next(r for r in rows if r[4] == "Anna")
    assert anna[5] == "answered" and anna[8] == "4" and anna[12].startswith("'=") and anna[13].startswith("'@")
    uploads: list[tuple[str, str, str]] = []

    class Uploader(FakeMessenger):
        capabilities = Capabilities(files=True)  # an adapter that can send files (the file port)

        def send_file(self, user_id: str, filename: str, content: str, title: str) -> None:
            uploads.append((user_id, filename, content))

    core.attach_messenger(Uploader())
    assert "privébericht" in lef(core, "S1", "checkin export Team Noord")
    assert uploads[0][0] == "S1" and uploads[0][1].endswith(".csv") and "Anna" in uploads[0][2]


def test_members_see_only_their_own_history_and_privacy_covers_answers(core: Core) -> None:
    one_round(core)
    mine = lef(core, "U1", "mijn checkins")
    assert "Gesprek gevoerd" in mine and "Team Noord" in mine and "Alleen jij" in mine
    assert "Gesprek gevoerd" not in lef(core, "U2", "mijn checkins")
    data = lef(core, "U1", "mijn gegevens")
    assert "check-in antwoorden" in data.lower() and "Gesprek gevoerd" in data
    counts = core.privacy.erase("U1")
    assert counts["checkins"] == 1
    with core.db.session() as s:
        assert [a.user_id for a in s.exec(select(CheckinAnswer)).all()] == ["U2"]


def test_weekly_digest_for_supporters_of_several_teams(core: Core, messenger: FakeMessenger) -> None:
    seed(core.db, channel="C2", name="Team Zuid", users=("U1", "U2"))
    one_round(core)
    monday = datetime(2026, 12, 7, 8, 5, tzinfo=UTC)  # 09:05 in Amsterdam
    assert core.checkins.digests(monday - timedelta(minutes=10)) == 0
    assert core.checkins.digests(monday) == 1
    assert core.checkins.digests(monday + timedelta(hours=1)) == 0
    digest = messenger.to("S1")[-1].reply.text
    assert "Weekoverzicht" in digest and "Team Noord" in digest and "Open blokkades: 1" in digest


def test_console_shows_the_prompt_and_takes_answers_line_by_line(env, clock: FrozenClock) -> None:
    out = io.StringIO()
    core = Core(load_settings(env, dotenv=False), clock=clock)
    chat = ConsoleChat(core, out=out, user_id="U1")
    seed(core.db)
    clock.set(PROMPT)
    core.checkins.run(PROMPT)
    assert "[DM aan U1]" in out.getvalue() and "Vraag 1 van 4" in out.getvalue()
    for line in ("Plan geschreven", "Plan bespreken", "niets", "5"):
        chat.handle(line)
    assert "Dank je wel" in out.getvalue()
    chat.handle("Antwoorden wijzigen")
    assert out.getvalue().rstrip().endswith("Wat heb je sinds de vorige check-in gedaan voor het sprintdoel?")


COHORT = """\
teams:
  - name: Krachtteam Bouw
    channel: C0123ABC
    process_supporters: [U0SUP]
    members:
      - {id: U01, name: Anna}
    checkins: {days: [monday, thursday], time: "09:30", summary: "16:00"}
  - name: Krachtteam Water
    members:
      - {id: U02, name: Bram}
    checkins: {days: [dinsdag], time: 10:15, summary: "15:00"}
"""


def test_cohort_file_sets_checkins_and_plan_lists_prompts(run_cli, tmp_path: Path, db: Database) -> None:  # noqa: ANN001
    path = tmp_path / "cohort.yaml"
    path.write_text(COHORT, encoding="utf-8")
    assert run_cli("teams", "import", str(path))[0] == 0
    with db.session() as s:
        rows = sorted((r.days, r.time, r.summary_time) for r in s.exec(select(CheckinSettings)).all())
    assert rows == [("mon,thu", "09:30", "16:00"), ("tue", "10:15", "15:00")]
    code, out, _ = run_cli("checkins", "plan", "--json", "--days", "8")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {x["member"] for x in lines} == {"Anna", "Bram"}
    assert {x["local_time"] for x in lines if x["member"] == "Bram"} == {"10:15"}
    assert set(lines[0]) >= {"team", "user_id", "local_date", "send_at", "local_time", "timezone", "summary_at"}
    code, out, _ = run_cli("checkins", "export", "--csv", "--team", "Krachtteam Bouw")
    assert code == 0 and out.startswith("team,date,sprint,member")


def test_cohort_checkins_block_is_refused_whole_with_line_numbers(run_cli, tmp_path: Path, db: Database) -> None:  # noqa: ANN001
    path = tmp_path / "bad.yaml"
    path.write_text(COHORT.replace("[dinsdag]", "[zaterdag]").replace('"09:30"', '"9 uur"'), encoding="utf-8")
    code, _, err = run_cli("teams", "import", str(path))
    assert code == 2
    assert 'regel 7: checkins.time: verwacht een tijd zoals "09:30"' in err
    assert "regel 11: checkins.days: alleen werkdagen" in err
    with db.session() as s:
        assert s.exec(select(CheckinSettings)).all() == []


def test_settings_form_for_supporters_validates_per_field(core: Core) -> None:
    shown = core.command(CommandContext("S1", "C1", "channel", "nl"), "checkin Team Noord")
    team_id = int(shown.buttons[0].value)
    assert "procesbegeleider" in core.checkins.settings_form("U1", team_id, "nl").text
    form = core.checkins.settings_form("S1", team_id, "nl")
    initial = {f.field_id: f.initial for f in form.fields}
    assert initial["days"] == "ma,do" and initial["time"] == "09:30" and initial["q3_en"].startswith("How confident")
    bad = core.checkins.save_settings_form(
        "S1", team_id, {**initial, "days": "za", "summary": "08:00", "q1_nl": ""}, "nl"
    )
    assert set(bad.errors) == {"days", "summary", "q1_nl"}
    with core.db.session() as s:
        assert s.exec(select(CheckinSettings)).one().days == "mon,thu"  # nothing stored
    good = core.checkins.save_settings_form(
        "S1",
        team_id,
        {**initial, "days": "di, vr", "time": "17:00", "summary": "17:45", "q1_nl": "Wat is je volgende stap?"},
        "nl",
    )
    assert "Opgeslagen" in good.reply.text
    with core.db.session() as s:
        row = s.exec(select(CheckinSettings)).one()
    assert (row.days, row.time, row.summary_time) == ("tue,fri", "17:00", "17:45")
    assert json.loads(row.questions)[1]["nl"] == "Wat is je volgende stap?"


def test_digest_names_the_silent_and_falling_confidence(core: Core, messenger: FakeMessenger) -> None:
    seed(core.db, channel="C2", name="Team Zuid", users=("U1",))  # Anna answers in her newest prompt: Team Zuid
    rounds = [PROMPT, PROMPT + timedelta(days=4), PROMPT + timedelta(days=7)]  # Thu, Mon, Thu
    for moment, score in zip(rounds, ("5", "4", "2"), strict=True):
        core.clock.set(moment)
        core.checkins.run(moment)
        for text in ("Gedaan", "Verder", "niets", score):
            core.ask(Incoming("U1", text, "DU1", "dm"))
        core.clock.set(moment + (SUMMARY - PROMPT))
        core.checkins.run(core.clock.now())
    assert core.checkins.digests(datetime(2026, 12, 14, 8, 30, tzinfo=UTC)) == 1
    digest = messenger.to("S1")[-1].reply.text
    noord, zuid = digest.split("*Team Zuid*")
    assert "Al 3 check-ins stil: Anna, Bram" in noord and "daalt" not in noord
    assert "Vertrouwen daalt: 4,0 → 2,0" in zuid and "check-ins stil" not in zuid


def test_team_without_a_channel_gets_its_summary_as_dms_to_the_supporter(core: Core, messenger) -> None:
    seed(core.db, channel="", name="Team Oost", users=("U9",), supporter="S2")
    core.clock.set(PROMPT)
    core.checkins.run(PROMPT)
    core.clock.set(SUMMARY)
    core.checkins.run(SUMMARY)
    summaries = [s for s in messenger.to("S2") if "Check-in Team Oost" in s.reply.text]
    assert len(summaries) == 1 and "Deelname: 0/1" in summaries[0].reply.text


def test_a_member_of_two_teams_answers_both_in_the_dm_one_after_the_other(core: Core) -> None:
    seed(core.db, channel="C2", name="Team Zuid", users=("U1",))
    core.clock.set(PROMPT)
    core.checkins.run(PROMPT)
    replies = [core.ask(Incoming("U1", text, "DU1", "dm")).reply.text for text in ("a", "b", "niets", "4")]
    assert "Dank je wel" in replies[-1] and "Nu de check-in van **Team Noord**" in replies[-1]
    assert "Vraag 1 van 4" in replies[-1]
    for text in ("c", "d", "Wacht op data", "3"):
        last = core.ask(Incoming("U1", text, "DU1", "dm")).reply.text
    assert "Dank je wel" in last and "Nu de check-in" not in last
    with core.db.session() as s:
        rows = s.exec(select(CheckinAnswer).where(CheckinAnswer.user_id == "U1")).all()
    assert sorted((r.status, r.confidence) for r in rows) == [("answered", 3), ("answered", 4)]


def test_supporter_can_start_a_check_in_now_and_it_is_never_doubled(core: Core, messenger: FakeMessenger) -> None:
    tuesday = PROMPT - timedelta(days=2, hours=-2)  # Tue 1 Dec, 11:30 in Amsterdam: not a check-in day
    core.clock.set(tuesday)
    assert "3 teamlid/teamleden" in lef(core, "S1", "checkin Team Noord nu")  # Chris is only off on Thursdays
    assert "0 teamlid/teamleden" in lef(core, "S1", "checkin Team Noord nu")
    assert "Dit kan alleen" in lef(core, "U1", "checkin Team Noord nu")
    assert sorted(s.target for s in messenger.sent if s.kind == "dm") == ["U1", "U2", "U3"]
    summary = tuesday.replace(hour=15, minute=0)  # 16:00 in Amsterdam, as configured
    assert core.checkins.run(summary - timedelta(minutes=1))["summaries"] == 0
    assert core.checkins.run(summary)["summaries"] == 1
