"""The docs stay true: sample files import, example units run real commands, pictures match the payloads."""

from __future__ import annotations

import configparser
import importlib.util
import json
import re
import shlex
from pathlib import Path

import pytest

from bot.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"


def _load_render_script():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("render_pictures", ROOT / "scripts" / "render_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize(
    ("name", "members"),
    [("cohort.yaml", 5), ("cohort.csv", 3)],  # the CSV names only deadline owners; the YAML has every member
)
def test_sample_cohort_files_import_cleanly_and_idempotently(run_cli, name: str, members: int) -> None:  # noqa: ANN001
    path = str(EXAMPLES / name)
    code, out, err = run_cli("teams", "import", path)
    assert code == 0, err
    assert f"teams: 2 nieuw, 0 bijgewerkt; members: {members} nieuw" in out
    assert "sprints: 3 nieuw, 0 bijgewerkt; deadlines: 5 nieuw, 0 bijgewerkt" in out
    code, out, err = run_cli("teams", "import", path)
    assert code == 0, err
    assert "teams: 0 nieuw, 2 bijgewerkt" in out and "deadlines: 0 nieuw, 5 bijgewerkt" in out


def _lefbot_commands(line: str) -> list[list[str]]:
    """The argument lists of every `lefbot …` call in a command line (also inside `sh -c "… && …"`)."""
    calls = []
    for part in re.split(r"&&|;", line):
        words = shlex.split(part)
        words = words[1:] if words[:1] == ["exec"] else words
        if words and Path(words[0]).name == "lefbot":
            calls.append(words[1:])
    return calls


def _parses(argv: list[str]) -> bool:
    try:
        build_parser().parse_args(argv)
    except SystemExit:
        return False
    return True


def test_command_check_rejects_a_sub_command_that_does_not_exist() -> None:
    assert _parses(["run", "--worker"]) and _parses(["db", "upgrade"])
    assert not _parses(["run", "--workers"]) and not _parses(["db", "migrate"])


@pytest.mark.parametrize(
    ("unit", "expected"), [("lefbot-worker", ["run", "--worker"]), ("lefbot-web", ["run", "--http"])]
)
def test_systemd_units_run_existing_lefbot_commands(unit: str, expected: list[str]) -> None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(EXAMPLES / f"{unit}.service", encoding="utf-8")
    service = parser["Service"]
    assert parser["Install"]["WantedBy"] == "multi-user.target"
    starts = _lefbot_commands(service["ExecStart"])
    assert starts == [expected]
    assert _lefbot_commands(service["ExecStartPre"]) == [["db", "upgrade"]]
    for argv in starts + [["db", "upgrade"]]:
        assert _parses(argv), argv
    assert service["ExecStart"].split()[0] == service["ExecStartPre"].split()[0]  # the same installation
    assert service["Environment"]  # LEFBOT_DATA_DIR points at the StateDirectory, not the working folder


def test_containerfile_is_minimal_and_runs_existing_lefbot_commands() -> None:
    lines = [ln for ln in (EXAMPLES / "Containerfile").read_text(encoding="utf-8").splitlines() if ln.strip()]
    instructions = [ln.split()[0] for ln in lines if not ln.startswith(("#", " "))]
    assert instructions[0] == "FROM" and lines[[ln.startswith("FROM") for ln in lines].index(True)].endswith(
        "python:3.12-slim"
    )
    copied = [word for ln in lines if ln.startswith("COPY") for word in ln.split()[1:-1]]
    for name in copied:
        assert (ROOT / name).exists(), f"Containerfile copies {name}, which is not in the repository"
    for package in ("bot", "handlers", "knowledge_base", "pyproject.toml", "README.md", "LICENSE"):
        assert package in copied  # what `pip install .` needs (pyproject's readme and license-files)
    cmd = json.loads(next(ln for ln in lines if ln.startswith("CMD"))[3:])
    assert cmd[:2] == ["sh", "-c"]
    calls = _lefbot_commands(cmd[2])
    assert calls == [["db", "upgrade"], ["run", "--worker"]]
    assert all(_parses(argv) for argv in calls)


