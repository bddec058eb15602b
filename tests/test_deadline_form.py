"""The "new deadline" form: building it (core and Slack modal) and mapping a submission to a deadline or errors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from bot.chat.commands import CommandContext
from bot.chat.forms import Form
from bot.chat.replies import Reply
from bot.config import load_settings
from bot.core import Core
from bot.deadlines.commands.base import DEADLINE_FORM_ID, NEW_FORM_ACTION
from bot.deadlines.models import Deadline, DeadlineOwner
from handlers.slack import deadlines as slack_deadlines
from handlers.slack import forms as slack_forms
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

SUP, TEAM_SUP, ANNA, BRAM = "USUP", "UTEAMSUP", "UANNA", "UBRAM"


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    settings = load_settings({**env, "PROCESS_SUPPORTERS": SUP}, dotenv=False)
    core = Core(settings, clock=clock, messenger=messenger)
    for text in (
        "team nieuw Krachtteam Bouw | C0BOUW",
        "team lid Krachtteam Bouw | @UANNA Anna",
        "team lid Krachtteam Bouw | @UBRAM Bram",
        "team begeleider Krachtteam Bouw | @UTEAMSUP Tess",
        "sprint nieuw Krachtteam Bouw | Sprint 1 | 1-12 | 14-12",
        "sprint nieuw Krachtteam Bouw | Sprint 0 | 1-11 | 14-11",  # over: not offered
    ):
        core.command(ctx(SUP), text)
    return core


def ctx(user: str, lang: str = "nl") -> CommandContext:
    return CommandContext(user, "D1", "slash", lang, user_name=user.title())


def sprint_value(core: Core, user: str = SUP) -> str:
    form = core.deadlines.deadline_form(ctx(user))
    assert isinstance(form, Form)
    return form.fields[0].options[0][0]


def submit(core: Core, user: str = SUP, **values: str):  # noqa: ANN201
    base = {"sprint": sprint_value(core), "title": "Concept plan", "due": "vrijdag 17:00", "owners": ""}
    return core.deadlines.submit_deadline_form(ctx(user), {**base, **values})


def deadlines(core: Core) -> list[Deadline]:
    with core.db.session() as s:
        return list(s.exec(select(Deadline)).all())


def test_the_form_offers_only_running_sprints_of_teams_the_user_manages(core: Core) -> None:
    form = core.deadlines.deadline_form(ctx(TEAM_SUP))
    assert isinstance(form, Form) and form.form_id == DEADLINE_FORM_ID
    assert [label for _, label in form.fields[0].options] == ["Krachtteam Bouw — Sprint 1"]
    assert [f.field_id for f in form.fields] == ["sprint", "title", "due", "owners"]
    assert [f.kind for f in form.fields] == ["choice", "line", "line", "users"]
    assert not form.fields[3].required  # empty = the whole team


def test_a_member_who_manages_nothing_gets_a_kind_private_refusal_instead_of_a_form(core: Core) -> None:
    refusal = core.deadlines.deadline_form(ctx(ANNA))
    assert isinstance(refusal, Reply) and refusal.private and "procesbegeleider" in refusal.text
    english = core.deadlines.deadline_form(ctx(ANNA, "en"))
    assert isinstance(english, Reply) and "process supporter" in english.text


def test_a_valid_submission_stores_a_whole_team_deadline_and_confirms_privately(core: Core) -> None:
    result = submit(core)
    assert result.errors == {} and result.reply is not None and result.reply.private
    assert "Concept plan" in result.reply.text and "hele team" in result.reply.text
    [deadline] = deadlines(core)
    assert deadline.whole_team and deadline.title == "Concept plan"
    assert deadline.due_at.isoformat().startswith("2026-12-04T16:00")  # vrijdag 17:00 in Amsterdam, as UTC


def test_chosen_users_become_the_owners(core: Core) -> None:
    result = submit(core, owners="UANNA UBRAM")
    assert result.errors == {} and "Anna" in result.reply.text and "Bram" in result.reply.text
    [deadline] = deadlines(core)
    with core.db.session() as s:
        assert not deadline.whole_team
        assert len(s.exec(select(DeadlineOwner).where(DeadlineOwner.deadline_id == deadline.id)).all()) == 2


@pytest.mark.parametrize(
    ("due", "expected"),
    [("31-02", "bestaat niet"), ("vandaag 08:00", "verleden"), ("dinsdag", "Vandaag is het dinsdag"),
     ("", "geen datum"), ("blauwe maandag", "herken ik niet")],
)  # fmt: skip
def test_an_unusable_date_is_an_error_on_the_date_field_and_nothing_is_stored(
    core: Core, due: str, expected: str
) -> None:
    result = submit(core, due=due)
    assert set(result.errors) == {"due"} and expected in result.errors["due"] and result.reply is None
    assert deadlines(core) == []


def test_every_broken_field_is_reported_at_once(core: Core) -> None:
    result = submit(core, title="   ", due="31-02", owners="UNOTINTEAM")
    assert set(result.errors) == {"title", "due", "owners"}
    assert "leeg" in result.errors["title"] and "UNOTINTEAM" in result.errors["owners"]
    assert deadlines(core) == []


def test_english_errors_for_an_english_user(core: Core) -> None:
    result = core.deadlines.submit_deadline_form(
        ctx(SUP, "en"), {"sprint": sprint_value(core), "title": "Plan", "due": "31-02", "owners": ""}
    )
    assert "not a real date" in result.errors["due"]


def test_a_repeated_submission_does_not_make_a_second_deadline(core: Core) -> None:
    assert submit(core).errors == {}
    again = submit(core)
    assert set(again.errors) == {"title"} and "bestaat al" in again.errors["title"]
    assert len(deadlines(core)) == 1


def test_a_member_cannot_submit_for_a_team_they_do_not_manage(core: Core) -> None:
    result = core.deadlines.submit_deadline_form(
        ctx(ANNA), {"sprint": sprint_value(core), "title": "Plan", "due": "vrijdag", "owners": ""}
    )
    assert set(result.errors) == {"sprint"} and "procesbegeleider" in result.errors["sprint"]
    assert deadlines(core) == []


def test_a_vanished_sprint_is_an_error_on_the_sprint_field(core: Core) -> None:
    result = submit(core, sprint="999999")
    assert set(result.errors) == {"sprint"} and deadlines(core) == []


def test_the_text_command_keeps_working_through_the_same_create(core: Core) -> None:
    reply = core.command(ctx(SUP), "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | team")
    assert "#" in reply.text and len(deadlines(core)) == 1
    again = core.command(ctx(SUP), "deadline nieuw Krachtteam Bouw | concept PLAN | vrijdag 17:00 | team")
    assert "bestaat al" in again.text and len(deadlines(core)) == 1


def test_the_list_carries_a_new_deadline_button_only_for_managers(core: Core) -> None:
    assert [b.action_id for b in core.command(ctx(TEAM_SUP), "deadlines").buttons] == [NEW_FORM_ACTION]
    assert core.command(ctx(ANNA), "deadlines").buttons == ()
    clicked = core.click(ctx(TEAM_SUP), NEW_FORM_ACTION, "new")  # where no modal can open: the usage text
    assert clicked is not None and "{cmd} deadline nieuw" in clicked.reply.text


# --- Slack: modal shape, submitted values, command matcher, submission acks -------------------------------


def test_the_modal_has_a_sprint_select_title_date_and_users_select(core: Core) -> None:
    form = core.deadlines.deadline_form(ctx(SUP))
    view = slack_forms.modal(form, "nl")
    assert view["callback_id"] == DEADLINE_FORM_ID and view["private_metadata"] == "nl"
    assert all(len(view[k]["text"]) <= 24 for k in ("title", "submit", "close"))
    sprint, title, due, owners = view["blocks"]
    assert sprint["element"]["type"] == "static_select"
    assert sprint["element"]["initial_option"] == sprint["element"]["options"][0]
    assert title["element"] == {"type": "plain_text_input", "action_id": "value", "multiline": False,
                                "max_length": 200}  # fmt: skip
    assert "vrijdag 17:00" in due["hint"]["text"] and not due["optional"]
    assert owners["element"]["type"] == "multi_users_select" and owners["optional"]


def test_submitted_values_read_selects_text_and_users() -> None:
    state = {"state": {"values": {
        "sprint": {"value": {"type": "static_select", "selected_option": {"value": "7"}}},
        "title": {"value": {"type": "plain_text_input", "value": "Plan"}},
        "due": {"value": {"type": "plain_text_input", "value": None}},
        "owners": {"value": {"type": "multi_users_select", "selected_users": ["U1", "U2"]}},
    }}}  # fmt: skip
    assert slack_forms.submitted_values(state) == {"sprint": "7", "title": "Plan", "due": "", "owners": "U1 U2"}


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("deadline nieuw", True), ("  Deadline   NEW ", True), ("deadline nieuw Team | x | vrijdag | team", False),
     ("deadlines", False), ("deadline", False)],
)  # fmt: skip
def test_only_the_bare_command_opens_the_form(text: str, wanted: bool) -> None:
    assert slack_deadlines.wants_form({"text": text}) is wanted


class Acks:
    """Records what a listener acknowledged with."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


