"""The core never imports a chat platform, and holds no platform syntax, ids or limits."""

import ast
import re
from pathlib import Path

import pytest

from bot.texts import _catalogue

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ("slack_bolt", "slack_sdk", "slack", "handlers")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_packages_import_no_chat_platform() -> None:
    offenders = []
    for package in ("bot", "knowledge_base"):
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(path):
                if name.split(".")[0] in PLATFORMS:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    # bot/cli.py starts the adapters lazily inside functions; that is the one allowed door.
    offenders = [o for o in offenders if not o.startswith("bot/cli.py")]
    assert offenders == []


# Slack syntax, id shapes and limits the core must not hold (adapters render the neutral markup).
SLACK_SYNTAX = re.compile(
    r"<[@#!]|<https?:|<mailto:|<[^<>\s]*\|[^<>]*>|/lef\b|\b[UWCDG]0[A-Z0-9]{6,}\b|MAX_FORM_SPRINTS"
)
MRKDWN_BOLD = re.compile(r"(?<![*\w\\])\*(?=[^\s*])[^*\n]+?(?<=[^\s*])\*(?![*\w])")


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, kinds) and node.body and isinstance(node.body[0], ast.Expr):
            value = node.body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def _patterns(tree: ast.AST) -> set[int]:
    """Regular expressions (arguments of `re.*` calls), which may spell markup in order to defuse it."""
    found = set()
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re":
            found |= {id(n) for arg in node.args for n in ast.walk(arg) if isinstance(n, ast.Constant)}
    return found


def _core_strings() -> list[tuple[str, str, bool]]:
    """(where, text, in an f-string) for every string in the core's code that is not a docstring."""
    found = []
    for package in ("bot", "knowledge_base"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree) | _patterns(tree)
            parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
            for node in ast.walk(tree):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.JoinedStr):
                    text = "".join(v.value if isinstance(v, ast.Constant) else "{x}" for v in node.values)
                    found.append((where, text, True))
                elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip | parts:
                    found.append((where, node.value, False))
    return found


def test_core_code_holds_no_slack_syntax_ids_or_limits() -> None:
    offenders = [f"{where}: {text[:60]!r}" for where, text, _ in _core_strings() if SLACK_SYNTAX.search(text)]
    offenders += [
        f"{where}: {text[:60]!r}" for where, text, fstring in _core_strings() if fstring and MRKDWN_BOLD.search(text)
    ]
    assert offenders == []


def test_core_texts_are_neutral_markup() -> None:
    offenders = [
        f"{lang}/{key}: {text[:60]!r}"
        for lang, texts in _catalogue().items()
        for key, text in texts.items()
        if SLACK_SYNTAX.search(text) or MRKDWN_BOLD.search(text)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "text",
    [
        "<@U01> deelde",
        "zie <https://a.nl|de site>",
        "Typ `/lef help`",
        "*vet*",
        "*{x} · {x}* —",
        "kanaal C0123ABCD",
        "<!here>",
        "<#C01>",
    ],
)
def test_the_check_catches_slack_syntax(text: str) -> None:
    assert SLACK_SYNTAX.search(text) or MRKDWN_BOLD.search(text)


@pytest.mark.parametrize(
    "text", ["**vet**", "[de site](https://a.nl)", "Typ `{cmd} help`", "[@Anna](user:U01)", "`<team> | <naam>`"]
)
def test_the_check_passes_the_neutral_markup(text: str) -> None:
    assert not SLACK_SYNTAX.search(text) and not MRKDWN_BOLD.search(text)


def _bot_modules() -> dict[str, Path]:
    modules = {}
    for path in (ROOT / "bot").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _edges(path: Path, modules: dict[str, Path]) -> set[str]:
    """The bot modules `path` imports, at the top or lazily inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in modules else node.module)
    return {name for name in found if name in modules}


def test_bot_modules_import_each_other_without_a_cycle() -> None:
    modules = _bot_modules()
    graph = {name: _edges(path, modules) - {name} for name, path in modules.items()}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph[name]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_every_feature_package_is_checked() -> None:
    modules = _bot_modules()
    for package in ("chat", "answering", "deadlines", "checkins", "people", "calendar"):
        assert any(name.startswith(f"bot.{package}.") for name in modules), package
