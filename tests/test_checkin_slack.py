"""Slack pieces of check-ins without a server: the modal shape, submitted values, and the worker's scheduler."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from bot.config import Settings
from bot.forms import Form, FormField
from handlers.slack import run as run_module
from handlers.slack import worker
from handlers.slack.checkins import modal, submitted_values


def test_modal_has_one_labelled_input_per_question_and_keeps_earlier_answers() -> None:
    form = Form("checkin_form", "Check-in van een heel lang teamnaam", "Versturen", "Annuleren", (
        FormField("q0", "Wat deed je?", initial="Plan"),
        FormField("q1", "Waar loop je vast?", required=False, hint="Typ 'niets'"),
        FormField("q2", "Vertrouwen?", kind="scale", initial="4"),
    ), "17")
    view = modal(form)
    assert view["private_metadata"] == "17" and len(view["title"]["text"]) <= 24
    first, second, third = view["blocks"]
    assert first["element"]["initial_value"] == "Plan" and first["element"]["max_length"] == 3000
    assert second["optional"] and second["hint"]["text"] == "Typ 'niets'"
    assert third["element"]["initial_option"]["value"] == "4" and len(third["element"]["options"]) == 5
    state = {"state": {"values": {"q0": {"value": {"value": "x"}}, "q2": {"value": {"selected_option": {"value": "3"}}},
                                  "q1": {"value": {"value": None}}}}}
    assert submitted_values(state) == {"q0": "x", "q1": "", "q2": "3"}


def test_the_worker_hosts_the_scheduler(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    started: list[object] = []
    monkeypatch.setattr(worker.scheduler, "start", lambda core: started.append(core))
    monkeypatch.setattr(run_module.scheduler, "shutdown", lambda: started.append("stopped"))
    monkeypatch.setattr(run_module, "_wait_for_stop", lambda: None)
    monkeypatch.setattr(worker, "worker_core", lambda s: SimpleNamespace(settings=s))
    slack = dataclasses.replace(settings, slack_bot_token="xoxb-1", slack_signing_secret="s")
    assert run_module.run(slack, worker=True) == 0
    assert [getattr(x, "settings", x) for x in started] == [slack, "stopped"]
    started.clear()
    assert run_module.run(dataclasses.replace(slack, scheduler_enabled=False), worker=True) == 0
    assert started == []
