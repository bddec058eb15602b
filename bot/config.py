"""Configuration: read once from the environment and `.env`, validated, with one-line errors."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

from bot.ids import is_platform_id

log = logging.getLogger(__name__)

DATA_DIR = Path(".lefbot")
BUNDLED_KB = Path(__file__).resolve().parent.parent / "knowledge_base" / "entries"
LANGUAGES = ("nl", "en")


class ConfigError(Exception):
    """A configuration value is missing or invalid; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    """All settings of one lefbot process."""

    database_url: str
    kb_path: Path
    language: str
    timezone: ZoneInfo
    secret_key: str
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = ""
    port: int = 3000
    support_channel: str = ""
    process_supporters: frozenset[str] = field(default_factory=frozenset)
    log_level: str = "INFO"
    nudge_time: time = time(9, 30)
    nudge_offsets: tuple[int, ...] = (3, 1, 0)
    nudge_daily_cap: int = 3
    holidays_off: frozenset[str] = field(default_factory=lambda: _holidays_off({}))
    scheduler_enabled: bool = True
    checkin_retention_days: int = 180

    @property
    def slack_configured(self) -> bool:
        """True when enough Slack credentials are present to run on Slack."""
        return bool(self.slack_bot_token and (self.slack_app_token or self.slack_signing_secret))

    @property
    def socket_mode(self) -> bool:
        """True when Socket Mode is configured (an app-level token is set)."""
        return bool(self.slack_app_token)


def _get(env: dict[str, str], name: str, default: str = "") -> str:
    return env.get(name, default).strip()


def _secret_key(env: dict[str, str], data_dir: Path) -> str:
    value = _get(env, "SECRET_KEY")
    if value:
        if len(value) < 16:
            raise ConfigError(
                "SECRET_KEY", "moet minstens 16 tekens lang zijn (maak er een met `openssl rand -hex 32`)"
            )
        return value
    path = data_dir / "secret_key"
    try:
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(32)
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
    except (OSError, UnicodeDecodeError) as exc:
        problem = getattr(exc, "strerror", None) or "geen leesbare tekst"
        raise ConfigError(
            "SECRET_KEY", f"niet gezet, en {str(path)!r} kan niet gelezen of gemaakt worden ({problem}); zet SECRET_KEY"
        ) from None
    log.warning("SECRET_KEY not set: generated one and stored it in %s; set SECRET_KEY in production", path)
    return value


def _port(env: dict[str, str]) -> int:
    raw = _get(env, "PORT", "3000")
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError("PORT", f"verwacht een poortnummer 1-65535, niet {raw!r}")
    return int(raw)


def _user_ids(env: dict[str, str], name: str) -> frozenset[str]:
    ids = [part.strip() for part in _get(env, name).replace(";", ",").split(",") if part.strip()]
    for user_id in ids:
        if not is_platform_id(user_id):
            raise ConfigError(name, f"verwacht user-ids met komma's ertussen, zoals U01 of 29:1a2b, niet {user_id!r}")
    return frozenset(ids)


def _nudge_time(env: dict[str, str]) -> time:
    raw = _get(env, "NUDGE_HOUR", "09:30").replace(".", ":")
    hours, _, minutes = raw.partition(":")
    if not (hours.isdigit() and (minutes or "0").isdigit() and int(hours) < 24 and int(minutes or 0) < 60):
        raise ConfigError("NUDGE_HOUR", f"verwacht een tijd zoals 09:30, niet {raw!r}")
    moment = time(int(hours), int(minutes or 0))
    if time(2) <= moment < time(3):
        raise ConfigError(
            "NUDGE_HOUR", "02:00-03:00 bestaat niet op de dag dat de klok vooruit gaat; kies een ander uur"
        )
    return moment


def _nudge_offsets(env: dict[str, str]) -> tuple[int, ...]:
    raw = _get(env, "NUDGE_OFFSETS", "3,1,0")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or not all(p.isdigit() and int(p) <= 20 for p in parts):
        raise ConfigError("NUDGE_OFFSETS", f"verwacht werkdagen voor de deadline, zoals 3,1,0 (0-20), niet {raw!r}")
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def _positive_int(env: dict[str, str], name: str, default: str) -> int:
    raw = _get(env, name, default)
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(name, f"verwacht een heel getal van 1 of meer, niet {raw!r}")
    return int(raw)


def _holidays_off(env: dict[str, str]) -> frozenset[str]:
    """HOLIDAYS_OFF parsed; `none` is the empty set, which means: no public holiday is a day off."""
    from bot.calendar.workdays import DEFAULT_HOLIDAYS_OFF, parse_holidays_off

    try:
        return parse_holidays_off(_get(env, "HOLIDAYS_OFF", DEFAULT_HOLIDAYS_OFF) or DEFAULT_HOLIDAYS_OFF)
    except ValueError as exc:
        raise ConfigError("HOLIDAYS_OFF", str(exc)) from None


