"""The Teams app package: manifest.json (schema 1.17, Dutch with English localisation) and the two icons, zipped."""

from __future__ import annotations

import json
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_VERSION = "1.17"
SCHEMA_URL = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_URL = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json"
ICONS = Path(__file__).resolve().parent
ENGLISH_FILE = "en-us.json"
ACCENT_COLOR = "#154273"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# (title, Dutch description, English description); a title is what Teams sends when the user picks it.
COMMANDS: dict[str, tuple[str, str]] = {
    "help": ("Wat lefbot kan, en alle opdrachten", "What lefbot can do, and all commands"),
    "vraag": ("Stel een vraag over het programma, bv. vraag wanneer is de terugkomdag?", "Ask a question"),
    "team": ("Je krachtteam bekijken of beheren", "View or manage your team"),
    "sprint": ("Sprints van je team", "Your team's sprints"),
    "deadline": ("Een deadline toevoegen of wijzigen", "Add or change a deadline"),
    "deadlines": ("Open deadlines van je teams", "Open deadlines of your teams"),
    "mijn deadlines": ("Jouw open deadlines", "Your open deadlines"),
    "vrij": ("Je vaste vrije dagen, bv. vrij vrijdag", "Your regular days off"),
    "afwezig": ("Afwezig, bv. afwezig 21-12 tot 3-1", "Out of office"),
    "checkin": ("Check-ins van je team instellen", "Set up your team's check-ins"),
    "mijn gegevens": ("Wat lefbot over jou bewaart", "What lefbot stores about you"),
    "vergeet mij": ("Wis alles wat lefbot over jou bewaart", "Erase everything lefbot stores about you"),
}
# Teams allows 10 commands per list and one list per scope: privacy commands in the 1:1 chat, team ones in teams.
PERSONAL_COMMANDS = ("help", "vraag", "mijn deadlines", "deadlines", "deadline", "checkin", "vrij", "afwezig",
                     "mijn gegevens", "vergeet mij")  # fmt: skip
GROUP_COMMANDS = ("help", "vraag", "team", "sprint", "deadline", "deadlines", "mijn deadlines", "checkin", "vrij",
                  "afwezig")  # fmt: skip

NAME_FULL = {"nl": "lefbot, assistent van Ambtenaren met Lef", "en": "lefbot, assistant of Ambtenaren met Lef"}
DESCRIPTION_SHORT = {
    "nl": "Antwoorden, deadlines en check-ins voor Ambtenaren met Lef",
    "en": "Answers, deadlines and check-ins for Ambtenaren met Lef",
}
DESCRIPTION_FULL = {
    "nl": (
        "lefbot helpt deelnemers van het programma Ambtenaren met Lef. Stel je vraag in de chat en krijg een "
        "antwoord uit de kennisbank, met de bron erbij. Weet lefbot het niet, dan zegt hij dat eerlijk en kun je "
        "een procesbegeleider vragen. lefbot herinnert je krachtteam aan deadlines en vraagt om een korte "
        "check-in. Typ help voor alle opdrachten."
    ),
    "en": (
        "lefbot helps participants of the Ambtenaren met Lef programme. Ask your question in the chat and get an "
        "answer from the knowledge base, with its source. When lefbot does not know, it says so and lets you ask "
        "a process supporter. lefbot reminds your team of deadlines and asks for a short check-in. Type help for "
        "all commands."
    ),
}


