"""The Teams app package: manifest valid against Microsoft's published schema (offline), icons as Teams wants."""

from __future__ import annotations

import copy
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from handlers.teams.app_package import COMMANDS, ICONS, AppSettings, build_package, english, main, manifest

SCHEMAS = Path(__file__).resolve().parent / "schema"
APP_ID = "0b5e2a3c-7d41-4f8e-9a6b-1c2d3e4f5a6b"
SETTINGS = AppSettings(app_id=APP_ID, website_url="https://lefbot.example.nl", valid_domains=("lefbot.example.nl",))
# The schemas say draft-04 but use `const` (draft-06); a draft-04 validator would silently ignore it.
Validator = jsonschema.validators.extend(
    jsonschema.Draft4Validator, {"const": jsonschema.Draft7Validator.VALIDATORS["const"]}
)


def schema_errors(document: dict[str, Any], schema_file: str) -> list[str]:
    """Every validation error of `document` against a vendored schema."""
    schema = json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8"))
    validator = Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """Width, height and RGBA rows of an 8-bit RGBA PNG (IHDR checked, all five row filters undone)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks[kind] = chunks.get(kind, b"") + data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    width, height, depth, color_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, color_type) == (8, 6), "expected 8-bit RGBA"
    raw, stride, rows, prior = zlib.decompress(chunks[b"IDAT"]), width * 4, [], bytearray(width * 4)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a, b, c = line[i - 4] if i >= 4 else 0, prior[i], prior[i - 4] if i >= 4 else 0
            predictor = [0, a, b, (a + b) // 2, _paeth(a, b, c)][kind]
            line[i] = (line[i] + predictor) & 0xFF
        rows.append([tuple(line[x * 4 : x * 4 + 4]) for x in range(width)])
        prior = line
    return width, height, rows


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


@pytest.fixture
def package(tmp_path: Path) -> zipfile.ZipFile:
    path = build_package(SETTINGS, tmp_path / "out" / "lefbot-teams.zip")
    assert path == tmp_path / "out" / "lefbot-teams.zip"
    with zipfile.ZipFile(path) as archive:
        yield archive


def test_package_holds_manifest_localisation_and_icons(package: zipfile.ZipFile) -> None:
    assert sorted(package.namelist()) == ["color.png", "en-us.json", "manifest.json", "outline.png"]
    assert package.read("color.png") == (ICONS / "color.png").read_bytes()
    assert package.read("outline.png") == (ICONS / "outline.png").read_bytes()


def test_manifest_is_valid_against_microsofts_schema(package: zipfile.ZipFile) -> None:
    document = json.loads(package.read("manifest.json"))
    assert schema_errors(document, "MicrosoftTeams.schema.json") == []
    assert document["manifestVersion"] == "1.17"
    assert document["id"] == document["bots"][0]["botId"] == APP_ID
    assert document["validDomains"] == ["lefbot.example.nl"]
    assert document["developer"]["privacyUrl"] == "https://lefbot.example.nl"


def test_english_localisation_is_valid_against_microsofts_schema(package: zipfile.ZipFile) -> None:
    strings = json.loads(package.read("en-us.json"))
    assert schema_errors(strings, "MicrosoftTeams.Localization.schema.json") == []
    assert strings["description.short"].startswith("Answers")
    assert strings["bots[0].commandLists[0].commands[0].description"] == COMMANDS["help"][1]


def test_the_schema_check_catches_broken_manifests() -> None:
    broken = manifest(SETTINGS)
    broken["manifestVersion"] = "1.16"  # const
    broken["bots"][0]["commandLists"][0]["commands"][0]["title"] = "x" * 33  # maxLength
    del broken["accentColor"]  # required
    errors = schema_errors(broken, "MicrosoftTeams.schema.json")
    assert len(errors) == 3, errors
    too_many = copy.deepcopy(manifest(SETTINGS))
    too_many["bots"][0]["commandLists"][0]["commands"].append({"title": "extra", "description": "elf"})
    assert schema_errors(too_many, "MicrosoftTeams.schema.json")  # Teams allows 10 commands per list


def test_every_lef_command_is_suggested_in_every_scope_that_needs_it() -> None:
    lists = manifest(SETTINGS)["bots"][0]["commandLists"]
    scopes = [scope for command_list in lists for scope in command_list["scopes"]]
    assert sorted(scopes) == ["groupChat", "personal", "team"]
    titles = {c["title"] for command_list in lists for c in command_list["commands"]}
    assert titles == set(COMMANDS) == {
        "help", "vraag", "team", "sprint", "deadline", "deadlines", "mijn deadlines", "vrij", "afwezig", "checkin",
        "mijn gegevens", "vergeet mij",
    }  # fmt: skip
    personal = next(c for c in lists if c["scopes"] == ["personal"])
    assert {"mijn gegevens", "vergeet mij"} <= {c["title"] for c in personal["commands"]}
    assert manifest(SETTINGS)["bots"][0]["scopes"] == ["personal", "team", "groupChat"]


def test_dutch_first_english_second() -> None:
    document, strings = manifest(SETTINGS), english(SETTINGS)
    assert document["localizationInfo"]["defaultLanguageTag"] == "nl-nl"
    assert "Antwoorden" in document["description"]["short"] and "Answers" in strings["description.short"]
    assert document["name"]["short"] == strings["name.short"] == "lefbot"


def test_color_icon_is_192_square_and_opaque() -> None:
    width, height, rows = read_png((ICONS / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    assert {pixel[3] for row in rows for pixel in row} == {255}


def test_outline_icon_is_32_square_white_on_transparent() -> None:
    width, height, rows = read_png((ICONS / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    pixels = [pixel for row in rows for pixel in row]
    assert all(pixel[:3] == (255, 255, 255) for pixel in pixels if pixel[3] > 0), "outline must be white only"
    assert rows[0][0][3] == rows[0][31][3] == rows[31][31][3] == 0, "the background must be transparent"
    assert sum(p[3] == 255 for p in pixels) > 100 and sum(p[3] == 0 for p in pixels) > 300


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TEAMS_WEBSITE_URL": "https://lefbot.example.nl"}, "TEAMS_APP_ID"),
        ({"TEAMS_APP_ID": "lefbot", "TEAMS_WEBSITE_URL": "https://lefbot.example.nl"}, "GUID"),
        ({"TEAMS_APP_ID": APP_ID}, "TEAMS_WEBSITE_URL"),
        ({"TEAMS_APP_ID": APP_ID, "TEAMS_WEBSITE_URL": "http://lefbot.example.nl"}, "https"),
        ({"TEAMS_APP_ID": APP_ID, "TEAMS_WEBSITE_URL": "https://x.nl", "TEAMS_APP_VERSION": "1"}, "1.0.0"),
    ],
)
def test_bad_settings_give_one_clear_line(env: dict[str, str], message: str, tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "x.zip")], env) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.zip").exists()


def test_settings_from_the_environment(tmp_path: Path, capsys) -> None:
    env = {
        "TEAMS_APP_ID": APP_ID,
        "TEAMS_WEBSITE_URL": "https://lefbot.example.nl",
        "TEAMS_PRIVACY_URL": "https://lefbot.example.nl/privacy",
        "TEAMS_APP_VERSION": "1.2.3",
        "TEAMS_VALID_DOMAINS": "lefbot.example.nl, teams.example.nl",
    }
    assert main([str(tmp_path / "app.zip")], env) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "app.zip")
    with zipfile.ZipFile(tmp_path / "app.zip") as archive:
        document = json.loads(archive.read("manifest.json"))
    assert document["version"] == "1.2.3"
    assert document["developer"]["privacyUrl"] == "https://lefbot.example.nl/privacy"
    assert document["developer"]["termsOfUseUrl"] == "https://lefbot.example.nl"
    assert document["validDomains"] == ["lefbot.example.nl", "teams.example.nl"]
    assert schema_errors(document, "MicrosoftTeams.schema.json") == []


def test_lefbot_teams_app_command(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LEFBOT_DATA_DIR": str(tmp_path / "data"),
        "TEAMS_APP_ID": APP_ID,
        "TEAMS_WEBSITE_URL": "https://lefbot.example.nl",
    }
    out = tmp_path / "pkg" / "lefbot.zip"
    done = subprocess.run([sys.executable, "-m", "bot.cli", "teams-app", "-o", str(out)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == APP_ID
    env.pop("TEAMS_APP_ID")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "teams-app", "-o", str(out)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2 and "TEAMS_APP_ID" in done.stderr and "Traceback" not in done.stderr
