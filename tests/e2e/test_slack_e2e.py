"""End to end: the real bot (`lefbot run --http`, gunicorn) gets signed Slack requests and talks to a fake Web API."""

from __future__ import annotations

import json
import threading
import time
import uuid

import sqlalchemy as sa
from sqlmodel import select

from bot.answering.models import AnswerFeedback, Question, UnansweredQuestion
from bot.db import Database
from bot.models import ProcessedEvent
from tests.e2e.conftest import SUPPORT_CHANNEL
from tests.e2e.fake_slack import BOT_ID, BOT_USER, Call, FakeSlack
from tests.e2e.slack_requests import SlackSender, click, dm, event_envelope, mention, sign

ASKER = "U0ASKER"


def unique(prefix: str) -> str:
    """A unique id with a readable prefix (channels, users, event ids)."""
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


def posted_to(channel: str, thread: str | None = None):
    """A predicate for chat.postMessage calls to one channel (and thread)."""
    return lambda c: c.body.get("channel") == channel and (thread is None or c.body.get("thread_ts") == thread)


def marker(slack: SlackSender, fake: FakeSlack) -> Call:
    """Send a fresh DM and wait for its answer: every request sent earlier has been handled by then."""
    channel = unique("DMARK")
    assert slack.event(dm("Wat is een sprint?", user=unique("UMARK"), channel=channel)).status == 200
    return fake.wait_for("chat.postMessage", where=posted_to(channel))[0]


def ask_in_channel(slack: SlackSender, fake: FakeSlack, text: str, user: str = ASKER) -> tuple[dict, Call]:
    """Mention the bot in a fresh channel and return the event and the bot's answer."""
    event = mention(f"<@{BOT_USER}> {text}", user=user, channel=unique("C"))
    assert slack.event(event).status == 200
    answer = fake.wait_for("chat.postMessage", where=posted_to(event["channel"]))[0]
    return event, answer


def stored_marker(slack: SlackSender, fake: FakeSlack, db: Database) -> None:
    """A marker whose question is stored: the question log writes in order, so every earlier one is too."""
    question_id = int(marker(slack, fake).button("answer_helpful")[0]["value"])
    deadline = time.monotonic() + 10
    while count(db, Question, Question.id == question_id) == 0:
        assert time.monotonic() < deadline, f"question {question_id} was not stored"
        time.sleep(0.02)  # polling: the question log writes in the background


def count(db: Database, model: type, *where: sa.ColumnElement) -> int:
    """Rows of a table matching conditions."""
    with db.session() as s:
        return int(s.exec(select(sa.func.count()).select_from(model).where(*where)).one())


def test_healthz_answers_when_the_database_does(slack: SlackSender) -> None:
    assert slack.get("/healthz").status == 200
    assert slack.get("/nope").status == 404


def test_mention_is_answered_in_the_thread_of_the_mention(slack: SlackSender, fake_slack: FakeSlack) -> None:
    event, answer = ask_in_channel(slack, fake_slack, "Wat is een krachtteam?")
    assert answer.body["thread_ts"] == event["ts"]
    blocks = answer.body["blocks"]
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "Wat is een krachtteam?"}}
    assert "kleine groep ambtenaren" in answer.texts()
    assert "<https://www.transform4c.com/portfolio/rvo-duurzaamdoor/|Transform4C – RVO DuurzaamDoor>" in answer.texts()
    assert any(b["type"] == "context" and "Gecontroleerd op 29-11-2026" in b["elements"][0]["text"] for b in blocks)
    assert answer.action_ids() == ["answer_helpful", "answer_not_helpful"]
    assert answer.body["text"].startswith("Wat is een krachtteam?")  # plain fallback for notifications


def test_mention_inside_a_thread_is_answered_in_that_thread(slack: SlackSender, fake_slack: FakeSlack) -> None:
    channel, parent = unique("C"), "1700000000.000100"
    assert slack.event(mention(f"<@{BOT_USER}> wat is een sprint", channel=channel, thread_ts=parent)).status == 200
    answer = fake_slack.wait_for("chat.postMessage", where=posted_to(channel))[0]
    assert answer.body["thread_ts"] == parent