def _flag(env: dict[str, str], name: str, default: str) -> bool:
    raw = _get(env, name, default).lower()
    if raw not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise ConfigError(name, f"verwacht true of false, niet {raw!r}")
    return raw in ("1", "true", "yes", "on")


def _data_dir(env: dict[str, str]) -> Path:
    path = Path(_get(env, "LEFBOT_DATA_DIR", str(DATA_DIR)))
    existing = next((p for p in (path, *path.parents) if p.exists()), Path.cwd())
    if not existing.is_dir():
        raise ConfigError(
            "LEFBOT_DATA_DIR", f"{str(existing)!r} is een bestand, geen map; kies een map voor lefbots gegevens"
        )
    in_use = not _get(env, "SECRET_KEY") or not _get(env, "DATABASE_URL")
    if in_use and not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            "LEFBOT_DATA_DIR",
            f"lefbot mag niet schrijven in {str(existing)!r}; pas de rechten aan of kies een andere map",
        )
    return path


def _database_url(env: dict[str, str], data_dir: Path) -> str:
    url = _get(env, "DATABASE_URL") or f"sqlite:///{data_dir / 'lefbot.db'}"
    scheme = url.partition("://")[0].partition("+")[0].lower() if "://" in url else ""
    if scheme not in ("sqlite", "postgres", "postgresql"):
        from bot.db import shown_url

        raise ConfigError(
            "DATABASE_URL",
            f"lefbot werkt met SQLite of PostgreSQL; verwacht een URL zoals sqlite:///lefbot.db of "
            f"postgresql://user:wachtwoord@host/db, niet {shown_url(url) if scheme else repr(url)}",
        )
    return url


def _kb_path(env: dict[str, str]) -> Path:
    path = Path(_get(env, "KB_PATH") or BUNDLED_KB)
    if not path.is_dir():
        raise ConfigError("KB_PATH", f"verwacht een map met kennisbankartikelen; {str(path)!r} is geen map")
    if not os.access(path, os.R_OK | os.X_OK):
        raise ConfigError("KB_PATH", f"lefbot mag de map {str(path)!r} niet lezen; pas de rechten aan")
    return path


def load_settings(env: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read and validate settings from `env` (default: the process environment plus `.env`)."""
    if env is None:
        if dotenv:
            load_dotenv(Path.cwd() / ".env", override=False)
        env = dict(os.environ)
    data_dir = _data_dir(env)
    database_url = _database_url(env, data_dir)
    kb_path = _kb_path(env)
    language = _get(env, "BOT_LANGUAGE", "nl").lower()
    if language not in LANGUAGES:
        raise ConfigError("BOT_LANGUAGE", f"verwacht {' of '.join(LANGUAGES)}, niet {language!r}")
    tz_name = _get(env, "TIMEZONE", "Europe/Amsterdam")
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("TIMEZONE", f"verwacht een IANA-tijdzone zoals Europe/Amsterdam, niet {tz_name!r}") from None
    log_level = _get(env, "LOG_LEVEL", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError("LOG_LEVEL", f"verwacht DEBUG, INFO, WARNING of ERROR, niet {log_level!r}")
    api_url = _get(env, "SLACK_API_URL")
    if api_url and not api_url.startswith(("http://", "https://")):
        raise ConfigError("SLACK_API_URL", f"verwacht een http(s)-URL zoals https://slack.com/api/, niet {api_url!r}")
    if api_url and not api_url.endswith("/"):
        api_url += "/"
    app_token = _get(env, "SLACK_APP_TOKEN")
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN", "verwacht een app-level token dat begint met xapp-")
    bot_token = _get(env, "SLACK_BOT_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN", "verwacht een bot-token dat begint met xoxb-")
    signing_secret = _get(env, "SLACK_SIGNING_SECRET")
    if bot_token and not app_token and not signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET", "nodig in HTTP-modus (of zet SLACK_APP_TOKEN voor Socket Mode)")
    return Settings(
        database_url=database_url,
        kb_path=kb_path,
        language=language,
        timezone=timezone,
        secret_key=_secret_key(env, data_dir),
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_api_url=api_url,
        port=_port(env),
        support_channel=_get(env, "SUPPORT_CHANNEL"),
        process_supporters=_user_ids(env, "PROCESS_SUPPORTERS"),
        log_level=log_level,
        nudge_time=_nudge_time(env),
        nudge_offsets=_nudge_offsets(env),
        nudge_daily_cap=_positive_int(env, "NUDGE_DAILY_CAP", "3"),
        holidays_off=_holidays_off(env),
        scheduler_enabled=_flag(env, "SCHEDULER_ENABLED", "true"),
        checkin_retention_days=_positive_int(env, "CHECKIN_RETENTION_DAYS", "180"),
    )
