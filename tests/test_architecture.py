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