def test_direct_message_is_answered_in_the_dm(slack: SlackSender, fake_slack: FakeSlack) -> None:
    channel = unique("D")
    response = slack.event(dm("Hoe bereik ik een procesbegeleider?", channel=channel))
    assert response.status == 200
    answer = fake_slack.wait_for("chat.postMessage", where=posted_to(channel))[0]
    assert answer.body.get("thread_ts") is None
    assert answer.body["blocks"][0]["text"]["text"] == "Hoe bereik ik een procesbegeleider?"


def test_slash_vraag_answers_privately_with_a_share_button(slack: SlackSender, fake_slack: FakeSlack) -> None:
    channel, url = unique("C"), fake_slack.response_url(unique("cmd"))
    response = slack.command("vraag wat is een sprint?", ASKER, channel, url)
    assert response.status == 200 and response.seconds < 3
    private = fake_slack.wait_for("response_url", where=lambda c: c.path.endswith(url.rsplit("/", 1)[1]))[0]
    assert private.body["response_type"] == "ephemeral"
    assert "Wat is een sprint?" in private.texts()
    assert private.action_ids() == ["answer_helpful", "answer_not_helpful", "slack_share_answer"]
    assert fake_slack.calls_to("chat.postMessage", where=posted_to(channel)) == []  # nothing public yet

    share, block_id = private.button("slack_share_answer")
    payload = click({}, channel, ASKER, "slack_share_answer", share["value"], block_id, url, ephemeral=True)
    assert slack.action(payload).status == 200
    shared = fake_slack.wait_for("chat.postMessage", where=posted_to(channel))[0]
    assert f"<@{ASKER}> deelde dit antwoord van lefbot" in shared.texts()
    assert "Wat is een sprint?" in shared.texts()
    assert shared.action_ids() == []  # feedback buttons belong to the asker only


def test_slash_lef_and_help_explain_what_the_bot_can_do(slack: SlackSender, fake_slack: FakeSlack) -> None:
    for text in ("", "help"):
        url = fake_slack.response_url(unique("help"))
        assert slack.command(text, ASKER, unique("C"), url).status == 200
        reply = fake_slack.wait_for("response_url", where=lambda c, u=url: c.path == "/" + u.split("/", 3)[3])[0]
        assert "Wat kan lefbot voor je doen?" in reply.texts()
        assert "/lef vraag" in reply.texts()


def test_helpful_click_is_stored_and_the_message_updated(
    slack: SlackSender, fake_slack: FakeSlack, e2e_db: Database
) -> None:
    event, answer = ask_in_channel(slack, fake_slack, "Wat is een krachtteam?")
    button, block_id = answer.button("answer_helpful")
    message = answer.message()
    payload = click(message, event["channel"], ASKER, "answer_helpful", button["value"], block_id, "http://x.invalid/")
    assert slack.action(payload).status == 200
    update = fake_slack.wait_for("chat.update", where=lambda c: c.body.get("ts") == message["ts"])[0]
    assert update.body["channel"] == event["channel"]
    assert "Fijn dat het hielp" in update.texts()
    assert update.body["blocks"][0]["type"] == "header"  # the answer stays, only the buttons made way
    assert update.action_ids() == []
    question_id = int(button["value"])
    with e2e_db.session() as s:
        feedback = s.exec(select(AnswerFeedback).where(AnswerFeedback.question_id == question_id)).one()
    assert feedback.helpful is True


