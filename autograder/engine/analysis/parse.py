"""The cells as the sandbox runs them: rewritten as the child rewrites them, parsed once per notebook, and
bounded so that no notebook can make the analysis slow."""
import ast
import re
from collections import OrderedDict

from .common import DEEP, MAX_DEPTH, TOO_MUCH, UNPARSED, size

MAX_CELL_CHARACTERS = 200_000
MAX_CELL_LINES = 5_000
MAX_NOTEBOOK_CHARACTERS = 1_000_000
# The analysis takes about 30 µs per node of the syntax trees: this many (seven times the largest notebook of
# the corpus, about 3,000 dense lines) keep it near one second; more is reported, not read.
MAX_NOTEBOOK_NODES = 30_000
# IPython's rewriting tokenizes the whole cell once per line it rewrites: its cost is (lines that may be
# rewritten) x (lines). Past this product (about a second) the cell is reported instead of rewritten.
MAX_REWRITE_WORK = 60_000
MAGIC_LINE = re.compile(r"^\s*[%!]", re.MULTILINE)  # the child rewrites a cell only when a line starts so
ESCAPES = re.compile(r"[%!?]")
CELL_MAGIC = "run_cell_magic"
CACHE_SIZE = 4


def ipython_to_python(source):
    """The child's own rewriting of magics, shell escapes, help and prompts (imported when first needed)."""
    from ...sandbox.child import ipython_to_python as rewrite
    return rewrite(source)


def parse(source):
    """(tree, None) for a cell the sandbox runs; (None, None) for one it cannot run (a SyntaxError there too);
    (None, why) for one it may run that cannot be read here."""
    if len(source) > MAX_CELL_CHARACTERS or source.count("\n") >= MAX_CELL_LINES:
        return None, TOO_MUCH
    rewritten = source
    if MAGIC_LINE.search(source):
        lines = source.splitlines()
        if (1 + sum(1 for line in lines if ESCAPES.search(line))) * len(lines) > MAX_REWRITE_WORK:
            return None, TOO_MUCH
        try:
            rewritten = ipython_to_python(source)
        except (RecursionError, MemoryError):
            return None, UNPARSED
        except Exception:  # the child's compile fails the same way: the cell never runs
            return None, None
    tree, why = _tree(rewritten)
    magic = _cell_magic(tree)
    if magic is not None:  # %%time, %%capture: the child's shell runs the body as Python (other magics: nothing)
        tree, why = _tree(magic)
        if tree is not None:
            ast.increment_lineno(tree, _magic_line(source))
    return tree, why


def _tree(source):
    """(tree, None), (None, None) for a SyntaxError, or (None, why) for what cannot be read here."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None, None
    except (ValueError, RecursionError, MemoryError):  # a parser's limit, which another process might not hit
        return None, UNPARSED
    deepest, count = size(tree)
    tree.nodes = count
    return (None, DEEP) if deepest > MAX_DEPTH else (tree, None)


def _cell_magic(tree):
    """The body of a cell that IPython rewrote into get_ipython().run_cell_magic(name, line, body), else None."""
    if tree is None or len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == CELL_MAGIC
            and isinstance(call.func.value, ast.Call) and getattr(call.func.value.func, "id", "") == "get_ipython"
            and len(call.args) == 3 and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)):
        return call.args[2].value
    return None


def _magic_line(source):
    """How many lines of the cell come before a cell magic's body: its %% line and the blank lines above it."""
    lines = source.splitlines()
    return next((i for i, line in enumerate(lines) if line.lstrip().startswith("%%")), 0) + 1


class Source:
    """The cells the grader runs, parsed: (index, tree, locked) of those that parse, (index, locked, why) of those
    that may run but cannot be read; and what the rest of the analysis builds from them, kept with them."""

    def __init__(self, cells):
        self.parsed, self.opaque, self.built = [], [], {}
        running = [(index, cell) for index, cell in enumerate(cells)
                   if not (cell.grade_id or "").startswith("test_")]  # test_ cells never run
        if sum(len(cell.source) for _, cell in running) > MAX_NOTEBOOK_CHARACTERS:
            index, _ = max(running, key=lambda pair: len(pair[1].source))
            self.opaque.append((index, False, TOO_MUCH))
            return
        for index, cell in running:
            tree, why = parse(cell.source)
            if tree is not None:
                self.parsed.append((index, tree, bool(cell.locked)))
            elif why is not None:
                self.opaque.append((index, bool(cell.locked), why))
        if sum(tree.nodes for _, tree, _ in self.parsed) > MAX_NOTEBOOK_NODES:
            index, _, _ = max(self.parsed, key=lambda parsed: (not parsed[2], parsed[1].nodes))
            self.parsed, self.opaque = [], [(index, False, TOO_MUCH)]

    def get(self, name, build):
        """What `build(self)` returns, built once per notebook."""
        if name not in self.built:
            self.built[name] = build(self)
        return self.built[name]


_cache = OrderedDict()


def source_of(cells):
    """The parsed cells of a notebook; the grader asks three questions of one notebook, parsed once."""
    key = tuple((cell.source, cell.grade_id or "", bool(cell.locked)) for cell in cells)
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    source = _cache[key] = Source(cells)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return source
