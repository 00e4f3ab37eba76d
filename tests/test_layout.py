"""The tree's architecture: the engine names no exercise, the modules import each other without cycles, and
the student's grader carries no build code."""
import ast
import re
from pathlib import Path

from autograder import assignments
from conftest import ROOT

PACKAGE = ROOT / "autograder"
GENERIC = [path for path in sorted(PACKAGE.rglob("*")) if path.is_file() and path.suffix in (".py", ".j2", ".html")
           and "assignments" not in path.relative_to(PACKAGE).parts[:1] and "__pycache__" not in path.parts]


def exercise_words():
    """Every name that belongs to one exercise: its name, cells, checks, derived functions and given names."""
    words = {"xor", "sigmoid", "init_params", "mse_history", "loss_history", "embedding", "init_embeddings"}
    for spec in assignments.every():
        words |= {spec.name, *spec.answer_cells, *spec.derived, spec.picture_cell}
        words |= {check.name for check in spec.checks} | {check.name.split(":")[0] + ":" for check in spec.checks}
        words |= {check.test_cell for check in spec.checks}
    return {word.lower() for word in words if word}


def test_nothing_outside_the_assignments_names_an_exercise():
    assert len(GENERIC) > 30
    words = exercise_words()
    assert {"xor_sgd", "mf_embeddings", "gradients", "plot_mse"} <= words
    found = []
    for path in GENERIC:
        text = path.read_text(encoding="utf-8").lower()
        found += [f"{path.relative_to(ROOT)}: {word}" for word in sorted(words)
                  if re.search(rf"(?<![a-z0-9_]){re.escape(word)}(?![a-z0-9_])", text)]
    assert not found, "\n".join(found)


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def top_level_imports(path, modules=None):
    """The autograder modules a module imports when it is imported (function-level imports left out);
    `from package import module` counts as the module only."""
    tree, name = ast.parse(path.read_text(encoding="utf-8")), module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("autograder")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            if base.startswith("autograder"):
                named = {f"{base}.{alias.name}" for alias in node.names}
                submodules = {target for target in named if modules is not None and target in modules}
                found |= submodules | ({base} if named - submodules else set())
    return found


def test_no_import_cycles():
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}
    graph = {name: {target for target in top_level_imports(path, modules) if target in modules and target != name}
             for name, path in modules.items()}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


def test_the_layers_import_only_downwards():
    """The engine, the sandbox and the assignments know no front end, report or build (an assignment's chart
    hook draws with reports/charts.py, the kit's drawing toolkit, which imports nothing of the kit); reports
    know no front end or build (the CLI imports the build only when `build` or `demo` runs)."""
    assert not top_level_imports(PACKAGE / "reports" / "charts.py")
    below = {"autograder.engine": ("frontends", "reports", "build"), "autograder.sandbox": ("frontends", "reports", "build"),
             "autograder.assignments": ("frontends", "reports", "build"), "autograder.reports": ("frontends", "build")}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        for layer, forbidden in below.items():
            if name.startswith(layer):
                for target in top_level_imports(path) - {"autograder.reports.charts", "autograder.reports"}:
                    assert not any(target.startswith(f"autograder.{f}") for f in forbidden), (name, target)
