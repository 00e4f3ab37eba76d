"""What a reached unit does that is not a hand derivation: the constructs that name a method by themselves, the
classes that redefine arithmetic, and the difference quotients."""
import ast

from .common import (ALLOWED_DUNDERS, ARITHMETIC, ATTRIBUTE_FUNCTIONS, ATTRIBUTES, BUILTINS, CODES, DTYPE_POSITION,
                     DTYPES, DUNDER, FRAME_WORDS, INTROSPECTION, NAMED_GETTERS, NAMESPACE_WRITES, NUMBER_BASES,
                     QUALIFIED, TEXTS, TOO_MUCH, Budget, Finding, TooMuch, as_operator, dotted, last, matches,
                     namespace, number, qualified, scoped, target_names, text)
from .parse import _tree, source_of
from .quotients import Notebook
from .reach import escaping, reach

IPYTHON_CALLS = {"run_line_magic", "system", "getoutput"}  # what the rewriting of magics calls; the child ignores them
EXEC_STRINGS = {"eval": 0, "exec": 0, "run_cell_magic": 2}  # calls that run a string as code, and which argument
# Ways to get the imaginary unit without writing a j, read back with .real: the complex step all the same.
COMPLEX_SOURCES = {"numpy.fft": "", "scipy.fft": "", "scipy.fftpack": "", "numpy.roots": "", "numpy.linalg.eig": ""}
REAL_PARTS = {"numpy.real": "", "numpy.real_if_close": ""}
NON_NEGATIVE = {"abs", "fabs", "exp", "sqrt", "square", "norm", "len", "cosh", "hypot"}


def notebook_of(source):
    """The notebook model of parsed cells, built once."""
    return source.get("notebook", Notebook)


def derivation_findings(cells, roots):
    """What in the code reachable from the functions named in `roots` is not a hand derivation."""
    source = source_of(cells)
    notebook = notebook_of(source)
    found = {("hidden_call", index, 1): TEXTS["hidden_call"].format(why) for index, locked, why in source.opaque
             if not locked}
    notebook.budget, where = Budget(), 0
    try:
        units = reach(notebook.table, roots, notebook.names.namespaces)
        for index, unit, locked in units:
            where = index
            for code, line, what in [] if locked else scan(unit, notebook):  # the teacher's code: followed, not reported
                found.setdefault((code, index, line), TEXTS[code].format(what))
        for index, line, what in complex_without_j(units, notebook):
            found.setdefault(("complex_step", index, line), TEXTS["complex_step"].format(what))
    except TooMuch:  # review_findings reports it too (the grader asks it after this)
        source.built["too much"] = where
        found.setdefault(("hidden_call", where, 1), TEXTS["hidden_call"].format(TOO_MUCH))
    return sorted((Finding(code, cell, line, text) for (code, cell, line), text in found.items()),
                  key=lambda f: (f.cell, f.line, CODES.index(f.code)))


class Around:
    """What the nodes of one unit need to know of their parents: which are called, which strings are bare
    statements (docstrings), which uses of a namespace hand it out."""

    def __init__(self, unit):
        self.called, self.bare = set(), set()
        for node in ast.walk(unit):
            if isinstance(node, ast.Call):
                self.called.add(id(node.func))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                self.bare.add(id(node.value))
        self.escapes = {id(n) for n in escaping(unit)}


def strings(node, around):
    """The text of a string constant that is more than a docstring, else None."""
    if not isinstance(node, ast.Constant) or id(node) in around.bare:
        return None
    if isinstance(node.value, bytes):
        return node.value.decode("latin-1")
    return node.value if isinstance(node.value, str) else None


def hidden_names(names):
    """The names among `names` that reach another object's insides: flagged dunders and frame attributes."""
    return [n for n in names if n in INTROSPECTION or DUNDER.fullmatch(n) and n not in ALLOWED_DUNDERS | set(BUILTINS)]


def introspection(node, around):
    """What of a node names an object's insides: an attribute, a name, a string (getattr's, attrgetter's, a
    dict key's), a class pattern's attributes, an imported name."""
    if isinstance(node, ast.Attribute) and hidden_names([node.attr]):
        return text(node)
    if isinstance(node, ast.Call) and any(introspection(a, around) for a in node.args if isinstance(a, ast.Constant)):
        return text(node)  # getattr(f, "__globals__"), attrgetter("__self__.child")
    if isinstance(node, ast.Name) and hidden_names([node.id]):
        return node.id
    string = strings(node, around)
    if string is not None and (hidden_names(DUNDER.findall(string)) or FRAME_WORDS.search(string)):
        return text(node)
    if isinstance(node, ast.MatchClass) and hidden_names(node.kwd_attrs):
        return f"case {text(node)}"
    if isinstance(node, ast.ImportFrom) and hidden_names([a.name for a in node.names]):
        return f"from {node.module} import {', '.join(a.name for a in node.names)}"
    return None


