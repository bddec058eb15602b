"""Neutral core markup: Slack renders it as the mrkdwn it always sent, the console as clean plain text."""

import pytest

from bot.chat.markup import bold, channel, mention
from bot.chat.replies import Reply
from bot.texts import t
from handlers.console import plain
from handlers.slack.blocks import render
from handlers.slack.mrkdwn import t as slack_t
from handlers.slack.mrkdwn import to_mrkdwn


@pytest.mark.parametrize(
    ("key", "values", "core", "slack"),
    [
        ("dl.no_deadline", {"id": 7}, "Zie `{cmd} deadline lijst`.", "Ik ken geen deadline #7. Zie `/lef deadline"),
        ("dl.team_created", {"team": "Bouw"}, "Team **Bouw** is", "Team *Bouw* is aangemaakt."),
        ("answer.shared", {"user": "U01"}, "[@U01](user:U01) deelde", "<@U01> deelde dit antwoord van lefbot:"),
        ("checkins.question", {"number": 1, "count": 4, "question": "W"}, "**Vraag 1 van 4:**", "*Vraag 1 van 4:* W"),
    ],
)  # fmt: skip
def test_core_texts_are_neutral_and_slack_gets_its_mrkdwn(key: str, values: dict, core: str, slack: str) -> None:
    assert core in t(key, "nl", **values)
    assert "/lef" not in t(key, "nl", **values) and "<@" not in t(key, "nl", **values)
    assert slack_t(key, "nl", **values).startswith(slack)


def test_slack_rendering() -> None:
    text = f"{bold('Let op')}: {mention('U01', 'Anna')} in {channel('C01', 'bouw')}, zie [de site](https://a.nl/x|y)."
    assert to_mrkdwn(text) == "*Let op*: <@U01> in <#C01>, zie <https://a.nl/x%7Cy|de site>."
    assert to_mrkdwn("*kb vet* en <https://a.nl|kb link> blijven") == "*kb vet* en <https://a.nl|kb link> blijven"
    assert to_mrkdwn("Typ `{cmd} help`") == "Typ `/lef help`"
    text = "**Hoi** `{cmd} help`"
    payload = render(Reply(text, title="**T**", body=text, context="[a](mailto:x@y.nl)"))
    assert payload["text"] == "*Hoi* `/lef help`"
    assert payload["blocks"][1]["text"]["text"] == "*Hoi* `/lef help`"
    assert payload["blocks"][2]["elements"][0]["text"] == "<mailto:x@y.nl|a>"


def test_console_rendering_is_clean_plain_text() -> None:
    text = f"{bold('Let op')}: {mention('U01', 'Anna')} en {mention('29:x')} in {channel('C01', 'bouw')}"
    assert plain(text + ", zie [de site](https://a.nl/x). Typ `{cmd} help`.") == (
        "Let op: @Anna en @29:x in #bouw, zie de site (https://a.nl/x). Typ /lef help."
    )
    usage = plain(t("dl.team_usage", "nl"))
    assert "/lef team nieuw <naam> [kanaal]" in usage and "**" not in usage and "`" not in usage


def test_typed_markup_in_a_checkin_answer_pings_no_one() -> None:
    from bot.checkins.answer_checks import defuse

    assert to_mrkdwn(defuse("[@baas](user:UBOSS) en <@U2>")) == "@baas en ‹@U2›"