def test_no_then_escalate_posts_in_the_support_channel_with_a_link(
    slack: SlackSender, fake_slack: FakeSlack, e2e_db: Database
) -> None:
    event, answer = ask_in_channel(slack, fake_slack, "Wat is een sprint?")
    message = answer.message()
    button, block_id = answer.button("answer_not_helpful")
    channel = event["channel"]
    payload = click(message, channel, ASKER, "answer_not_helpful", button["value"], block_id, "")
    assert slack.action(payload).status == 200
    update = fake_slack.wait_for("chat.update", where=lambda c: c.body.get("ts") == message["ts"])[0]
    assert "Zal ik je vraag doorgeven" in update.texts()
    assert update.action_ids() == ["answer_escalate"]

    updated = {**message, "blocks": update.body["blocks"], "text": update.body["text"]}
    escalate, escalate_block = update.button("answer_escalate")
    payload = click(updated, channel, ASKER, "answer_escalate", escalate["value"], escalate_block, "")
    assert slack.action(payload).status == 200
    post = fake_slack.wait_for("chat.postMessage", where=posted_to(SUPPORT_CHANNEL))[0]
    assert "Wat is een sprint?" in post.texts()
    assert f"https://lef.example.slack.com/archives/{channel}/p{message['ts'].replace('.', '')}" in post.texts()
    told = fake_slack.wait_for("chat.update", count=2, where=lambda c: c.body.get("ts") == message["ts"])[1]
    assert "doorgegeven aan een procesbegeleider" in told.texts()
    with e2e_db.session() as s:
        row = s.exec(select(UnansweredQuestion).where(UnansweredQuestion.question_id == int(button["value"]))).one()
    assert row.status == "escalated" and row.escalation_link and channel in row.escalation_link


def test_unknown_question_offers_a_person_and_passes_it_on(slack: SlackSender, fake_slack: FakeSlack) -> None:
    event, answer = ask_in_channel(slack, fake_slack, "Hoeveel kost een fiets in Utrecht?")
    assert "Dat weet ik (nog) niet" in answer.texts()
    button, block_id = answer.button("answer_escalate")
    payload = click(answer.message(), event["channel"], ASKER, "answer_escalate", button["value"], block_id, "")
    assert slack.action(payload).status == 200
    post = fake_slack.wait_for("chat.postMessage", where=posted_to(SUPPORT_CHANNEL))[0]
    assert "Hoeveel kost een fiets in Utrecht?" in post.texts()
    update = fake_slack.wait_for("chat.update")[0]
    assert "doorgegeven" in update.texts()


def test_a_choice_click_answers_in_place(slack: SlackSender, fake_slack: FakeSlack) -> None:
    event, answer = ask_in_channel(slack, fake_slack, "Hoeveel kost een fiets in Utrecht?")
    question_id = answer.button("answer_escalate")[0]["value"]
    message = answer.message()
    payload = click(
        message, event["channel"], ASKER, "answer_choose#2", f"{question_id}:wat-is-een-sprint", "lef_choices", ""
    )
    assert slack.action(payload).status == 200
    update = fake_slack.wait_for("chat.update", where=lambda c: c.body.get("ts") == message["ts"])[0]
    assert update.body["blocks"][0]["text"]["text"] == "Wat is een sprint?"
    assert update.action_ids() == ["answer_helpful", "answer_not_helpful"]


def test_someone_else_cannot_click_the_askers_buttons(
    slack: SlackSender, fake_slack: FakeSlack, e2e_db: Database
) -> None:
    event, answer = ask_in_channel(slack, fake_slack, "Wat is een krachtteam?")
    button, block_id = answer.button("answer_helpful")
    other = unique("UOTHER")
    payload = click(answer.message(), event["channel"], other, "answer_helpful", button["value"], block_id, "")
    assert slack.action(payload).status == 200
    note = fake_slack.wait_for("chat.postEphemeral")[0]
    assert note.body["user"] == other and "Alleen wie de vraag stelde" in note.texts()
    assert fake_slack.calls_to("chat.update") == []
    assert count(e2e_db, AnswerFeedback, AnswerFeedback.question_id == int(button["value"])) == 0


def test_a_retried_event_is_answered_once(slack: SlackSender, fake_slack: FakeSlack, e2e_db: Database) -> None:
    event = dm("Wat is een krachtteam?", channel=unique("D"))
    event_id = unique("EvRETRY")
    assert slack.event(event, event_id=event_id).status == 200
    fake_slack.wait_for("chat.postMessage", where=posted_to(event["channel"]))
    for retry in (1, 2, 3):
        assert slack.event(event, event_id=event_id, retry=retry).status == 200
    marker(slack, fake_slack)
    assert len(fake_slack.calls_to("chat.postMessage", where=posted_to(event["channel"]))) == 1
    assert count(e2e_db, ProcessedEvent, ProcessedEvent.event_id == event_id) == 1


