"""Slash-command text: people and channels Slack resolved stay ids; unresolved @names are not ids."""

from pathlib import Path

import pytest
import yaml

from bot.chat.replies import Mention
from bot.deadlines.teams import parse_user
from handlers.slack.markup import command_text, mentions

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("team lid Bouw | <@U01ABC|anna>", "team lid Bouw | @U01ABC"),
        ("deadline nieuw 1 | Plan | vrijdag | <@U01>,<@W02|b>", "deadline nieuw 1 | Plan | vrijdag | @U01,@W02"),
        ("team kanaal Bouw | <#C0123|krachtteam-bouw>", "team kanaal Bouw | #C0123"),
        ("team lid Bouw | @anna", "team lid Bouw | ‹@anna›"),
        ("vraag wat is <!channel> sps?", "vraag wat is sps?"),
        ("vraag mail naar info@example.org", "vraag mail naar info@example.org"),
        ("deadline nieuw 1 | Plan <b>vet</b> | vrijdag", "deadline nieuw 1 | Plan ‹b›vet‹/b› | vrijdag"),
        ("[klik](https://evil.example) [@baas](user:UB)", "[klik] (https://evil.example) [‹@baas›] (user:UB)"),
        ("", ""),
    ],
)
def test_command_text(raw: str, plain: str) -> None:
    assert command_text(raw) == plain


def test_an_unresolved_name_is_not_taken_for_a_user_id() -> None:
    assert parse_user(command_text("<@U01ABC|anna>")) == "U01ABC"
    assert parse_user(command_text("@anna")) is None


def test_the_adapter_lists_the_mentions_with_their_names() -> None:
    text = "team lid Bouw | <@U01ABC|anna> en <@W02> in <#C0123|krachtteam-bouw>, nog eens <@U01ABC|anna>"
    assert mentions(text) == (
        Mention("U01ABC", "anna"),
        Mention("W02"),
        Mention("C0123", "krachtteam-bouw", channel=True),
    )
    assert mentions("@anna <!channel> <https://a.nl|a>") == ()


def test_the_manifest_asks_slack_to_escape_mentions() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/lef" and command["should_escape"] is True
