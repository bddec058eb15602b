"""The core never imports a chat platform."""

import ast
from pathlib import Path

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