def constructs(node, local, notebook, around):
    """(code, what) for a constant, name, attribute, import or call that reveals a method by itself."""
    if isinstance(node, (ast.Constant, ast.BinOp)) and isinstance(number(node, notebook.numbers), complex):
        yield "complex_step", text(node)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            full = f"{node.module}.{alias.name}" if isinstance(node, ast.ImportFrom) else alias.name
            code = matches(full, QUALIFIED) or ATTRIBUTES.get(alias.name)
            if full.split(".")[0] in notebook.written:  # open("m.py", "w") ... import m: code in a string
                code, full = "hidden_call", f"{full}, un módulo que escribe el propio notebook"
            yield from [(code, f"import {full}")] if code else []
    elif isinstance(node, (ast.Name, ast.Attribute)):
        yield from _name_constructs(node, local, notebook, around)
    elif isinstance(node, ast.Subscript) and namespace(node.value, notebook.names.namespaces):
        if not isinstance(node.ctx, ast.Load) or not isinstance(node.slice, ast.Constant):
            yield "hidden_call", f"{text(node)}: nombres calculados o escritos"
    elif isinstance(node, ast.Call):
        yield from _call_constructs(node, local, notebook)
    elif isinstance(node, ast.keyword) and node.arg in ARITHMETIC:  # dict(__add__=f) for type() or a metaclass
        yield "operator_overloading", f"{node.arg}={text(node.value)}"
    string = strings(node, around)
    if string is not None and set(DUNDER.findall(string)) & ARITHMETIC:  # setattr(D, "__mul__", f), {"__add__": f}
        yield "operator_overloading", text(node)
    if id(node) in around.escapes:
        yield "hidden_call", f"{text(node)}: entrega el espacio de nombres"
    if introspection(node, around):
        yield "hidden_call", introspection(node, around)


def _name_constructs(node, local, notebook, around):
    """(code, what) for a name or an attribute chain."""
    names = qualified(node, local, notebook.aliases)
    for name in names:
        code = matches(name, QUALIFIED) or ATTRIBUTES.get(name.rpartition(".")[2])
        yield from [(code, name)] if code else []
        if name in NAMED_GETTERS and id(node) not in around.called:
            yield "hidden_call", f"{name} usado como valor"
    if isinstance(node, ast.Attribute):
        if node.attr in ATTRIBUTES:
            yield ATTRIBUTES[node.attr], text(node)
        if node.attr in ARITHMETIC and not isinstance(node.ctx, ast.Load):  # Dual.__mul__ = f, after the class
            yield "operator_overloading", f"{text(node)} = ..."
        if (isinstance(node.value, ast.Call) and dotted(node.value.func) == "get_ipython"
                and node.attr not in IPYTHON_CALLS):  # its shell runs %%time bodies and holds the namespace
            yield "hidden_call", text(node)
    elif node.id not in local and not names:
        if node.id in BUILTINS:
            yield BUILTINS[node.id], node.id
        if node.id in ATTRIBUTE_FUNCTIONS | {"get_ipython"} and id(node) not in around.called:
            yield "hidden_call", f"{node.id} usado como valor"  # reduce(getattr, names, obj), partial(setattr, ...)


def _call_constructs(node, local, notebook):
    """(code, what) for calls that compute a name, write a namespace, build a class, or ask for a complex dtype."""
    name, args = dotted(node.func), node.args
    if name in ATTRIBUTE_FUNCTIONS and len(args) > 1:
        if not isinstance(args[1], ast.Constant):
            yield "hidden_call", f"{name} con un nombre calculado"
        else:  # getattr(np, "complex128") is np.complex128
            attribute = str(args[1].value)
            for full in [attribute] + [f"{q}.{attribute}" for q in qualified(args[0], local, notebook.aliases)]:
                code = ATTRIBUTES.get(full) or matches(full, QUALIFIED)
                yield from [(code, text(node))] if code else []
    if (isinstance(node.func, ast.Attribute) and namespace(node.func.value, notebook.names.namespaces)
            and node.func.attr in NAMESPACE_WRITES):
        yield "hidden_call", f"{text(node.func)}: escribe nombres"
    if name == "type" and len(args) == 3:
        keys = {k.value for k in args[2].keys if isinstance(k, ast.Constant)} if isinstance(args[2], ast.Dict) else None
        if keys is None or keys & ARITHMETIC or None in args[2].keys:
            yield "operator_overloading", "creada con type()"
    if name == "vars" and args:
        yield "hidden_call", f"{text(node)}: el espacio de nombres de un objeto"
    names = qualified(node.func, local, notebook.aliases)
    if set(names) & NAMED_GETTERS and not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
        yield "hidden_call", f"{text(node)}: un nombre calculado"
    method = last(node.func)
    numpy = any(q.startswith("numpy.") for q in names) or method in ("astype", "dtype", "view")
    position = DTYPE_POSITION.get(method) if numpy else None
    dtypes = [k.value for k in node.keywords if k.arg == "dtype"] + (
        args[position:position + 1] if position is not None else [])
    for dtype in dtypes:
        if isinstance(dtype, ast.Constant) and str(dtype.value) in DTYPES:
            yield DTYPES[str(dtype.value)], f"dtype {dtype.value!r}"


