"""Check-ins end to end through the core: prompts, answers, summary with thread, blockers, exactly-once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.commands import CommandContext
from bot.chat.replies import Incoming
from bot.checkins.models import CheckinAnswer, CheckinRound
from bot.claims import Claim
from bot.config import load_settings
from bot.core import Core
from bot.people.models import OutOfOffice
from bot.texts import t
from tests.checkin_seed import PROMPT, REMINDER, SUMMARY, seed
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    settings = load_settings(env, dotenv=False)
    core = Core(settings, clock=clock, messenger=messenger)
    seed(core.db)
    return core


def at(core: Core, moment) -> dict[str, int]:
    core.clock.set(moment)
    return core.checkins.run(moment)


def dm(core: Core, user: str, text: str) -> str:
    return core.ask(Incoming(user, text, "D" + user, "dm")).reply.text


def answer_all(core: Core, user: str, *texts: str) -> list[str]:
    return [dm(core, user, text) for text in texts]


def rows(core: Core) -> list[CheckinAnswer]:
    with core.db.session() as s:
        return list(s.exec(select(CheckinAnswer).order_by(CheckinAnswer.user_id)).all())


def round_id(core: Core) -> int:
    with core.db.session() as s:
        return s.exec(select(CheckinRound)).one().id


def click(core: Core, user: str, action: str, value: str, lang: str = "nl"):
    return core.click(CommandContext(user, "D" + user, "dm", lang), action, value)


def test_prompt_at_local_time_with_buttons_not_on_free_day_and_never_twice(core: Core, messenger) -> None:
    assert at(core, PROMPT - timedelta(minutes=1))["prompts"] == 0
    assert at(core, PROMPT)["prompts"] == 2
    assert at(core, PROMPT + timedelta(minutes=1))["prompts"] == 0
    other = Core(core.settings, clock=core.clock, messenger=messenger, migrate=False)  # a second scheduler
    assert other.checkins.run(PROMPT)["prompts"] == 0
    prompts = [s for s in messenger.sent if s.kind == "dm"]
    assert sorted(s.target for s in prompts) == ["U1", "U2"]  # Chris is free on Thursdays
    prompt = messenger.to("U1")[0].reply
    assert "Vraag 1 van 4" in prompt.text and "niet bedoeld om jou te beoordelen" in prompt.text
    assert [b.label for b in prompt.buttons] == ["Invullen", "Later (over 1 uur)", "Vandaag overslaan", "Ik ben vrij"]


def test_failed_prompt_is_released_and_retried(core: Core, messenger) -> None:
    messenger.fail_next = 1
    assert at(core, PROMPT)["prompts"] == 1
    assert at(core, PROMPT + timedelta(minutes=1))["prompts"] == 1
    assert sorted(s.target for s in messenger.sent if s.kind == "dm") == ["U1", "U2"]


def test_answering_one_question_per_dm_with_kind_errors(core: Core) -> None:
    at(core, PROMPT)
    replies = answer_all(core, "U1", "Gesprek met de provincie gehad", "👍🎉", "Notitie schrijven", "niets", "7", "4️⃣")
    assert "Vraag 2 van 4" in replies[0]
    assert "alleen emoji" in replies[1] and "Vraag 2 van 4" in replies[1]
    assert "Vraag 3 van 4" in replies[2] and "Vraag 4 van 4" in replies[3]
    assert "1 tot en met 5" in replies[4]
    assert "Dank je wel" in replies[5]
    row = rows(core)[0]
    assert (row.status, row.confidence, row.blocker, row.version) == ("answered", 4, None, 1)
    assert "Wat is een krachtteam" not in dm(core, "U1", "stop")  # no open conversation: a normal question
    assert core.ask(Incoming("U1", "wat is een sprint?", "DU1", "dm")).outcome != "conversation"


def test_stop_leaves_the_conversation_and_commands_pass_through(core: Core) -> None:
    at(core, PROMPT)
    assert "Gestopt" in dm(core, "U2", "stop")
    assert core.ask(Incoming("U2", "Wat is een krachtteam?", "DU2", "dm")).outcome != "conversation"


def test_form_submission_is_validated_stored_once_and_editable(core: Core, messenger) -> None:
    at(core, PROMPT)
    rid = round_id(core)
    form = core.checkins.service.form("U1", rid, "nl")
    assert [f.kind for f in form.fields] == ["text", "text", "text", "scale"] and not form.fields[2].required
    bad = core.checkins.service.submit("U1", rid, {"q0": "", "q1": "x" * 3001, "q2": "🙂", "q3": "9"}, "nl")
    assert set(bad.errors) == {"q0", "q1", "q2", "q3"} and "3001 tekens" in bad.errors["q1"]
    assert rows(core)[0].status == "prompted"  # nothing stored
    values = {"q0": "y" * 3000, "q1": "Verder", "q2": "Wacht op mandaat van de directeur", "q3": "2"}
    first = core.checkins.service.submit("U1", rid, values, "nl")
    again = core.checkins.service.submit("U1", rid, values, "nl")
    assert "Dank je wel" in first.reply.text and "niets veranderd" in again.reply.text.lower()
    assert len(rows(core)) == 2 and rows(core)[0].version == 1 and rows(core)[0].blocker_status == "open"
    edited = core.checkins.service.submit("U1", rid, {**values, "q3": "3"}, "nl")
    assert "bijgewerkt" in edited.reply.text and rows(core)[0].confidence == 3 and rows(core)[0].version == 2
    assert core.checkins.service.form("U1", rid, "nl").fields[3].initial == "3"
    assert "niet voor jou" in core.checkins.service.submit("X9", rid, values, "nl").reply.text


def test_summary_thread_blocker_dm_and_pickup(core: Core, messenger) -> None:
    at(core, PROMPT)
    rid = round_id(core)
    injection = "<!channel> '; DROP TABLE checkin_answers; -- <@U2> <script>"
    core.checkins.service.submit("U1", rid, {"q0": injection, "q1": "Plan maken", "q2": "Geen budget", "q3": "2"}, "nl")
    at(core, SUMMARY - timedelta(minutes=1))
    assert messenger.to("C1") == []
    assert at(core, SUMMARY)["summaries"] == 1
    assert at(core, SUMMARY + timedelta(minutes=1))["summaries"] == 0
    main, thread = messenger.to("C1")
    assert main.thread is None and thread.thread == main.ref.ts
    assert "Deelname: 1/2" in main.reply.text and "Nog niet ingevuld: Bram" in main.reply.text
    assert main.reply.text.index("Blokkades") < main.reply.text.index("Nog niet")
    assert "Geen budget" in main.reply.text and "gemiddeld 2,0" in main.reply.text
    assert "<!channel>" not in thread.reply.text and "<@U2>" not in thread.reply.text
    assert "DROP TABLE" in thread.reply.text and "*Anna*" in thread.reply.text
    assert "<@" not in main.reply.text  # no @-mentions in the summary
    blocker = messenger.to("S1")[0].reply
    assert "Geen budget" in blocker.text and blocker.buttons[0].label == "Ik pak het op"
    answer_id = blocker.buttons[0].value
    assert "Alleen de procesbegeleider" in click(core, "U2", "checkin_pickup", answer_id).reply.text
    result = click(core, "S1", "checkin_pickup", answer_id)
    assert "Jij pakt deze blokkade op" in result.reply.text and result.mode == "amend"
    assert "Sanne pakt je blokkade op" in messenger.to("U1")[-1].reply.text
    assert "al opgepakt door Sanne" in click(core, "S1", "checkin_pickup", answer_id).reply.text
    assert len(messenger.to("S1")) == 1 and rows(core)[0].blocker_status == "picked"


def test_reminder_once_only_to_who_has_not_answered(core: Core, messenger) -> None:
    at(core, PROMPT)
    answer_all(core, "U1", "a", "b", "niets", "5")
    assert at(core, REMINDER - timedelta(minutes=1))["reminders"] == 0
    assert at(core, REMINDER)["reminders"] == 1
    assert at(core, REMINDER + timedelta(minutes=5))["reminders"] == 0
    assert "herinnering" in messenger.to("U2")[-1].reply.text and len(messenger.to("U1")) == 1


def test_skip_and_off_stop_reminders_and_off_counts_as_away(core: Core, messenger) -> None:
    at(core, PROMPT)
    rid = str(round_id(core))
    assert "je slaat deze check-in over" in click(core, "U1", "checkin_skip", rid).reply.text
    assert "vrije dag" in click(core, "U2", "checkin_off", rid).reply.text
    assert at(core, REMINDER)["reminders"] == 0
    at(core, SUMMARY)
    main = messenger.to("C1")[0].reply.text
    assert "Deelname: 0/1" in main and "Overgeslagen: Anna" in main and "Vrij: Bram" in main
    with core.db.session() as s:
        assert s.exec(select(OutOfOffice)).one().start.isoformat() == "2026-12-03"


def test_later_asks_again_in_an_hour(core: Core, messenger) -> None:
    at(core, PROMPT)
    assert "over een uur" in click(core, "U2", "checkin_later", str(round_id(core))).reply.text
    assert at(core, PROMPT + timedelta(minutes=59))["later"] == 0
    assert at(core, PROMPT + timedelta(hours=1))["later"] == 1
    assert at(core, PROMPT + timedelta(hours=1, minutes=1))["later"] == 0
    assert "Vraag 1 van 4" in messenger.to("U2")[-1].reply.text


def test_late_and_edited_answers_go_to_the_summary_thread(core: Core, messenger) -> None:
    at(core, PROMPT)
    answer_all(core, "U1", "a", "b", "niets", "4")
    at(core, SUMMARY)
    assert len(messenger.to("C1")) == 2
    reply = answer_all(core, "U2", "Laat maar goed", "Verder", "Niets", "3")[-1]
    assert "draad" in reply
    late = [s for s in messenger.to("C1") if s.kind == "post"][-1]
    assert "(later ingevuld)" in late.reply.text and late.thread == messenger.to("C1")[0].ref.ts
    update = [s for s in messenger.to("C1") if s.kind == "update"][-1]
    assert "Deelname: 2/2" in update.reply.text and "gemiddeld 3,5" in update.reply.text
    core.checkins.service.submit("U1", round_id(core), {"q0": "a2", "q1": "b", "q2": "", "q3": "4"}, "nl")
    edit = [s for s in messenger.to("C1") if s.kind == "update"][-1]
    assert "(bijgewerkt)" in edit.reply.text and edit.ref.ts == messenger.to("C1")[1].ref.ts
    at(core, SUMMARY + timedelta(minutes=5))
    assert len([s for s in messenger.to("C1") if s.kind == "post"]) == 3  # nothing posted twice


def test_summary_failure_is_retried_and_never_doubled(core: Core, messenger) -> None:
    at(core, PROMPT)
    messenger.fail_next = 1
    assert at(core, SUMMARY)["summaries"] == 0
    assert at(core, SUMMARY + timedelta(minutes=1))["summaries"] == 1
    assert len(messenger.to("C1")) == 1


def test_retention_deletes_old_answers_and_keeps_totals(core: Core) -> None:
    at(core, PROMPT)
    answer_all(core, "U1", "a", "b", "niets", "4")
    at(core, SUMMARY)
    assert core.checkins.retention(PROMPT + timedelta(days=180)) == 0
    assert core.checkins.retention(PROMPT + timedelta(days=182)) == 2
    assert core.checkins.retention(PROMPT + timedelta(days=182, hours=1)) == 0  # once a day
    assert rows(core) == []
    with core.db.session() as s:
        rnd = s.exec(select(CheckinRound)).one()
        assert (rnd.answered, rnd.expected, rnd.confidence_sum) == (1, 2, 4)
        assert not s.exec(select(Claim).where(Claim.kind == "checkin_prompt")).all()


def test_messages_follow_the_member_language(core: Core, messenger) -> None:
    with core.db.session() as s:
        from bot.people.models import Member

        member = s.exec(select(Member).where(Member.user_id == "U2")).one()
        member.language = "en"
        s.add(member)
    at(core, PROMPT)
    assert "Question 1 of 4" in messenger.to("U2")[0].reply.text
    assert "Choose a number" in answer_all(core, "U2", "x", "y", "nothing", "zes")[-1]


def test_failed_thread_reply_is_retried_by_the_next_sweep_once(core: Core, messenger) -> None:
    at(core, PROMPT)
    answer_all(core, "U1", "a", "b", "niets", "4")
    core.checkins.service.post_summaries(SUMMARY)  # the summary only
    messenger.fail_next = 1
    assert core.checkins.service.deliver_pending(SUMMARY) == (0, 0)
    assert at(core, SUMMARY + timedelta(minutes=1))["threads"] == 1
    assert at(core, SUMMARY + timedelta(minutes=2))["threads"] == 0
    assert [s.thread for s in messenger.to("C1")] == [None, messenger.to("C1")[0].ref.ts]


@pytest.mark.parametrize(
    ("index", "text", "expected"),
    [
        (2, "n.v.t.", None),
        (2, "Niets.", None),
        (2, "🙈", "alleen emoji"),
        (3, "4/5", "4"),
        (3, "3️⃣", "3"),
        (3, "0", "1 tot en met 5"),
        (0, "   ", "leeg"),
        (0, "✅ 👍", "alleen emoji"),
        (0, "a" * 3000, "a" * 3000),
        (0, "a" * 3001, "3001 tekens"),
        (0, "Robert'); DROP TABLE members;--", "Robert'); DROP TABLE members;--"),
    ],
)
def test_answers_are_checked_with_clear_messages(index: int, text: str, expected: str | None) -> None:
    from bot.checkins.answer_checks import check_answer
    from bot.checkins.setup import default_questions

    checked = check_answer(default_questions()[index], text, "nl")
    if checked.error:
        assert expected is not None and expected in checked.error
    else:
        assert checked.value == expected


def test_buttons_on_a_round_that_is_gone_or_not_yours_are_refused_privately(core: Core) -> None:
    at(core, PROMPT)
    rid = round_id(core)
    before = [(r.status, r.later_at) for r in rows(core)]
    service = core.checkins.service
    for reply in (service.form("X9", rid, "nl"), service.start_in_dm("X9", rid, "nl"),
                  service.later("X9", rid, "nl"), service.skip("X9", rid, "nl", off=True)):  # fmt: skip
        assert reply.private and "niet voor jou" in reply.text
    gone = service.later("U1", rid + 999, "en")
    assert gone.private and gone.text == t("checkins.error.round_gone", "en")
    assert [(r.status, r.later_at) for r in rows(core)] == before
