"""End to end, deadlines in Slack: the team calendar arrives as an .ics file through files_upload_v2."""

from __future__ import annotations

import json
import uuid

from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import SlackSender


def unique(prefix: str) -> str:
    """A unique readable id."""
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


def test_lef_deadlines_ical_uploads_the_calendar_file(slack: SlackSender, fake_slack: FakeSlack, e2e_db) -> None:  # noqa: ANN001
    from datetime import UTC, date, datetime

    from bot.services import deadlines as dl
    from bot.services import teams as team_svc
    from bot.team_models import Team

    name, member = unique("Team "), unique("UMEM")
    now = datetime.now(UTC)
    with e2e_db.session() as s:
        team = Team(name=name, channel=unique("C"), created_at=now)
        s.add(team)
        s.flush()
        team_svc.add_to_team(s, team, team_svc.ensure_member(s, member, now, "Mila"))
        sprint = dl.create_sprint(s, team, "Sprint 1", date(2030, 5, 1), date(2030, 6, 30))
        dl.create_deadline(s, sprint, "Concept plan", datetime(2030, 6, 7, 15, tzinfo=UTC), [], True, now)
    url = fake_slack.response_url(unique("ical"))
    assert slack.command(f"deadlines ical {name}", member, unique("C"), url).status == 200
    [complete] = fake_slack.wait_for("files.completeUploadExternal")
    [ask] = fake_slack.calls_to("files.getUploadURLExternal")
    [upload] = fake_slack.calls_to("file_upload")
    content = upload.body["content"]
    assert content.startswith("BEGIN:VCALENDAR") and "SUMMARY:Deadline: Concept plan" in content
    assert int(ask.body["length"]) == len(content.encode()) and ask.body["filename"].endswith(".ics")
    assert upload.body["file_id"] == json.loads(complete.body["files"])[0]["id"]
    assert complete.body["channel_id"] == "D" + member.lstrip("U")  # the member's DM with the bot
    reply = fake_slack.wait_for("response_url", where=lambda c: c.path.endswith(url.rsplit("/", 1)[1]))[0]
    assert ".ics" in reply.texts() and "BEGIN:VCALENDAR" not in reply.texts()  # the file, not its text