def test_simultaneous_deliveries_of_one_event_are_answered_once(slack: SlackSender, fake_slack: FakeSlack) -> None:
    event = dm("Wat is een sprint?", channel=unique("D"))
    event_id = unique("EvRACE")
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda n=n: statuses.append(slack.event(event, event_id=event_id, retry=n).status))
        for n in (None, 1, 2, 3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200, 200, 200]
    fake_slack.wait_for("chat.postMessage", where=posted_to(event["channel"]))
    marker(slack, fake_slack)
    assert len(fake_slack.calls_to("chat.postMessage", where=posted_to(event["channel"]))) == 1


def test_unsigned_forged_and_stale_requests_get_401_and_change_nothing(
    slack: SlackSender, fake_slack: FakeSlack, e2e_db: Database
) -> None:
    stored_marker(slack, fake_slack, e2e_db)
    questions_before = count(e2e_db, Question)
    channel = unique("D")
    bad_ids = [unique("EvBAD") for _ in range(4)]
    bodies = [json.dumps(event_envelope(dm("Wat is een krachtteam?", channel=channel), i)) for i in bad_ids]
    stale = str(int(time.time()) - 6 * 60)
    responses = [
        slack.post(bodies[0], "application/json", signature="v0=" + "0" * 64),
        slack.post(bodies[1], "application/json", signed=False),
        slack.post(bodies[2], "application/json", timestamp=stale, signature=sign(slack.secret, stale, bodies[2])),
        slack.post(bodies[3], "application/json", signature=sign("another-secret", str(int(time.time())), bodies[3])),
    ]
    assert [r.status for r in responses] == [401, 401, 401, 401]
    stored_marker(slack, fake_slack, e2e_db)
    assert fake_slack.calls_to("chat.postMessage", ok_only=False, where=posted_to(channel)) == []
    assert count(e2e_db, ProcessedEvent, ProcessedEvent.event_id.in_(bad_ids)) == 0
    assert count(e2e_db, Question) == questions_before + 1  # only the marker's question


