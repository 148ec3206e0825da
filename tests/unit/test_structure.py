"""The shape of the code: the import graph of `peerm/` has no cycle; the core and the outbox
protocol import no part; parts never import each other's views; every part has its `PART`
in `part.py`, and the list of parts names each folder that has one.

Imports are read from the source (every `import`, also inside functions, where a cycle would
hide), so this needs no database.
"""
import ast
from pathlib import Path

import pytest

from peerm.parts import PART_NAMES, load

PACKAGE = Path(__file__).resolve().parents[2] / "peerm"
# Modules below every part: they may import no part at all, not even through another module.
CORE = ("peerm.core",)
OUTBOX_PROTOCOL = ("peerm.outbox.protocol", "peerm.outbox.models")


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name):
    """The peerm modules this module imports, wherever the import statement is."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from x import y` imports the module x.y when there is one, else x.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES and target != name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def reachable(start):
    seen, todo = set(), [start]
    while todo:
        for target in GRAPH[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def part_of(name):
    """The part a module belongs to, or None for the app's own modules."""
    pieces = name.split(".")
    return pieces[1] if len(pieces) > 2 and pieces[1] in PART_NAMES else None


def test_the_import_graph_has_no_cycle():
    cycles = sorted(name for name in GRAPH if name in reachable(name))
    assert cycles == [], f"these modules import themselves through others: {cycles}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(CORE + OUTBOX_PROTOCOL)))
def test_core_and_outbox_protocol_import_no_part(name):
    parts = {part_of(target) for target in reachable(name)} - {None, "outbox"}
    assert parts == set(), f"{name} reaches into {sorted(parts)}"


def test_parts_never_import_each_others_views():
    crossing = sorted((name, target) for name, targets in GRAPH.items() for target in targets
                      if target.endswith(".views") and part_of(target) is not None
                      and part_of(name) not in (None, part_of(target)))
    assert crossing == []


def test_core_imports_no_flask_request():
    for name in (n for n in MODULES if n.startswith(CORE)):
        source = MODULES[name].read_text()
        assert "from flask import" not in source or "request" not in source, name


def test_every_part_folder_is_listed_and_declares_its_part():
    folders = {path.parent.name for path in PACKAGE.glob("*/part.py")} - {"core"}
    assert folders == set(PART_NAMES)
    assert [part.name for part in load()] == PART_NAMES


def test_every_part_has_its_table_for_the_route_walk_and_the_permission_matrix():
    tables = Path(__file__).resolve().parents[1] / "http" / "part_tables"
    assert {path.stem for path in tables.glob("*.py")} - {"__init__"} == set(PART_NAMES)