def test_pictures_match_the_current_payloads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEMANTIC_SEARCH", "off")
    pages = _load_render_script().pages()
    assert set(pages) == {"answer", "nudge"}
    assert "Wat is een krachtteam?" in pages["answer"] and "Ja, dit hielp" in pages["answer"]
    assert "Concept plan" in pages["nudge"] and "Herinner me morgen" in pages["nudge"]
    for name, html in pages.items():
        committed = (ROOT / "docs" / "pictures" / f"{name}.html").read_text(encoding="utf-8")
        assert committed == html, f"docs/pictures/{name}.* are out of date: run `python scripts/render_pictures.py`"
        assert (ROOT / "docs" / "pictures" / f"{name}.png").stat().st_size > 1000


def test_mrkdwn_becomes_html() -> None:
    mrkdwn = _load_render_script().mrkdwn
    assert mrkdwn("*vet* en _schuin_ met `code`\n• <https://x.nl/a|een bron>") == (
        '<b>vet</b> en <i>schuin</i> met <code>code</code><br>• <a href="https://x.nl/a">een bron</a>'
    )
    assert mrkdwn("a &lt;b&gt; c") == "a &lt;b&gt; c"  # Slack's escapes stay text


def test_knowledge_base_cites_no_made_up_repository() -> None:
    entries = (ROOT / "knowledge_base" / "entries").glob("*.md")
    assert not [p.name for p in entries if "github.com/lefbot" in p.read_text(encoding="utf-8")]


README = ROOT / "README.md"
GUIDES = sorted((ROOT / "docs").glob("*.md"))


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.MULTILINE)}


def _check_target(source: Path, target: str) -> str | None:
    """None when a relative link (file and #anchor) resolves, else what is wrong."""
    file_part, _, anchor = target.partition("#")
    path = (source.parent / file_part).resolve() if file_part else source
    if not path.exists():
        return f"{source.name}: {target} does not exist"
    if anchor and path.suffix == ".md" and anchor not in _anchors(path):
        return f"{source.name}: no heading for #{anchor} in {path.name}"
    return None


def test_readme_starts_with_the_two_commands_and_stays_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200
    assert lines[0] == "# lefbot" and lines[2] == "```sh"
    assert lines[3].startswith("make run ") and lines[4].startswith("make test ")


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    names = set(re.findall(r"^#?\s*([A-Z][A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    config = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    names |= set(re.findall(r'(?:_get|_flag|_positive_int|_user_ids)\(env, "([A-Z_]+)"', config))
    names |= {"SEMANTIC_SEARCH", "SEMANTIC_CACHE_DIR"}  # read by knowledge_base/semantic.py
    assert {"DATABASE_URL", "HOLIDAYS_OFF", "CHECKIN_RETENTION_DAYS", "NUDGE_HOUR"} <= names
    table = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.MULTILINE))
    assert names - rows == set()


def test_relative_links_in_readme_and_guides_resolve() -> None:
    problems = []
    for source in [README, *GUIDES]:
        for target in re.findall(r"\]\(([^)\s]+)\)", source.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://", "mailto:")):
                problems.append(_check_target(source, target))
    assert [p for p in problems if p] == []


def test_knowledge_base_sources_in_docs_exist() -> None:
    from knowledge_base.loader import read_entries

    entries, _ = read_entries(ROOT / "knowledge_base" / "entries")
    docs_sources = [s.url for e in entries for s in e.sources if s.url.startswith("docs/")]
    assert len(docs_sources) >= 10
    assert [p for p in (_check_target(README, url) for url in docs_sources) if p] == []


def _sub_commands(parser, words: list[str]) -> bool:  # noqa: ANN001
    """True when `words` walks an existing chain of lefbot sub-commands."""
    for word in words:
        actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
        if not actions or word not in actions[0].choices:
            return False
        parser = actions[0].choices[word]
    return True


def test_documented_command_lines_exist() -> None:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    table = text.split("## Command line", 1)[1]
    commands = re.findall(r"^\| `lefbot ([^`]*)`", table, re.MULTILINE)
    assert len(commands) >= 15
    for command in commands:
        words = [w for w in command.split() if re.fullmatch(r"[a-z]+", w)]
        words = words[: 2 if words[0] in ("kb", "teams", "nudges", "deadlines", "checkins", "db") else 1]
        assert _sub_commands(build_parser(), words), command