@dataclass(frozen=True)
class AppSettings:
    """What the manifest needs from the deployment: the bot's Entra app id, who publishes it, where it lives."""

    app_id: str
    website_url: str
    version: str = "1.0.0"
    bot_name: str = "lefbot"
    developer_name: str = "Ambtenaren met Lef"
    privacy_url: str = ""  # default: the website
    terms_url: str = ""  # default: the website
    valid_domains: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "privacy_url", self.privacy_url or self.website_url)
        object.__setattr__(self, "terms_url", self.terms_url or self.website_url)
        if not _GUID.match(self.app_id):
            raise ValueError(f"TEAMS_APP_ID must be the bot's Entra application id (a GUID), not {self.app_id!r}")
        if not re.match(r"^\d+\.\d+\.\d+$", self.version):
            raise ValueError(f"the app version must look like 1.0.0, not {self.version!r}")
        for url in (self.website_url, self.privacy_url, self.terms_url):
            if not re.match(r"^https://[^\s/]+", url):
                raise ValueError(f"TEAMS_WEBSITE_URL (and the privacy and terms URLs) must be https URLs, not {url!r}")
        if not 0 < len(self.developer_name) <= 32 or not 0 < len(self.bot_name) <= 30:
            raise ValueError("the developer name may have at most 32 characters, the bot name at most 30")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AppSettings:
        """From TEAMS_APP_ID, TEAMS_WEBSITE_URL and the optional TEAMS_APP_VERSION, TEAMS_DEVELOPER_NAME,
        TEAMS_PRIVACY_URL, TEAMS_TERMS_URL, TEAMS_VALID_DOMAINS (comma separated)."""
        optional = {
            "version": "TEAMS_APP_VERSION",
            "developer_name": "TEAMS_DEVELOPER_NAME",
            "privacy_url": "TEAMS_PRIVACY_URL",
            "terms_url": "TEAMS_TERMS_URL",
        }
        values: dict[str, Any] = {key: env[name].strip() for key, name in optional.items() if env.get(name, "").strip()}
        domains = tuple(d.strip() for d in env.get("TEAMS_VALID_DOMAINS", "").split(",") if d.strip())
        return cls(
            app_id=env.get("TEAMS_APP_ID", "").strip(),
            website_url=env.get("TEAMS_WEBSITE_URL", "").strip(),
            valid_domains=domains,
            **values,
        )


def _command_lists(lang: str) -> list[dict[str, Any]]:
    pick = 0 if lang == "nl" else 1
    return [
        {"scopes": scopes, "commands": [{"title": t, "description": COMMANDS[t][pick]} for t in titles]}
        for scopes, titles in ((["personal"], PERSONAL_COMMANDS), (["team", "groupChat"], GROUP_COMMANDS))
    ]


def manifest(settings: AppSettings) -> dict[str, Any]:
    """The manifest.json content (Dutch; English in en-us.json)."""
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": settings.version,
        "id": settings.app_id,
        "localizationInfo": {
            "defaultLanguageTag": "nl-nl",
            "additionalLanguages": [{"languageTag": "en-us", "file": ENGLISH_FILE}],
        },
        "developer": {
            "name": settings.developer_name,
            "websiteUrl": settings.website_url,
            "privacyUrl": settings.privacy_url,
            "termsOfUseUrl": settings.terms_url,
        },
        "name": {"short": settings.bot_name, "full": NAME_FULL["nl"]},
        "description": {"short": DESCRIPTION_SHORT["nl"], "full": DESCRIPTION_FULL["nl"]},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": settings.app_id,
                "scopes": ["personal", "team", "groupChat"],
                "isNotificationOnly": False,
                "supportsFiles": False,
                "supportsCalling": False,
                "supportsVideo": False,
                "commandLists": _command_lists("nl"),
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": list(settings.valid_domains),
    }


def english(settings: AppSettings) -> dict[str, Any]:
    """The en-us.json localisation file: English names, descriptions and command descriptions."""
    strings: dict[str, Any] = {
        "$schema": LOCALIZATION_SCHEMA_URL,
        "name.short": settings.bot_name,
        "name.full": NAME_FULL["en"],
        "description.short": DESCRIPTION_SHORT["en"],
        "description.full": DESCRIPTION_FULL["en"],
    }
    for i, command_list in enumerate(_command_lists("en")):
        for j, command in enumerate(command_list["commands"]):
            strings[f"bots[0].commandLists[{i}].commands[{j}].title"] = command["title"]
            strings[f"bots[0].commandLists[{i}].commands[{j}].description"] = command["description"]
    return strings


def build_package(settings: AppSettings, out_path: Path) -> Path:
    """Write the app package zip (manifest.json, en-us.json, color.png, outline.png) to `out_path`."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest(settings), ensure_ascii=False, indent=2))
        package.writestr(ENGLISH_FILE, json.dumps(english(settings), ensure_ascii=False, indent=2))
        for icon in ("color.png", "outline.png"):
            package.write(ICONS / icon, icon)
    return out_path


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """`python -m handlers.teams.app_package [OUT.zip]`: build the package from TEAMS_* environment variables."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "lefbot-teams.zip")
    try:
        settings = AppSettings.from_env(os.environ if env is None else env)
    except ValueError as error:
        print(f"lefbot teams-app: {error}", file=sys.stderr)
        return 2
    print(build_package(settings, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
