"""Draw the import graph between Suksa's apps and say where it zig-zags.

Every project module (the top-level packages, without tests/, benchmarks/ and
migrations/) is parsed with ``ast``; nothing is imported, so the script runs without
Django. It prints

- the arrows between top-level folders (an arrow is "some module of A imports B"),
- the loops: cycles between folders, and cycles between modules at import time,
- the upward arrows: an arrow from a lower layer to a higher one (``LAYERS`` below,
  explained in docs/architecture.md, "Layers"),
- the imports hidden inside functions, each with whether it dodges a loop (written at
  the top of its module, it would close an import cycle).

    .venv/bin/python scripts/import_graph.py            # everything
    .venv/bin/python scripts/import_graph.py --summary  # the figures only

Imports under ``if TYPE_CHECKING:`` are ignored (they never run); an import anywhere
else at module level (also in a class body, ``try`` or ``if``) runs when the module
is imported. tests/test_import_graph.py holds the rule: no loop, at most
``MAX_UPWARD`` upward arrows, no hidden import that dodges a loop.
"""

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_FOLDERS = {"tests", "benchmarks", "scripts"}
MAX_UPWARD = 10

# From the ground floor up. A folder may import the folders on its own floor or below;
# an arrow to a higher floor is "upward". Folders on one floor must not form a loop.
LAYERS = [
    ["common"],
    ["access"],
    ["places"],
    ["audit"],
    ["accounts"],
    ["people", "periods"],
    ["trainings"],
    ["certificates", "feedback"],
    ["cms"],
    ["materials"],
    ["promoters"],
    ["projects"],
    ["reports"],
    ["scopes"],
    ["operations"],
    ["config"],
]


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. "trainings.views"
    target: str  # the project module imported, e.g. "reports.selectors"
    line: int
    hidden: bool  # inside a function (runs when called, not when imported)

    @property
    def source_folder(self):
        return self.source.split(".")[0]

    @property
    def target_folder(self):
        return self.target.split(".")[0]


def project_modules(root=ROOT):
    """Module name -> path, for every project .py file."""
    modules = {}
    for init in sorted(root.glob("*/__init__.py")):
        folder = init.parent
        if folder.name in SKIPPED_FOLDERS or folder.name.startswith("."):
            continue
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(node):
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _ImportVisitor(ast.NodeVisitor):
    def __init__(self, module, is_package, modules):
        self.module = module
        self.is_package = is_package
        self.modules = modules
        self.depth = 0
        self.found = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_If(self, node):
        if _is_type_checking(node):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node):
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node):
        base = self._absolute(node)
        if base is None:
            return
        for alias in node.names:
            submodule = f"{base}.{alias.name}" if base else alias.name
            self._add(submodule if submodule in self.modules else base, node.lineno)

    def _absolute(self, node):
        if not node.level:
            return node.module
        package = self.module.split(".")
        if not self.is_package:
            package = package[:-1]
        if node.level > 1:
            package = package[: -(node.level - 1)]
        return ".".join(package + ([node.module] if node.module else []))

    def _add(self, name, line):
        # "import a.b.c" or "from a.b import c": the deepest project module named.
        parts = name.split(".")
        while parts and ".".join(parts) not in self.modules:
            parts.pop()
        if parts and ".".join(parts) != self.module:
            target = ".".join(parts)
            self.found.append(Import(self.module, target, line, self.depth > 0))


def collect(root=ROOT):
    """Every import of one project module by another."""
    modules = project_modules(Path(root))
    imports = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        visitor = _ImportVisitor(module, path.name == "__init__.py", modules)
        visitor.visit(tree)
        imports.extend(visitor.found)
    return sorted(set(imports), key=lambda item: (item.source, item.line, item.target))


def folder_arrows(imports):
    """(folder, folder) -> the imports behind that arrow, hidden ones included."""
    arrows = defaultdict(list)
    for item in imports:
        if item.source_folder != item.target_folder:
            arrows[(item.source_folder, item.target_folder)].append(item)
    return dict(arrows)