class NoSlack:
    """A WebClient stand-in that records calls and answers like Slack."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def users_info(self, **kw: Any) -> dict:
        self.calls.append(("users.info", kw))
        return {"user": {"tz": "Europe/Amsterdam", "profile": {"display_name": "Sup"}}}

    def conversations_open(self, **kw: Any) -> dict:
        self.calls.append(("conversations.open", kw))
        return {"channel": {"id": "D" + kw["users"]}}

    def chat_postMessage(self, **kw: Any) -> dict:  # noqa: N802 - the SDK's name
        self.calls.append(("chat.postMessage", kw))
        return {"channel": kw["channel"], "ts": "1.1"}


def submission(core: Core, **values: str) -> dict:
    view = slack_forms.modal(core.deadlines.deadline_form(ctx(SUP)), "nl")
    base = {"sprint": sprint_value(core), "title": "Concept plan", "due": "vrijdag 17:00"}
    state = {}
    for block_id, value in {**base, **values}.items():
        element = {"selected_option": {"value": value}} if block_id == "sprint" else {"value": value}
        state[block_id] = {"value": element}
    return {**view, "state": {"values": state}}


def test_a_bad_date_is_acked_with_errors_on_the_date_field_and_nothing_is_stored(core: Core) -> None:
    ack, client = Acks(), NoSlack()
    view = submission(core, due="31-02")
    slack_deadlines.handle_submission(ack, {"user": {"id": SUP}}, view, core, client)
    [acked] = ack.calls
    assert acked["response_action"] == "errors" and "bestaat niet" in acked["errors"]["due"]
    assert deadlines(core) == [] and not [c for c in client.calls if c[0] == "chat.postMessage"]


def test_a_good_submission_is_stored_before_the_plain_ack_and_confirmed_in_a_dm(core: Core) -> None:
    seen: list[int] = []
    client = NoSlack()

    def ack(**kwargs: Any) -> None:
        seen.append(len(deadlines(core)))  # committed before the modal closes
        assert kwargs == {}

    slack_deadlines.handle_submission(ack, {"user": {"id": SUP}}, submission(core), core, client)
    assert seen == [1]
    [(_, posted)] = [c for c in client.calls if c[0] == "chat.postMessage"]
    assert posted["channel"] == "D" + SUP and "Concept plan" in posted["text"]
