"""Teams settings from the environment: the bot's Entra app (single-tenant) or anonymous local testing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import ConfigError

DEFAULT_PORT = 3978


@dataclass(frozen=True)
class TeamsSettings:
    """TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID, or TEAMS_ALLOW_ANONYMOUS=true for local tests only."""

    app_id: str = ""
    password: str = ""
    tenant_id: str = ""
    anonymous: bool = False
    port: int = DEFAULT_PORT

    @property
    def configured(self) -> bool:
        """True when Teams can be served: credentials, or anonymous local testing."""
        return bool(self.app_id) or self.anonymous

    def sdk_environment(self) -> dict[str, str]:
        """The variables the Agents SDK configures its service connection from."""
        prefix = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
        if not self.app_id:
            return {f"{prefix}ANONYMOUS_ALLOWED": "true"}
        return {
            f"{prefix}AUTHTYPE": "ClientSecret",
            f"{prefix}CLIENTID": self.app_id,
            f"{prefix}CLIENTSECRET": self.password,
            f"{prefix}TENANTID": self.tenant_id,
        }


def _guid(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if value:
        try:
            uuid.UUID(value)
        except ValueError:
            raise ConfigError(name, "verwacht een GUID zoals 00000000-0000-0000-0000-000000000000") from None
    return value


def teams_settings(env: Mapping[str, str]) -> TeamsSettings:
    """Read and check the Teams settings; ConfigError naming the variable when they do not fit together."""
    app_id = _guid(env, "TEAMS_APP_ID")
    tenant_id = _guid(env, "TEAMS_TENANT_ID")
    password = env.get("TEAMS_APP_PASSWORD", "").strip()
    anonymous = env.get("TEAMS_ALLOW_ANONYMOUS", "").strip().lower() in ("1", "true", "yes", "on")
    if app_id and not password:
        raise ConfigError("TEAMS_APP_PASSWORD", "nodig bij TEAMS_APP_ID (het clientgeheim van de Entra-app)")
    if app_id and not tenant_id:
        raise ConfigError("TEAMS_TENANT_ID", "nodig bij TEAMS_APP_ID (lefbot is een single-tenant bot)")
    raw_port = env.get("PORT", "").strip() or str(DEFAULT_PORT)
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise ConfigError("PORT", f"verwacht een poortnummer 1-65535, niet {raw_port!r}")
    return TeamsSettings(app_id, password, tenant_id, anonymous and not app_id, int(raw_port))
