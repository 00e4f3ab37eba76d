"""What in the student's cells acts outside the normal call path: threads, processes, descriptors, hooks,
introspection, patched modules, code run from strings. Found anywhere, reached or not."""
import ast

from .common import OUT_OF_BAND, TOO_MUCH, Finding, dotted, matches, qualified, scoped, text
from .derivation import Around, constructs, introspection, notebook_of
from .parse import source_of


def review_findings(cells):
    """Constructs anywhere in the student's cells that act outside the normal call path (for the instructor's review)."""
    source = source_of(cells)
    notebook = notebook_of(source)
    found = {(index, 1): why for index, locked, why in source.opaque if not locked}
    for index, tree, locked in source.parsed:
        for line, what in [] if locked else out_of_band(tree, notebook):
            found.setdefault((index, line), what)
    if "too much" in source.built:  # derivation_findings ran out of its budget on this notebook
        found.setdefault((source.built["too much"], 1), TOO_MUCH)
    return [Finding("out_of_band", cell, line, text) for (cell, line), text in sorted(found.items())]


def out_of_band(tree, notebook):
    """(line, what) for each construct of a cell that acts outside the normal call path."""
    around = Around(tree)
    for node, local, _ in scoped(tree):
        line = getattr(node, "lineno", None)
        if line is None:
            continue
        inside = introspection(node, around)
        if inside:  # display.__self__, e.__traceback__.tb_frame, getattr(f, "__globals__"), attrgetter("__self__")
            yield line, f"introspección: {inside}"
        for alias in node.names if isinstance(node, (ast.Import, ast.ImportFrom)) else []:
            module = f"{node.module}.{alias.name}" if isinstance(node, ast.ImportFrom) else alias.name
            if matches(module, OUT_OF_BAND):
                yield line, f"{matches(module, OUT_OF_BAND)}: import {module}"
        for name in qualified(node, local, notebook.aliases) if isinstance(node, (ast.Name, ast.Attribute)) else []:
            if matches(name, OUT_OF_BAND):
                yield line, f"{matches(name, OUT_OF_BAND)}: {name}"
            if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
                yield line, f"parchea un módulo: {name} = ..."
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__del__":
            yield line, "un gancho que se dispara más tarde: __del__"
        if (isinstance(node, ast.Call) and dotted(node.func) in ("open", "io.open", "io.FileIO") and node.args
                and isinstance(node.args[0], ast.Constant) and type(node.args[0].value) is int):
            yield line, f"descriptores de archivo o sockets: {text(node)}"
        for code, what in constructs(node, local, notebook, around):
            if code == "hidden_call":
                yield line, f"llamada oculta: {what}"
