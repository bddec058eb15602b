"""The Teams adapter's pure parts: Markdown from the core's markup, signed card bodies, commands, routing."""

from __future__ import annotations

import uuid

import pytest

from bot.chat.replies import Button, Link, Reply
from bot.config import ConfigError
from handlers.teams import cards
from handlers.teams.inbound import command_text, dedupe_key, message_text
from handlers.teams.messenger import is_teams_target
from handlers.teams.run import RoutingMessenger
from handlers.teams.settings import teams_settings

SECRET = "unit-secret-0123456789"


def test_core_markup_becomes_card_markdown() -> None:
    text = "*Let op:* zie <https://example.nl/a|de regeling> en <mailto:x@example.nl>\n• punt &amp; zo"
    assert cards.markdown(text) == "**Let op:** zie [de regeling](https://example.nl/a) en x@example.nl\n- punt & zo"
    assert cards.plain(text).startswith("Let op: zie de regeling (https://example.nl/a)")


def test_card_has_fallback_sources_and_signed_buttons() -> None:
    reply = Reply("Antwoord", title="Vraag?", body="Tekst", sources=(Link("Bron", "https://example.nl"),),
                  buttons=(Button("Ja, dit hielp", "answer_helpful", "7", "primary"),))  # fmt: skip
    card = cards.card(reply, "nl", SECRET)
    assert card["version"] == "1.5" and card["fallbackText"] == "Antwoord"
    [button] = card["actions"]
    assert (button["type"], button["verb"], button["style"], button["data"]["v"]) == (
        "Action.Execute", "answer_helpful", "positive", "7",
    )  # fmt: skip
    assert cards.unpack_body(button["data"], SECRET) == card["body"]
    assert cards.unpack_body({**button["data"], "s": "0" * 32}, SECRET) is None
    assert cards.unpack_body(button["data"], "another-secret-0123") is None


def test_commands_need_the_prefix_except_help_and_listed_titles() -> None:
    listed = ("help", "mijn deadlines")
    assert command_text("/lef mijn deadlines", listed) == "mijn deadlines"
    assert command_text("LEF deadline nieuw", listed) == "deadline nieuw"
    assert command_text("lef", listed) == ""
    assert command_text("help", listed) == "help"
    assert command_text("mijn deadlines", listed) == "mijn deadlines"
    assert command_text("lefgozer wat is een sprint", listed) is None
    assert command_text("wat is een sprint?", listed) is None


def test_mentions_and_markup_are_stripped_from_typed_text() -> None:
    assert message_text("<at>lefbot</at>  wat is een <b>sprint</b>?") == "wat is een sprint?"


def test_dedupe_key_only_for_messages_and_invokes_with_an_id() -> None:
    assert dedupe_key(b'{"type": "message", "id": "1", "conversation": {"id": "a"}}').startswith("teams:")
    assert dedupe_key(b'{"type": "message", "conversation": {"id": "a"}}') is None
    assert dedupe_key(b'{"type": "conversationUpdate", "id": "1"}') is None


def test_routing_by_id_shape() -> None:
    assert is_teams_target(str(uuid.uuid4())) and is_teams_target("19:abc@thread.tacv2")
    assert not is_teams_target("U0123ABC") and not is_teams_target("C0123")

    class Named:
        def __init__(self, name: str) -> None:
            self.name = name

        def send_dm(self, user_id: str, reply: Reply) -> str:
            return self.name

    routing = RoutingMessenger(Named("teams"), Named("slack"))
    assert routing.send_dm(str(uuid.uuid4()), Reply("x")) == "teams"
    assert routing.send_dm("U0123", Reply("x")) == "slack"


def test_teams_settings_fit_together() -> None:
    guid = str(uuid.uuid4())
    assert not teams_settings({}).configured
    assert teams_settings({"TEAMS_ALLOW_ANONYMOUS": "true"}).anonymous
    full = teams_settings({"TEAMS_APP_ID": guid, "TEAMS_APP_PASSWORD": "s", "TEAMS_TENANT_ID": guid,
                           "TEAMS_ALLOW_ANONYMOUS": "true"})  # fmt: skip
    assert full.configured and not full.anonymous and full.port == 3978  # credentials win over anonymous
    assert full.sdk_environment()["CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID"] == guid
    for env, variable in (
        ({"TEAMS_APP_ID": "nope"}, "TEAMS_APP_ID"),
        ({"TEAMS_APP_ID": guid, "TEAMS_TENANT_ID": guid}, "TEAMS_APP_PASSWORD"),
        ({"TEAMS_APP_ID": guid, "TEAMS_APP_PASSWORD": "s"}, "TEAMS_TENANT_ID"),
        ({"PORT": "99999"}, "PORT"),
    ):
        with pytest.raises(ConfigError) as raised:
            teams_settings(env)
        assert raised.value.variable == variable


def test_one_cohort_file_mixes_slack_and_teams_teams(run_cli, tmp_path, db) -> None:  # noqa: ANN001
    from sqlmodel import select

    from bot.deadlines.models import Team
    from bot.people.models import Member

    anna, sup = str(uuid.uuid4()), str(uuid.uuid4())
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text(
        f"""teams:
  - name: Slack team
    channel: C0123ABC
    members: [{{id: U01}}]
  - name: Teams team
    channel: "19:{"b" * 16}@thread.tacv2"
    process_supporters: ["{sup}"]
    members: [{{id: "{anna}"}}]
    sprints:
      - {{name: Sprint 1, start: 2026-12-01, end: 2026-12-19,
          deadlines: [{{title: Plan, due: "2026-12-11 17:00", owners: ["{anna}"]}}]}}
""",
        encoding="utf-8",
    )
    code, _out, err = run_cli("teams", "import", str(cohort))
    assert code == 0, err
    with db.session() as s:
        channels = {t.name: t.channel for t in s.exec(select(Team)).all()}
        members = {m.user_id for m in s.exec(select(Member)).all()}
    assert channels["Teams team"].startswith("19:") and channels["Slack team"] == "C0123ABC"
    assert {anna, sup, "U01"} <= members


def test_outbound_hosts_are_checked_in_production_only() -> None:
    from handlers.teams.app import make_adapter
    from handlers.teams.settings import TeamsSettings

    guid = str(uuid.uuid4())
    production = make_adapter(TeamsSettings(app_id=guid, password="s", tenant_id=guid))[0]._host_validator
    assert production.enabled
    assert production.is_allowed("https://smba.trafficmanager.net/emea/")
    assert not production.is_allowed("http://127.0.0.1:3978/")
    assert not production.is_allowed("https://attacker.example.com/")
    assert not make_adapter(TeamsSettings(anonymous=True))[0]._host_validator.enabled


def test_neutral_markup_becomes_card_markdown() -> None:
    text = (
        "**Let op:** [@Anna](user:29:1a2b) zie [de regeling](https://example.nl/a) in [#bouw](channel:19:x)\n"
        "- typ `{cmd} help`"
    )
    want = "**Let op:** Anna zie [de regeling](https://example.nl/a) in #bouw\n- typ `lef help`"
    assert cards.markdown(text) == want
    assert cards.plain(text) == "Let op: Anna zie de regeling (https://example.nl/a) in #bouw\n- typ lef help"
    assert cards.markdown("[@](user:29:1a2b) _schuin_") == "29:1a2b _schuin_"