def overloads(node):
    """What makes a class a number of its own: arithmetic dunders, a numeric base class, or a metaclass."""
    names = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    names |= {t for n in node.body if isinstance(n, (ast.Assign, ast.AnnAssign))
              for t in target_names(n.targets[0] if isinstance(n, ast.Assign) else n.target)}
    bases = {dotted(b).rpartition(".")[2] for b in node.bases}
    made = [f"metaclass={text(k.value)}" for k in node.keywords if k.arg == "metaclass"] + (
        ["type (una metaclase)"] if "type" in bases else [])
    return sorted(names & ARITHMETIC) + sorted(bases & NUMBER_BASES) + made


def scan(unit, notebook, line=None):
    """(code, line, what) for every derivation finding in a reached unit (`line` pins the code a string holds)."""
    around = Around(unit)
    for node, local, chain in scoped(unit):
        at = line or getattr(node, "lineno", 1)
        yield from ((code, at, what) for code, what in constructs(node, local, notebook, around))
        if isinstance(node, ast.ClassDef) and overloads(node):
            yield "operator_overloading", at, f"{node.name}: {', '.join(overloads(node))}"
        arithmetic = as_operator(node) if isinstance(node, ast.Call) else node  # np.divide(d, h) divides
        quotient = isinstance(arithmetic, ast.BinOp) and isinstance(arithmetic.op, (ast.Div, ast.Mult))
        if quotient and notebook.scope(chain).quotient(arithmetic):
            yield "finite_difference", at, text(node)
        position = EXEC_STRINGS.get(last(node.func)) if isinstance(node, ast.Call) else None
        if (position is not None and len(node.args) > position and isinstance(node.args[position], ast.Constant)
                and isinstance(node.args[position].value, str)):
            tree, why = _tree(node.args[position].value)  # the string is code: read it too
            if why is not None:
                yield "hidden_call", at, why
            elif tree is not None:
                yield from scan(tree, notebook, at)


def complex_without_j(units, notebook):
    """(cell, line, what) for each way to make i without a j ((-1.0) ** 0.5, pow(x, 0.5), np.fft) in the reached
    code, when that code also reads a real part back (.real, np.real): the complex step without a literal."""
    made, real = [], False
    for index, unit, locked in units:
        if locked:
            continue
        for node, local, _ in scoped(unit):
            names = qualified(node, local, notebook.aliases) if isinstance(node, (ast.Name, ast.Attribute)) else []
            real = real or isinstance(node, ast.Attribute) and node.attr == "real" or any(
                matches(n, REAL_PARTS) is not None for n in names)
            if _fractional_power(node) or any(matches(n, COMPLEX_SOURCES) is not None for n in names):
                made.append((index, node.lineno, f"{text(node)}, leído con .real"))
    return made if real else []


def _fractional_power(node):
    """Whether a power may be complex in Python: a base not known to be ≥ 0 to an exponent not known integer."""
    if isinstance(node, ast.Call) and dotted(node.func) == "pow" and len(node.args) == 2:
        left, right = node.args
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        left, right = node.left, node.right
    else:
        return False
    exponent, value = number(right), number(left)
    if isinstance(exponent, int) or isinstance(exponent, float) and exponent.is_integer():
        return False
    if isinstance(value, (int, float)) and value >= 0:
        return False
    known = isinstance(left, ast.Call) and last(left.func) in NON_NEGATIVE or isinstance(left, ast.BinOp) and \
        isinstance(left.op, ast.Pow) and isinstance(number(left.right), int) and number(left.right) % 2 == 0
    return not known