def _strongly_connected(edges):
    """Tarjan: the groups of nodes that reach each other (groups of two or more)."""
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in sorted(graph[node]):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for node in sorted(set(graph) | {t for targets in graph.values() for t in targets}):
        if node not in index:
            visit(node)
    return sorted(groups)


def folder_loops(imports):
    """Groups of folders that import each other, directly or round a ring."""
    return _strongly_connected(folder_arrows(imports))


def module_loops(imports):
    """Groups of modules that import each other, hidden imports included.

    A loop held apart only by an import inside a function still ties the modules
    together: neither can be understood, tested or moved without the other.
    """
    return _strongly_connected({(item.source, item.target) for item in imports})


def layer_of(folder, layers=None):
    for number, floor in enumerate(layers or LAYERS):
        if folder in floor:
            return number
    raise KeyError(f"{folder}/ is in no layer: add it to LAYERS in {__file__}")


def upward_arrows(imports, layers=None):
    """The arrows from a lower layer to a higher one."""
    return sorted(
        (source, target)
        for source, target in folder_arrows(imports)
        if layer_of(target, layers) > layer_of(source, layers)
    )


def _reaches(imports):
    graph = defaultdict(set)
    for item in imports:
        if not item.hidden:
            graph[item.source].add(item.target)

    def reaches(start, goal):
        seen, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph[node])
        return False

    return reaches


def hidden_imports(imports):
    """(import, dodges_a_loop) for every import written inside a function.

    It dodges a loop when the imported module, at import time, already imports
    the importing one (directly or round a ring): moved to the top, it would fail.
    """
    reaches = _reaches(imports)
    return [
        (item, reaches(item.target, item.source)) for item in imports if item.hidden
    ]


def loop_dodgers(imports):
    return [item for item, dodges in hidden_imports(imports) if dodges]


def unused_modules(imports, modules=None):
    """Project modules no other project module imports (Django finds some by name)."""
    modules = modules if modules is not None else project_modules()
    imported = {item.target for item in imports}
    return sorted(name for name in modules if name not in imported)


def summary(imports):
    hidden = hidden_imports(imports)
    return {
        "arrows between folders": len(folder_arrows(imports)),
        "upward arrows": len(upward_arrows(imports)),
        "loops between folders": len(folder_loops(imports)),
        "loops between modules": len(module_loops(imports)),
        "imports hidden in functions": len(hidden),
        "hidden imports that dodge a loop": sum(dodges for _, dodges in hidden),
    }


def _print_report(imports):
    arrows = folder_arrows(imports)
    print("Arrows between folders (imports behind each):")
    for (source, target), items in sorted(arrows.items()):
        mark = "  UP" if layer_of(target) > layer_of(source) else ""
        print(f"  {source} -> {target} ({len(items)}){mark}")
    print("\nLoops between folders:")
    for group in folder_loops(imports):
        print("  " + " <-> ".join(group))
    print("\nLoops between modules (hidden imports included):")
    for group in module_loops(imports):
        print("  " + " <-> ".join(group))
    print("\nUpward arrows (layer order in LAYERS):")
    for source, target in upward_arrows(imports):
        where = ", ".join(
            f"{item.source}:{item.line}" for item in arrows[(source, target)]
        )
        print(f"  {source} -> {target}: {where}")
    print("\nImports hidden in functions:")
    for item, dodges in hidden_imports(imports):
        note = "  DODGES A LOOP" if dodges else ""
        print(f"  {item.source}:{item.line} -> {item.target}{note}")
    print("\nModules no project module imports (Django loads some by name):")
    for name in unused_modules(imports):
        print(f"  {name}")
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary", action="store_true", help="the figures only")
    arguments = parser.parse_args(argv)
    imports = collect()
    if not arguments.summary:
        _print_report(imports)
    for name, value in summary(imports).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
