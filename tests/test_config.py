"""Configuration is validated in one place with one-line errors naming the variable."""

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"LEFBOT_DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "x" * 32, **extra}


def test_defaults_are_the_embedded_setup(tmp_path: Path) -> None:
    settings = load_settings(_env(tmp_path), dotenv=False)
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'lefbot.db'}"
    assert settings.kb_path.name == "entries" and settings.kb_path.is_dir()
    assert settings.language == "nl"
    assert str(settings.timezone) == "Europe/Amsterdam"
    assert not settings.slack_configured


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Mars/Olympus"),
        ("BOT_LANGUAGE", "fr"),
        ("KB_PATH", "/does/not/exist"),
        ("DATABASE_URL", "lefbot.db"),
        ("PORT", "99999"),
        ("SECRET_KEY", "short"),
        ("SLACK_BOT_TOKEN", "xoxp-user-token"),
        ("SLACK_APP_TOKEN", "xoxb-not-an-app-token"),
        ("LOG_LEVEL", "LOUD"),
        ("PROCESS_SUPPORTERS", "U01,<@U02>"),
    ],
)
def test_invalid_values_name_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_env(tmp_path, **{name: value}), dotenv=False)
    assert info.value.variable == name
    assert str(info.value).startswith(f"{name}: ")
    assert "\n" not in str(info.value)


def test_http_mode_needs_a_signing_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_env(tmp_path, SLACK_BOT_TOKEN="xoxb-1"), dotenv=False)
    assert info.value.variable == "SLACK_SIGNING_SECRET"


def test_slack_modes(tmp_path: Path) -> None:
    http = load_settings(_env(tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"), dotenv=False)
    assert http.slack_configured and not http.socket_mode
    socket = load_settings(_env(tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1"), dotenv=False)
    assert socket.slack_configured and socket.socket_mode


def test_secret_key_is_generated_once_and_kept(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    env = {"LEFBOT_DATA_DIR": str(tmp_path / "data")}
    first = load_settings(env, dotenv=False).secret_key
    assert "SECRET_KEY not set" in caplog.text
    assert first not in caplog.text
    assert load_settings(env, dotenv=False).secret_key == first
    assert len(first) == 64
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0


def test_process_supporters_and_api_url(tmp_path: Path) -> None:
    settings = load_settings(
        _env(tmp_path, PROCESS_SUPPORTERS="U01, U02;U03", SLACK_API_URL="http://127.0.0.1:9/api"), dotenv=False
    )
    assert settings.process_supporters == {"U01", "U02", "U03"}
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_process_supporters_may_be_ids_of_any_platform(tmp_path: Path) -> None:
    teams_id, entra_id = "29:1a2bXyZ-_c3d", "8f2e4c1a-7b3d-4e5f-9a0b-1c2d3e4f5a6b"
    settings = load_settings(_env(tmp_path, PROCESS_SUPPORTERS=f"U01,{teams_id};{entra_id}"), dotenv=False)
    assert settings.process_supporters == frozenset({"U01", teams_id, entra_id})
    with pytest.raises(ConfigError, match="PROCESS_SUPPORTERS"):
        load_settings(_env(tmp_path, PROCESS_SUPPORTERS="U01,anna de vries"), dotenv=False)