def test_rate_limited_answer_is_retried_after_retry_after_and_delivered_once(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next(1, status=429, method="chat.postMessage", retry_after=1)
    channel = unique("D")
    assert slack.event(dm("Wat is een krachtteam?", channel=channel)).status == 200
    delivered = fake_slack.wait_for("chat.postMessage", where=posted_to(channel))
    attempts = fake_slack.calls_to("chat.postMessage", ok_only=False, where=posted_to(channel))
    assert [c.status for c in attempts] == [429, 200]
    assert len(delivered) == 1
    marker(slack, fake_slack)
    assert len(fake_slack.calls_to("chat.postMessage", where=posted_to(channel))) == 1


def test_server_errors_are_retried(slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.fail_next(2, status=500, method="chat.postMessage")
    channel = unique("D")
    assert slack.event(dm("Wat is een sprint?", channel=channel)).status == 200
    fake_slack.wait_for("chat.postMessage", where=posted_to(channel))
    attempts = fake_slack.calls_to("chat.postMessage", ok_only=False, where=posted_to(channel))
    assert [c.status for c in attempts] == [500, 500, 200]


def test_bots_edits_joins_and_unaddressed_channel_messages_get_no_answer(
    slack: SlackSender, fake_slack: FakeSlack, e2e_db: Database
) -> None:
    channel = unique("D")
    noise = [
        dm("Wat is een krachtteam?", channel=channel, user=BOT_USER, bot_id=BOT_ID),  # the bot itself
        dm("Wat is een krachtteam?", channel=channel, user="UOTHERBOT", bot_id="BOTHER"),  # another bot
        {**dm("Wat is een sprint?", channel=channel), "subtype": "bot_message", "user": None, "bot_id": "BOTHER"},
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": channel,
            "channel_type": "im",
            "hidden": True,
            "ts": "1.1",
            "message": {
                "type": "message",
                "user": ASKER,
                "text": "Wat is een sprint?",
                "edited": {"user": ASKER, "ts": "1.2"},
            },
        },
        {**dm("", channel=channel), "subtype": "channel_join"},
        {**dm("Wat is een sprint?", channel=channel), "channel_type": "channel", "channel": unique("C")},
        {**mention(f"<@{BOT_USER}> hoi", channel=channel), "bot_id": "BOTHER"},
    ]
    ids = [unique("EvNOISE") for _ in noise]
    for event, event_id in zip(noise, ids, strict=True):
        assert slack.event(event, event_id=event_id).status == 200
    marker(slack, fake_slack)
    noise_channels = {channel, noise[5]["channel"]}
    in_noise = lambda c: c.body["channel"] in noise_channels  # noqa: E731
    answered = fake_slack.calls_to("chat.postMessage", ok_only=False, where=in_noise)
    assert answered == []
    assert fake_slack.calls_to("chat.postEphemeral", ok_only=False) == []
    # ignored before the exactly-once check: nothing stored for them
    assert count(e2e_db, ProcessedEvent, ProcessedEvent.event_id.in_(ids[:-2] + ids[-1:])) == 0


def test_bad_input_gets_a_kind_reply(slack: SlackSender, fake_slack: FakeSlack) -> None:
    cases = {
        f"<@{BOT_USER}>": "Je bericht is leeg",
        f"<@{BOT_USER}> 😀🎉": "Dat weet ik (nog) niet",
        f"<@{BOT_USER}> " + "heel lang verhaal " * 400: "Dat is een lange tekst",
        f"<@{BOT_USER}> <!channel> wat is een krachtteam": "Wat is een krachtteam?",
    }
    for text, expected in cases.items():
        event = mention(text, channel=unique("C"))
        assert slack.event(event).status == 200
        answer = fake_slack.wait_for("chat.postMessage", where=posted_to(event["channel"]))[0]
        assert expected in answer.texts()
        assert "<!channel>" not in answer.texts() and "<!here>" not in answer.texts()


def test_slash_command_from_an_unknown_user_still_answers(slack: SlackSender, fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url(unique("unknown"))
    assert slack.command("vraag wat is een krachtteam", "UNKNOWN42", unique("C"), url).status == 200
    reply = fake_slack.wait_for("response_url")[0]
    assert "Wat is een krachtteam?" in reply.texts()
    assert fake_slack.calls_to("users.info", ok_only=False)  # looked up, failed, answered anyway


def test_app_home_is_published(slack: SlackSender, fake_slack: FakeSlack) -> None:
    user = unique("UHOME")
    assert (
        slack.event(
            {"type": "app_home_opened", "user": user, "channel": unique("D"), "tab": "home", "event_ts": "1.2"}
        ).status
        == 200
    )
    view = fake_slack.wait_for("views.publish")[0]
    assert view.body["user_id"] == user
    assert view.body["view"]["type"] == "home"
    assert "Je stelde de afgelopen 30 dagen 0 vraag/vragen" in json.dumps(view.body["view"], ensure_ascii=False)


def test_logs_carry_no_tokens_or_message_texts(slack: SlackSender, fake_slack: FakeSlack) -> None:
    secret_question = "Wat is een krachtteam volgens mijn geheime notitie XYZZY?"
    channel = unique("D")
    assert slack.event(dm(secret_question, channel=channel)).status == 200
    fake_slack.wait_for("chat.postMessage", where=posted_to(channel))
    assert slack.log_path is not None
    line = f"answered dm message in {channel}"
    deadline = time.monotonic() + 10
    while line not in (log := slack.log_path.read_text(errors="replace")) and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the log file the server appends to
    assert line in log
    assert "XYZZY" not in log and "xoxb-e2e-token" not in log and "e2e-signing-secret" not in log
