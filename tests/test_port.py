"""The port's seams: forms by id, capability fallbacks, the file port, message references and Slack contacts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot import claims
from bot.chat.actions import ActionResult
from bot.chat.addresses import MEMBER, AddressBook
from bot.chat.commands import CommandContext
from bot.chat.forms import Form, FormRegistry, Submitted
from bot.chat.messenger import Capabilities
from bot.chat.replies import MessageRef, Reply
from bot.checkins.models import CheckinRound
from bot.checkins.service import FORM_ID
from bot.checkins.settings_commands import SETTINGS_FORM_ID
from bot.claims import Claim, claim_ref
from bot.config import load_settings
from bot.core import Core
from bot.deadlines.commands.base import DEADLINE_FORM_ID
from handlers.slack.contacts import record_contacts, sender
from tests.checkin_seed import PROMPT, seed
from tests.deadline_helpers import setup_team
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


class Limited(FakeMessenger):
    """An adapter with neither private replies nor in-place updates."""

    capabilities = Capabilities(private_replies=False, update_in_place=False)


class WithFiles(FakeMessenger):
    """An adapter that sends files, recording them."""

    capabilities = Capabilities(files=True)

    def __init__(self) -> None:
        super().__init__()
        self.files: list[tuple[str, str, str]] = []

    def send_file(self, user_id: str, filename: str, content: str, title: str) -> None:
        self.files.append((user_id, filename, content))


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock) -> Core:
    return Core(load_settings(env, dotenv=False), clock=clock, messenger=FakeMessenger())


def test_the_registry_dispatches_by_form_id_and_refuses_a_second_registration() -> None:
    forms = FormRegistry()
    form = Form("f", "Titel", "Opslaan", "Sluiten", ())
    forms.register("f", lambda ctx, value: form if value == "1" else Reply("nee"), lambda ctx, meta, v: Submitted(v))
    ctx = CommandContext("U1")
    assert forms.open("f", ctx, "1") is form and forms.open("f", ctx, "2").text == "nee"
    assert forms.submit("f", ctx, "", {"a": "fout"}).errors == {"a": "fout"}
    with pytest.raises(ValueError, match="twice"):
        forms.register("f", lambda ctx, value: form, lambda ctx, meta, v: Submitted())


def test_the_core_registers_every_form_and_opens_them_by_id(core: Core) -> None:
    assert {DEADLINE_FORM_ID, FORM_ID, SETTINGS_FORM_ID} <= set(core.forms.ids())
    seed(core.db)
    core.clock.set(PROMPT)
    core.checkins.run(PROMPT)
    with core.db.session() as s:
        round_id = s.exec(select(CheckinRound.id)).one()
    form = core.forms.open(FORM_ID, CommandContext("U1", "", "dm"), str(round_id))
    assert isinstance(form, Form) and form.form_id == FORM_ID
    gone = core.forms.open(FORM_ID, CommandContext("U1", "", "dm"), "not-a-round")
    assert isinstance(gone, Reply) and "niet meer" in gone.text.lower()
    assert "_" in core.forms.submit(SETTINGS_FORM_ID, CommandContext("S1"), "", {}).errors
    refused = core.forms.open(DEADLINE_FORM_ID, CommandContext("U1", "C1", "channel"))
    assert isinstance(refused, Reply) and refused.private  # U1 manages no sprint


def test_without_private_replies_a_private_result_comes_as_a_direct_message(core: Core) -> None:
    limited = Limited()
    core.attach_messenger(limited)
    result = core.click(CommandContext("U1", "C1", "channel"), "no_such_action", "")
    assert result.mode == "sent" and [s.target for s in limited.sent] == ["U1"]
    reply = core.command(CommandContext("U1", "C1", "channel"), "mijn gegevens")
    assert "privébericht" in reply.text and not reply.private
    assert [s.kind for s in limited.to("U1")] == ["dm", "dm"]


def test_without_update_in_place_a_new_message_replaces_nothing(core: Core) -> None:
    core.actions.register("test_replace", lambda ctx, value: ActionResult(Reply("Nieuwe versie"), "replace"))
    ctx = CommandContext("U1", "C1", "channel", message=MessageRef("C1", "1.0001"))
    assert core.click(ctx, "test_replace", "").mode == "replace"  # the fake updates in place: the adapter does it
    limited = Limited()
    core.attach_messenger(limited)
    assert core.click(ctx, "test_replace", "").mode == "sent"
    [new] = limited.sent
    assert (new.kind, new.target, new.reply.text) == ("post", "C1", "Nieuwe versie")


def test_a_reply_with_a_file_goes_through_the_file_port_or_inline(core: Core) -> None:
    setup_team(core.db, NOW, [{"id": "U01"}], name="Team Oost")
    inline = core.command(CommandContext("U01", "D1", "dm"), "deadlines ical Team Oost")
    assert "BEGIN:VCALENDAR" in (inline.body or "")  # no file capability: the content in the message
    files = WithFiles()
    core.attach_messenger(files)
    sent = core.command(CommandContext("U01", "D1", "dm"), "deadlines ical Team Oost")
    [(user, filename, content)] = files.files
    assert user == "U01" and filename.endswith(".ics") and "BEGIN:VCALENDAR" in content
    assert sent.body is None and "BEGIN:VCALENDAR" not in sent.text and sent.private


def test_a_file_for_a_member_without_an_address_is_not_sent(env: dict[str, str], clock: FrozenClock) -> None:
    class StoredAddresses(WithFiles):
        platform = "teams"
        capabilities = Capabilities(files=True, direct_by_id=False)

    files = StoredAddresses()
    core = Core(load_settings(env, dotenv=False), clock=clock, messenger=files)
    assert not core.send_file("29:new", "a.csv", "x")
    core.addresses.record(MEMBER, "29:new", "conv-1", NOW)
    assert core.send_file("29:new", "a.csv", "x") and files.files == [("conv-1", "a.csv", "x")]


def test_a_claim_keeps_the_platform_extras_of_its_message(core: Core) -> None:
    with core.db.session() as s:
        claims.claim(s, "k1", now=NOW, kind="test")
        claims.mark_sent(s, "k1", "19:chat", "1690000", {"service_url": "https://smba.example.invalid/"})
    with core.db.session() as s:
        ref = claim_ref(s.get(Claim, "k1"))
    assert ref == MessageRef("19:chat", "1690000")
    extras = {"service_url": "https://smba.example.invalid/"}
    assert (ref.conversation, ref.message_id, ref.extras) == ("19:chat", "1690000", extras)


def test_slack_records_each_user_it_hears_from(core: Core) -> None:
    bodies = [
        {"type": "event_callback", "event": {"type": "message", "user": "U1"}},
        {"command": "/lef", "user_id": "U2"},
        {"type": "block_actions", "user": {"id": "U3"}},
        {"type": "event_callback", "event": {"type": "message", "bot_id": "B1"}},
    ]
    assert [sender(b) for b in bodies] == ["U1", "U2", "U3", ""]
    middleware = record_contacts(core)
    assert [middleware(b, lambda: "next") for b in bodies] == ["next"] * 4
    stored = AddressBook(core.db, core.addresses.platform, direct_by_id=False)
    assert stored.reachable(["U1", "U2", "U3", "U4"]) == {"U1", "U2", "U3"}


def test_home_data_and_sharing_come_from_the_core(core: Core) -> None:
    from bot.answering.sharing import Shared
    from bot.chat.replies import Incoming

    assert core.home("U1").recent_questions == 0
    answer = core.ask(Incoming("U1", "Wat is het doel voor 2030 met grondstoffen?", "D1", "dm"))
    core.answering.questions.flush()
    home = core.home("U1")
    assert home.recent_questions == 1 and home.days == 30 and home.help.text
    shared = core.share(f"1:{answer.reply.meta['entry']}", "U1", "nl")
    assert isinstance(shared, Shared) and "U1" in shared.header and shared.reply.sources
    gone = core.share("1:no-such-entry", "U1", "nl")
    assert isinstance(gone, Reply) and gone.private
