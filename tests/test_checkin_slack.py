"""Slack pieces of check-ins without a server: the modal shape, submitted values, and the worker's scheduler."""

from __future__ import annotations

from bot.chat.forms import Form, FormField
from handlers.slack.forms import modal, submitted_values


def test_modal_has_one_labelled_input_per_question_and_keeps_earlier_answers() -> None:
    form = Form(
        "checkin_form",
        "Check-in van een heel lang teamnaam",
        "Versturen",
        "Annuleren",
        (
            FormField("q0", "Wat deed je?", initial="Plan"),
            FormField("q1", "Waar loop je vast?", required=False, hint="Typ 'niets'"),
            FormField("q2", "Vertrouwen?", kind="scale", initial="4"),
        ),
        "17",
    )
    view = modal(form)
    assert view["private_metadata"] == "17" and len(view["title"]["text"]) <= 24
    first, second, third = view["blocks"]
    assert first["element"]["initial_value"] == "Plan" and first["element"]["max_length"] == 3000
    assert second["optional"] and second["hint"]["text"] == "Typ 'niets'"
    assert third["element"]["initial_option"]["value"] == "4" and len(third["element"]["options"]) == 5
    state = {
        "state": {
            "values": {
                "q0": {"value": {"value": "x"}},
                "q2": {"value": {"selected_option": {"value": "3"}}},
                "q1": {"value": {"value": None}},
            }
        }
    }
    assert submitted_values(state) == {"q0": "x", "q1": "", "q2": "3"}
