"""Block Kit rendering of neutral replies, and Slack markup to plain text."""

from __future__ import annotations

from bot.chat.replies import Button, Link, Reply
from handlers.slack.blocks import (
    ACTIONS_BLOCK,
    BLOCKS_MAX,
    SECTION_MAX,
    amend,
    base_action_id,
    neutralise,
    render,
    split_text,
)
from handlers.slack.markup import from_slack


def _types(blocks: list[dict]) -> list[str]:
    return [b["type"] for b in blocks]


def test_answer_renders_header_body_sources_context_and_buttons() -> None:
    reply = Reply(
        text="Titel\n\nTekst",
        title="Titel",
        body="Tekst",
        sources=(Link("Bron & <co>", "https://example.org/a|b c"),),
        context="Gecontroleerd op 01-12-2026",
        buttons=(Button("Ja, dit hielp", "answer_helpful", "7", "primary"), Button("Nee", "answer_not_helpful", "7")),
    )
    message = render(reply)
    assert message["text"] == "Titel\n\nTekst"
    assert _types(message["blocks"]) == ["header", "section", "section", "context", "actions"]
    assert message["blocks"][2]["text"]["text"] == "*Bronnen*\n• <https://example.org/a%7Cb%20c|Bron &amp; &lt;co&gt;>"
    buttons = message["blocks"][-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["answer_helpful", "answer_not_helpful"]
    assert [b["value"] for b in buttons] == ["7", "7"]
    assert buttons[0]["style"] == "primary" and "style" not in buttons[1]
    assert render(reply, "en")["blocks"][2]["text"]["text"].startswith("*Sources*")


def test_header_is_cut_to_150_and_long_bodies_split_into_3000_char_sections() -> None:
    body = ("Een zin van enige lengte. " * 40 + "\n\n") * 12
    message = render(Reply(text=body, title="T" * 400, body=body))
    header = message["blocks"][0]["text"]["text"]
    assert len(header) == 150 and header.endswith("…")
    sections = [b for b in message["blocks"] if b["type"] == "section"]
    assert len(sections) >= 4
    assert all(len(s["text"]["text"]) <= SECTION_MAX for s in sections)
    assert "".join(s["text"]["text"] for s in sections).replace("\n", "").replace(" ", "") == body.replace(
        "\n", ""
    ).replace(" ", "")
    assert len(message["text"]) <= 3000


def test_split_text_never_loses_text_even_without_spaces() -> None:
    text = "x" * 7000
    chunks = split_text(text, 3000)
    assert [len(c) for c in chunks] == [3000, 3000, 1000]


def test_choices_get_unique_action_ids_that_map_back_to_the_core_id() -> None:
    choices = tuple(Button(f"Keuze {i}", "answer_choose", f"3:e{i}") for i in range(3))
    message = render(
        Reply(
            text="Bedoelde je…?",
            body="Bedoelde je…?",
            choices=choices,
            buttons=(Button("Geen van deze", "answer_escalate", "3"),),
        )
    )
    ids = [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert ids == ["answer_choose", "answer_choose#2", "answer_choose#3", "answer_escalate"]
    assert {base_action_id(i) for i in ids} == {"answer_choose", "answer_escalate"}
    assert len(set(ids)) == len(ids)


def test_more_than_25_buttons_are_spread_over_actions_blocks_and_labels_cut() -> None:
    buttons = tuple(Button("L" * 100, "pick", str(i)) for i in range(30))
    blocks = render(Reply(text="kies", buttons=buttons))["blocks"]
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    assert len({a["block_id"] for a in actions}) == 2
    assert all(len(e["text"]["text"]) <= 75 for a in actions for e in a["elements"])


def test_a_message_never_exceeds_50_blocks() -> None:
    body = "\n\n".join("p" * 2900 for _ in range(80))
    assert len(render(Reply(text=body, body=body, buttons=(Button("Ja", "a", "1"),)))["blocks"]) <= BLOCKS_MAX


def test_text_only_reply_and_empty_reply_still_have_text() -> None:
    assert render(Reply(text="Graag gedaan!")) == {
        "text": "Graag gedaan!",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Graag gedaan!"}}],
    }
    assert render(Reply(text=""))["text"] == "…"


def test_broadcast_mentions_never_leave_the_bot() -> None:
    assert neutralise("hoi <!channel> en <!here|here> en <!subteam^S123|@team>") == "hoi @channel en @here en @team"
    message = render(Reply(text="<!everyone> lees dit", title="<!here>", body="<!channel>"))
    assert "<!" not in str(message)


def test_amend_swaps_only_the_clicked_actions_block() -> None:
    original = render(
        Reply(
            text="T",
            title="T",
            body="B",
            context="c",
            buttons=(Button("Ja", "answer_helpful", "1"), Button("Nee", "answer_not_helpful", "1")),
        )
    )
    result = Reply("Bedankt. Zal ik het doorgeven?", buttons=(Button("Vraag het", "answer_escalate", "1"),))
    blocks = amend(original["blocks"], ACTIONS_BLOCK, result)
    assert _types(blocks) == ["header", "section", "context", "section", "actions"]
    assert blocks[3]["text"]["text"] == "Bedankt. Zal ik het doorgeven?"
    assert [e["action_id"] for e in blocks[4]["elements"]] == ["answer_escalate"]
    thanked = amend(blocks, blocks[4]["block_id"], Reply("Doorgegeven."))
    assert _types(thanked) == ["header", "section", "context", "section", "section"]


def test_from_slack_drops_mentions_and_defuses_markup() -> None:
    assert from_slack("<@U0BOT> wat is een krachtteam?") == "wat is een krachtteam?"
    assert from_slack("<@U0BOT>") == ""
    assert from_slack("zie <https://a.nl/x|de site> en <#C1|algemeen>") == "zie de site en #algemeen"
    assert from_slack("<!here> vraag") == "vraag"
    assert from_slack("a &lt;!channel&gt; &amp; b") == "a ‹!channel› & b"
    assert from_slack(None) == ""
