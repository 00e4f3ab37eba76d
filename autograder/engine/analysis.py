"""How a notebook's derivatives were obtained, read from its source without running it.

The grader's numbers catch float64 finite differences; methods exact in floating point (complex step, dual
numbers, differences in high precision, library autodiff, symbolic differentiation) leave no trace in them,
so they are read here from the cells' ASTs. `derivation_findings` looks at the code reachable from the
functions it is given, `review_findings` at constructs anywhere in the student's cells that act outside the
normal call path, `attribute` at which keys of the dict a function returns each finding can reach (so a
derivative derived by hand keeps its points next to one that is not). Standard library only; nothing here
names an exercise.
"""
import ast
import builtins
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import combinations

CODES = ("complex_step", "operator_overloading", "extended_precision", "machine_differentiation",
         "finite_difference", "hidden_call", "out_of_band")
TEXTS = {"complex_step": "usa números complejos ({}): es el método del paso complejo",
         "operator_overloading": "la clase {} redefine la aritmética: números duales o diferenciación automática",
         "extended_precision": "usa precisión extendida ({}): una diferencia con más cifras no es una derivada",
         "machine_differentiation": "deriva con una biblioteca ({}), no con la regla de la cadena",
         "finite_difference": "diferencia finita: resta dos evaluaciones y divide por el paso ({})",
         "hidden_call": "oculta lo que ejecuta ({})"}
# Qualified names, each covering everything under it ("sympy" covers sympy.diff).
QUALIFIED = {**dict.fromkeys(("cmath", "numpy.emath", "numpy.lib.scimath"), "complex_step"),
             **dict.fromkeys(("decimal", "fractions", "mpmath", "gmpy2", "bigfloat"), "extended_precision"),
             **dict.fromkeys(("jax", "autograd", "torch", "tensorflow", "sympy", "numdifftools", "findiff",
                              "scipy.differentiate", "scipy.misc.derivative", "scipy.optimize.approx_fprime",
                              "scipy.optimize.check_grad", "numpy.gradient"), "machine_differentiation"),
             **dict.fromkeys(("importlib", "builtins", "__main__", "sys.modules", "types.FunctionType",
                              "types.CodeType", "pickle.load", "pickle.loads", "marshal.load", "marshal.loads"),
                             "hidden_call")}
# Attribute names that mean the same on any object (numpy's dtypes, x.imag, f.__code__).
ATTRIBUTES = {**dict.fromkeys(("complex64", "complex128", "complex256", "complex_", "cdouble", "csingle",
                               "clongdouble", "clongfloat", "cfloat", "complexfloating", "imag", "emath",
                               "scimath"), "complex_step"),
              **dict.fromkeys(("Decimal", "Fraction", "getcontext", "localcontext", "longdouble", "float128",
                               "float96", "longfloat"), "extended_precision"),
              **dict.fromkeys(("__dict__", "__code__", "__builtins__"), "hidden_call")}
BUILTINS = {"complex": "complex_step", **dict.fromkeys(("eval", "exec", "compile", "__import__"), "hidden_call")}
DTYPES = {**dict.fromkeys(("complex", "complex64", "complex128", "complex256", "c8", "c16", "c32", "F", "D", "G"),
                          "complex_step"),
          **dict.fromkeys(("longdouble", "float128", "float96", "longfloat", "g", "f16"), "extended_precision")}
ARITHMETIC = {f"__{p}{op}__" for op in ("add", "sub", "mul", "truediv", "floordiv", "pow", "matmul", "mod")
              for p in ("", "r", "i")} | {"__neg__", "__pos__", "__array_ufunc__", "__array_function__",
                                          "__array_priority__", "__array_wrap__"}
NUMBER_BASES = {"ndarray", "Number", "Real", "Complex", "float", "int", "complex", "generic", "floating"}
NAMESPACES, NAMESPACE_WRITES = {"globals", "vars", "locals"}, {"update", "setdefault", "__setitem__", "pop"}
COPIES = {"dict", "list", "copy", "deepcopy", "array", "asarray", "asfarray", "clone", "OrderedDict"}
MUTATORS = {"append", "extend", "insert", "update", "setdefault", "__setitem__"}
REDUCTIONS = {"diff", "sum", "fsum", "dot", "inner", "matmul"}  # np.diff(values), weighted stencils
FOLDABLE = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
            ast.Pow: operator.pow}
# What acts outside the call path, with what to tell the instructor; "x*" covers every name starting with x.
OUT_OF_BAND = {**dict.fromkeys(("threading", "_thread", "concurrent", "multiprocessing"), "hilos o procesos"),
               **dict.fromkeys(("subprocess", "pty", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.wait*",
                                "os.system", "os.popen", "os.posix_spawn*", "os.spawn*", "os.exec*"),
                               "control de procesos"),
               **dict.fromkeys(("os.write", "os.read", "os.pwrite", "os.writev", "os.sendfile", "os.fdopen",
                                "os.dup", "os.dup2", "os.pipe", "os.open", "os.close", "os.closerange", "fcntl",
                                "select", "selectors", "mmap", "socket"), "descriptores de archivo o sockets"),
               **dict.fromkeys(("signal", "atexit", "sys.settrace", "sys.setprofile", "sys.addaudithook",
                                "sys.excepthook", "sys.breakpointhook", "sys.unraisablehook", "weakref.finalize",
                                "gc.callbacks"), "un gancho que se dispara más tarde"),
               **dict.fromkeys(("gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._getframe",
                                "inspect", "ctypes", "cffi", "faulthandler", "resource"), "introspección")}
INTROSPECTION = {"__closure__", "__globals__", "__code__", "__subclasses__", "__mro__", "__builtins__"}
# Builtins that never change their arguments; methods that only read their object (a dict's, an array's).
SAFE_CALLS = {"abs", "all", "any", "bool", "dict", "divmod", "enumerate", "float", "int", "isinstance", "len", "list",
              "max", "min", "pow", "print", "range", "repr", "reversed", "round", "set", "sorted", "str", "sum",
              "tuple", "zip"}
READS = {"get", "keys", "values", "items", "copy", "astype", "tolist", "sum", "mean", "dot", "index", "count"}
TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))
COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, *TRY, ast.ExceptHandler)
BLOCKS = ("body", "orelse", "finalbody", "handlers")
FROZEN = (ast.Constant, ast.Tuple, ast.Load, ast.UnaryOp, ast.BinOp, ast.unaryop, ast.operator)  # (1, 4 / 5), 1e-6
IPYTHON_ASSIGNMENT = re.compile(r"\s*([\w.\[\], ]+?)\s*=\s*[%!]")  # x = %time f(), files = !ls
MAX_DEPTH = 200  # the analysis recurses along the tree: deeper cells (never honest code) are reported, not read
DEEP = "código anidado demasiado hondo para analizarlo"


@dataclass(frozen=True)
class Finding:
    code: str  # one of CODES
    cell: int  # index of the code cell among the cells passed in
    line: int  # 1-based line in that cell
    text: str  # short Spanish description


def derivation_findings(cells, roots):
    """What in the code reachable from the functions named in `roots` is not a hand derivation."""
    parsed, opaque = _parse_cells(cells)
    notebook = _Notebook(parsed)
    found = {("hidden_call", index, 1): TEXTS["hidden_call"].format(DEEP) for index, locked in opaque if not locked}
    for index, unit, locked in _reach(parsed, roots):
        for code, line, what in [] if locked else _scan(unit, notebook):  # the teacher's code: followed, not reported
            found.setdefault((code, index, line), TEXTS[code].format(what))
    return sorted((Finding(code, cell, line, text) for (code, cell, line), text in found.items()),
                  key=lambda f: (f.cell, f.line, CODES.index(f.code)))


def review_findings(cells):
    """Constructs anywhere in the student's cells that act outside the normal call path (for the instructor's review)."""
    parsed, opaque = _parse_cells(cells)
    notebook = _Notebook(parsed)
    found = {(index, 1): DEEP for index, locked in opaque if not locked}
    for index, tree, locked in parsed:
        for line, what in [] if locked else _out_of_band(tree, notebook):
            found.setdefault((index, line), what)
    return [Finding("out_of_band", cell, line, text) for (cell, line), text in sorted(found.items())]


def attribute(cells, root, findings):
    """{key: findings that can reach that key's value} for the dict the function `root` returns, or None
    when the keys cannot be told apart statically (then every finding concerns every key)."""
    parsed, unknown = _parse_cells(cells)[0], None if findings else {}  # no findings: nothing to attribute
    trees, table = {index: tree for index, tree, _ in parsed}, _table(parsed)
    reach = lru_cache(maxsize=None)(lambda names: _reach(parsed, names, table))
    defs = [d for d in table.get(root, []) if not d[2]]  # the teacher's code may wrap root and put it back
    # plain defs at the top of one cell only (the last one is the live one): any other binding may replace it
    if not defs or any(not isinstance(unit, ast.FunctionDef) or unit.decorator_list or index != defs[0][0]
                       or all(unit is not s for s in trees[index].body) for index, unit, _ in defs):
        return unknown
    cell, function, _ = max(defs, key=lambda d: d[1].lineno)
    try:
        slices = _Slices(function, table, list(trees.values()))
    except _Unknown:
        return unknown

    def concerns(finding, lines, units):  # on a line of root the key depends on, or in code the key reaches
        return finding.cell == cell and finding.line in lines or any(
            finding.cell == i and _lines(unit).start <= finding.line <= unit.end_lineno for i, unit, _ in units)
    if not all(concerns(f, (), reach(frozenset([root]))) for f in findings):
        return None  # not in what calling root runs: found through some other way of running code
    notebook = _Notebook(parsed)  # code that acts out of band (threads, descriptors, frames) may forge any value
    if findings and any(next(_out_of_band(unit, notebook), None)
                        for _, unit, locked in reach(frozenset([root])) if not locked):
        return None
    attributed = {}
    for key in slices.slots:
        lines, names = slices.slice(key)
        units = reach(frozenset(names))
        # state kept outside the function (data, classes, `global`) can carry what any other key computed
        shared = any(_stateful(unit) for _, unit, _ in units)
        attributed[key] = [f for f in findings if shared or concerns(f, lines, units)]
    return attributed


# --- cells and names ---------------------------------------------------------------------------------------

def _parse_cells(cells):
    """(index, tree, locked) of the cells the grader runs that parse; (index, locked) of those nested too deep."""
    parsed, opaque = [], []
    for index, cell in enumerate(cells):
        tree = None if (cell.grade_id or "").startswith("test_") else _parse(cell.source)  # test_ cells never run
        if tree is not None and _depth(tree) > MAX_DEPTH:
            opaque.append((index, bool(cell.locked)))
        elif tree is not None:
            parsed.append((index, tree, bool(cell.locked)))
    return parsed, opaque


def _parse(source):
    """A cell's tree, its IPython lines (magics, shell escapes, help) as `pass`; None if it is not Python."""
    lines = source.splitlines()
    for _ in range(len(lines) + 1):
        try:
            return ast.parse("\n".join(lines))
        except SyntaxError as error:  # only lines Python rejects are IPython's: `(a\n % b)` stays a modulo
            number = (error.lineno or 0) - 1
            line = lines[number] if 0 <= number < len(lines) else ""
            indent, assigned = line[:len(line) - len(line.lstrip())], IPYTHON_ASSIGNMENT.match(line)
            if assigned:
                lines[number] = f"{indent}{assigned.group(1)} = None"  # files = !ls
            elif line.strip()[:1] in ("%", "!", "?", "/", ",", ";") or line.rstrip().endswith("?"):
                lines[number] = indent + "pass"
            else:
                return None  # a cell that does not parse defines nothing when run
        except (ValueError, RecursionError, MemoryError):
            return None
    return None


def _depth(tree):
    """How deeply a tree nests, counted without recursion."""
    deepest, todo = 0, [(tree, 1)]
    while todo:
        node, depth = todo.pop()
        deepest = max(deepest, depth)
        todo.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _dotted(node):
    """'np.linalg.norm' for a chain of attributes on a name, else ''."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


def _matches(name, table):
    """The value for `name` or a module above it in `table` ("x*" keys cover every name starting with x)."""
    for key, value in table.items():
        if name == key or name.startswith(key + ".") or (key.endswith("*") and name.startswith(key[:-1])):
            return value
    return None


def _imported(nodes):
    """Each name an import binds anywhere in the cells -> the qualified names it may stand for."""
    aliases = defaultdict(set)
    for node in nodes:
        for a in node.names if isinstance(node, (ast.Import, ast.ImportFrom)) else []:
            if isinstance(node, ast.Import):
                aliases[a.asname or a.name.split(".")[0]].add(a.name if a.asname else a.name.split(".")[0])
            elif node.module and not node.level:
                aliases[a.asname or a.name].add(f"{node.module}.{a.name}")
    return aliases


def _qualified(node, local, aliases):
    """The qualified names a name or attribute chain may stand for: 'np.gradient' -> ['numpy.gradient']."""
    head, _, tail = _dotted(node).partition(".")
    return [] if not head or head in local else [q + "." + tail if tail else q for q in aliases.get(head, ())]


def _namespace(node):
    """Whether a node is globals(), vars() or locals(): a namespace used as a dict."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NAMESPACES


def _text(node):
    """A node's source, on one short line."""
    source = " ".join(ast.unparse(node).split())
    return source if len(source) <= 70 else source[:67] + "..."


def _number(node):
    """The value of an expression of numeric constants only (2 ** -20, (-1) ** 0.5), else None."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) in (int, float, complex) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _number(node.operand)
        return None if value is None else -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in FOLDABLE:
        left, right = _number(node.left), _number(node.right)
        huge = isinstance(node.op, ast.Pow) and (abs(right or 0) > 64 or abs(left or 0) > 2 ** 64)  # 9 ** 9 ** 9
        if left is not None and right is not None and not huge:
            try:
                return FOLDABLE[type(node.op)](left, right)
            except (ArithmeticError, ValueError, TypeError):
                return None
    return None


# --- scopes ------------------------------------------------------------------------------------------------

def _own_nodes(node):
    """A node and those under it, except the insides of nested functions and classes (other scopes)."""
    yield node
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
        for child in ast.iter_child_nodes(node):
            yield from _own_nodes(child)


def _body(function):
    """The statements (or the expression) of a function or lambda, as a list."""
    return function.body if isinstance(function.body, list) else [function.body]


def _params(function):
    """Every parameter of a function or lambda."""
    a = function.args
    return [arg for arg in [*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg] if arg]


def _local_names(function):
    """The names a function binds for itself, not `global`s nor imports (modules keep their meaning); cached."""
    if not hasattr(function, "local_names"):
        names, declared = {arg.arg for arg in _params(function)}, set()
        for sub in (n for statement in _body(function) for n in _own_nodes(statement)):
            if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                names.add(sub.id)
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, (ast.Global, ast.Nonlocal)):
                declared.update(sub.names)
        function.local_names = frozenset(names - declared)
    return function.local_names


def _scoped(node, local=frozenset(), chain=()):
    """Every node under `node`, with the names local there and the functions around it; defaults run outside."""
    yield node, local, chain
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        outside = [*node.args.defaults, *node.args.kw_defaults, *getattr(node, "decorator_list", []),
                   getattr(node, "returns", None), *(arg.annotation for arg in _params(node))]
        for child in filter(None, outside):
            yield from _scoped(child, local, chain)
        for child in _body(node):
            yield from _scoped(child, local | _local_names(node), chain + (node,))
        return
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        local = local | {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
    for child in ast.iter_child_nodes(node):
        yield from _scoped(child, local, chain)


# --- reachability ------------------------------------------------------------------------------------------

def _top_statements(body):
    """The statements a cell runs at its top level, inside if/for/while/try/with blocks too."""
    for statement in body:
        yield statement
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for block in [getattr(statement, f, []) for f in ("body", "orelse", "finalbody")] + [
                    h.body for h in getattr(statement, "handlers", [])]:
                yield from _top_statements(block)


def _target_names(target):
    """The plain names an assignment target binds."""
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def _dynamic_binds(node):
    """Names bound without an assignment: globals()["f"] = ..., setattr(m, "f", ...); "*" when computed or exec'd."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript) and not isinstance(sub.ctx, ast.Load) and _namespace(sub.value):
            yield str(sub.slice.value) if isinstance(sub.slice, ast.Constant) else "*"
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and _namespace(sub.func.value):
            if sub.func.attr in NAMESPACE_WRITES:
                yield from (k.arg or "*" for k in sub.keywords)
                keys = [k for a in sub.args[:1] for k in (a.keys if isinstance(a, ast.Dict) else [a])]
                yield from (str(k.value) if isinstance(k, ast.Constant) else "*" for k in keys)
        elif isinstance(sub, ast.Call) and _dotted(sub.func) == "setattr" and len(sub.args) > 1:
            if _dotted(sub.args[0]) not in ("self", "cls"):
                yield str(sub.args[1].value) if isinstance(sub.args[1], ast.Constant) else "*"
        elif isinstance(sub, ast.Call) and _dotted(sub.func) == "exec":
            yield "*"
        elif isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and _is_main(sub.value):
            yield sub.attr


def _is_main(node):
    """Whether a node is the notebook's own module: __main__, or sys.modules[...]."""
    inner = node.value if isinstance(node, ast.Subscript) else node
    return _dotted(node) == "__main__" or _dotted(inner) == "sys.modules"


def _bindings(tree):
    """(name, unit) for each way a cell binds a global name ("*": any name); the unit is what runs for it."""
    for statement in _top_statements(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield statement.name, statement  # `global f` inside: the whole function may rebind f
            declared = [n for sub in ast.walk(statement) if isinstance(sub, ast.Global) for n in sub.names]
            yield from ((name, statement) for name in {*declared, *_dynamic_binds(statement)})
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield from ((a.asname or a.name.split(".")[0], statement) for a in statement.names)  # "*": any name
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            yield from ((name, statement.iter) for name in _target_names(statement.target))
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                yield from ((n, item.context_expr) for n in _target_names(item.optional_vars or ast.Pass()))
        elif not isinstance(statement, (ast.If, ast.While, ast.Try, getattr(ast, "TryStar", ast.Try))):
            targets = [n.target for n in ast.walk(statement) if isinstance(n, ast.NamedExpr)]
            targets += getattr(statement, "targets", [getattr(statement, "target", ast.Pass())])
            names = {name for target in targets for name in _target_names(target)}
            yield from ((name, statement) for name in names | set(_dynamic_binds(statement)))


def _free_names(unit):
    """The global names a unit reads: every name not local to a function around it (globals()["f"] reads f)."""
    names = set()
    for sub, local, _ in _scoped(unit):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in local:
            names.add(sub.id)
        elif isinstance(sub, ast.Subscript) and _namespace(sub.value) and isinstance(sub.slice, ast.Constant):
            names.add(str(sub.slice.value))
    return names


def _table(parsed):
    """Each global name -> (cell, unit, locked) of every way the cells bind it ("*": any name)."""
    table = defaultdict(list)
    for index, tree, locked in parsed:
        for name, unit in _bindings(tree):
            table[name].append((index, unit, locked))
    return table


def _reach(parsed, roots, table=None):
    """(cell, unit, locked) of each binding reachable from the roots: all of a name's (the run picks the live one)."""
    table = _table(parsed) if table is None else table
    units, seen, done, todo = [], set(), set(), [*roots, "*"]  # "*": what may bind any name
    while todo:
        name = todo.pop()
        for index, unit, locked in [] if name in done else table.get(name, ()):
            if id(unit) not in seen:
                seen.add(id(unit))
                units.append((index, unit, locked))
                todo.extend(_free_names(unit))
        done.add(name)
    return units


# --- what a reached unit does ------------------------------------------------------------------------------

def _constructs(node, local, notebook):
    """(code, what) for a constant, name, attribute, import or call that reveals a method by itself."""
    if isinstance(node, (ast.Constant, ast.BinOp)) and isinstance(_number(node), complex):
        yield "complex_step", _text(node)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            full = f"{node.module}.{alias.name}" if isinstance(node, ast.ImportFrom) else alias.name
            code = _matches(full, QUALIFIED) or ATTRIBUTES.get(alias.name)
            if full.split(".")[0] in notebook.written:  # open("m.py", "w") ... import m: code in a string
                code, full = "hidden_call", f"{full}, un módulo que escribe el propio notebook"
            yield from [(code, f"import {full}")] if code else []
    elif isinstance(node, (ast.Name, ast.Attribute)):
        qualified = _qualified(node, local, notebook.aliases)
        for name in qualified:
            code = _matches(name, QUALIFIED) or ATTRIBUTES.get(name.rpartition(".")[2])
            yield from [(code, name)] if code else []
        if isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES:
            yield ATTRIBUTES[node.attr], _text(node)
        if isinstance(node, ast.Name) and not qualified and node.id not in local and node.id in BUILTINS:
            yield BUILTINS[node.id], node.id
    elif isinstance(node, ast.Subscript) and _namespace(node.value):
        if not isinstance(node.ctx, ast.Load) or not isinstance(node.slice, ast.Constant):
            yield "hidden_call", f"{_text(node)}: nombres calculados o escritos"
    elif isinstance(node, ast.Call):
        yield from _call_constructs(node, local, notebook)


def _call_constructs(node, local, notebook):
    """(code, what) for calls that compute a name, write a namespace, build a class, or ask for a complex dtype."""
    name, args = _dotted(node.func), node.args
    if name in ("getattr", "setattr", "delattr", "hasattr") and len(args) > 1:
        if not isinstance(args[1], ast.Constant):
            yield "hidden_call", f"{name} con un nombre calculado"
        else:  # getattr(np, "complex128") is np.complex128
            attribute = str(args[1].value)
            for full in [attribute] + [f"{q}.{attribute}" for q in _qualified(args[0], local, notebook.aliases)]:
                code = ATTRIBUTES.get(full) or _matches(full, QUALIFIED)
                yield from [(code, _text(node))] if code else []
    if isinstance(node.func, ast.Attribute) and _namespace(node.func.value) and node.func.attr in NAMESPACE_WRITES:
        yield "hidden_call", f"{_text(node.func)}: escribe nombres"
    if name == "type" and len(args) == 3 and isinstance(args[2], ast.Dict):
        if {k.value for k in args[2].keys if isinstance(k, ast.Constant)} & ARITHMETIC:
            yield "operator_overloading", "creada con type()"
    method = node.func.attr if isinstance(node.func, ast.Attribute) else name
    dtypes = [k.value for k in node.keywords if k.arg == "dtype"] + (args[:1] if method in ("astype", "dtype") else [])
    for dtype in dtypes:
        if isinstance(dtype, ast.Constant) and str(dtype.value) in DTYPES:
            yield DTYPES[str(dtype.value)], f"dtype {dtype.value!r}"


def _overloads(node):
    """What makes a class a number of its own: arithmetic dunders, or a numeric base class."""
    names = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    names |= {t for n in node.body if isinstance(n, (ast.Assign, ast.AnnAssign))
              for t in _target_names(n.targets[0] if isinstance(n, ast.Assign) else n.target)}
    return sorted(names & ARITHMETIC) + sorted({_dotted(b).rpartition(".")[2] for b in node.bases} & NUMBER_BASES)


def _scan(unit, notebook, line=None):
    """(code, line, what) for every derivation finding in a reached unit (`line` pins the code a string holds)."""
    for node, local, chain in _scoped(unit):
        at = line or getattr(node, "lineno", 1)
        yield from ((code, at, what) for code, what in _constructs(node, local, notebook))
        if isinstance(node, ast.ClassDef) and _overloads(node):
            yield "operator_overloading", at, f"{node.name}: {', '.join(_overloads(node))}"
        quotient = isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.Mult))
        if quotient and notebook.scope(chain).quotient(node):
            yield "finite_difference", at, _text(node)
        if (isinstance(node, ast.Call) and _dotted(node.func) in ("eval", "exec") and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            tree = _parse(node.args[0].value)  # the string is code: read it too
            if tree is not None and _depth(tree) > MAX_DEPTH:
                yield "hidden_call", at, DEEP
            elif tree is not None:
                yield from _scan(tree, notebook, at)


def _out_of_band(tree, notebook):
    """(line, what) for each construct of a cell that acts outside the normal call path."""
    for node, local, _ in _scoped(tree):
        for alias in node.names if isinstance(node, (ast.Import, ast.ImportFrom)) else []:
            module = f"{node.module}.{alias.name}" if isinstance(node, ast.ImportFrom) else alias.name
            if _matches(module, OUT_OF_BAND):
                yield node.lineno, f"{_matches(module, OUT_OF_BAND)}: import {module}"
        for name in _qualified(node, local, notebook.aliases) if isinstance(node, (ast.Name, ast.Attribute)) else []:
            if _matches(name, OUT_OF_BAND):
                yield node.lineno, f"{_matches(name, OUT_OF_BAND)}: {name}"
            if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
                yield node.lineno, f"parchea un módulo: {name} = ..."
        if isinstance(node, ast.Attribute) and node.attr in INTROSPECTION:
            yield node.lineno, f"introspección: {_text(node)}"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "__del__":
            yield node.lineno, "un gancho que se dispara más tarde: __del__"
        if (isinstance(node, ast.Call) and _dotted(node.func) in ("open", "io.open", "io.FileIO") and node.args
                and isinstance(node.args[0], ast.Constant) and type(node.args[0].value) is int):
            yield node.lineno, f"descriptores de archivo o sockets: {_text(node)}"
        for code, what in _constructs(node, local, notebook):
            if code == "hidden_call":
                yield node.lineno, f"llamada oculta: {what}"


# --- difference quotients ----------------------------------------------------------------------------------

def _tiny(value):
    """Whether a constant is step-sized: a number (or a numeric string, as in Decimal("1e-30")) under 0.05."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    return type(value) in (int, float, complex) and 0 < abs(value) < 0.05


def _is_point(node):
    """Whether an expression names a value that can be shifted: p, p[k], self.theta."""
    return isinstance(node, (ast.Name, ast.Subscript, ast.Attribute))


def _copied(value):
    """The expression a binding copies (dict(p), p.copy(), np.array(p), {**p}, {k: ... for k in p.items()}), or None."""
    if isinstance(value, ast.Call) and _dotted(value.func).rpartition(".")[2] in COPIES:
        return value.args[0] if value.args else getattr(value.func, "value", None)
    if isinstance(value, ast.Dict) and None in value.keys:
        return value.values[value.keys.index(None)]
    if isinstance(value, (ast.DictComp, ast.ListComp, ast.GeneratorExp)):
        source = value.generators[0].iter
        return source.func.value if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) else source
    return None


def _signed_terms(node, sign=1):
    """A sum's terms with their signs, constant coefficients dropped: -L(2h) + 8 * L(h) -> [(-1, L(2h)), (1, L(h))]."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        right = -sign if isinstance(node.op, ast.Sub) else sign
        return _signed_terms(node.left, sign) + _signed_terms(node.right, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _signed_terms(node.operand, -sign if isinstance(node.op, ast.USub) else sign)
    if isinstance(node, ast.Call) and _dotted(node.func).endswith("subtract") and len(node.args) == 2:
        return _signed_terms(node.args[0], sign) + _signed_terms(node.args[1], -sign)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for constant, rest in ((node.left, node.right), (node.right, node.left)):
            if type(_number(constant)) in (int, float):
                return _signed_terms(rest, sign if _number(constant) >= 0 else -sign)
    return [(sign, node)]


class _Scope:
    """What each name of a function (or of the notebook's top level) is bound to, and what is written into it."""

    def __init__(self, statements, notebook, parent=None, function=None):
        self.notebook, self.parent = notebook, parent
        self.values, self.writes, self.local = defaultdict(list), [], set()
        if function is not None:
            a = function.args
            self.local |= {arg.arg for arg in _params(function)}
            positional = [*a.posonlyargs, *a.args]
            for arg, default in [*zip(positional[len(positional) - len(a.defaults):], a.defaults),
                                 *zip(a.kwonlyargs, a.kw_defaults)]:
                self.values[arg.arg] += [default] if default is not None else []
        for node in (n for statement in statements for n in _own_nodes(statement)):
            self._collect(node)

    def _collect(self, node):
        """Record what one node of the scope binds."""
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind(target, node.value)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr, ast.AugAssign)) and node.value is not None:
            self._bind(node.target, node.value, getattr(node, "op", None))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            self._bind(node.target, node.iter)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            self._bind(node.optional_vars, node.context_expr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.local.add(node.name)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            if isinstance(node.func.value, ast.Name):
                self.values[node.func.value.id].extend(node.args)  # values.append(f(up)) fills `values`

    def _bind(self, target, value, op=None):
        """Record that `target` gets `value` (through the in-place operator `op`, if any)."""
        if isinstance(target, ast.Name):
            self.local.add(target.id)
            self.values[target.id].append(value)
            self.writes += [(target.id, None, value, op)] if op else []
        elif isinstance(target, (ast.Tuple, ast.List)):
            pairs = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
            for i, element in enumerate(target.elts):
                self._bind(element, value.elts[i] if pairs else value, op)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, value, op)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            self.values[target.value.id].append(value)  # what is written into a container is part of it
            self.writes.append((target.value.id, target.slice, value, op))

    def owner(self, name):
        """The scope a name lives in: this function's, an enclosing one, or the notebook's top level."""
        return self if name in self.local or self.parent is None else self.parent.owner(name)

    def bound(self, name):
        """What a name is bound to, in the scope it lives in."""
        return self.owner(name).values.get(name, [])

    def shifts(self, name=None):
        """The steps a name (any, when None) is shifted by in place: p[k] += h, q[k] = p[k] - h, x[i] = old + h."""
        steps = []
        for target, key, value, op in self.writes:
            if name in (None, target) and (isinstance(op, (ast.Add, ast.Sub)) or op and "#tiny" in self.atoms(value)):
                steps.append(value)
            elif name in (None, target) and op is None and isinstance(value, ast.BinOp) and type(value.op) in FOLDABLE:
                start = self.unalias(value.left)
                same_key = isinstance(start, ast.Subscript) and key and ast.dump(start.slice) == ast.dump(key)
                if (same_key and isinstance(value.op, (ast.Add, ast.Sub))) or "#tiny" in self.atoms(value.right):
                    steps.append(value.right)
        return steps

    def spread(self, node):
        """Every node an expression depends on, through the bindings of the names in it."""
        seen, todo = set(), [node]
        while todo:
            for sub in ast.walk(todo.pop()):
                yield sub
                if isinstance(sub, ast.Name) and sub.id not in seen:
                    seen.add(sub.id)
                    todo.extend(self.bound(sub.id))

    def atoms(self, node):
        """The names an expression depends on, and "#tiny" when a step-sized constant is among its sources."""
        names, tiny = set(), False
        for n in self.spread(node):
            names |= {n.id} if isinstance(n, ast.Name) else set()
            value = n.value if isinstance(n, ast.Constant) else _number(n) if isinstance(n, ast.BinOp) else None
            tiny = tiny or _tiny(value) or isinstance(n, ast.Attribute) and n.attr in ("eps", "epsilon")
        return names | ({"#tiny"} if tiny else set())

    def unalias(self, node, depth=0):
        """The expression a name stands for when it is bound once (`base = loss(params)`)."""
        values = self.bound(node.id) if isinstance(node, ast.Name) else []
        return self.unalias(values[0], depth + 1) if len(values) == 1 and depth < 4 else node

    def inner_steps(self, node):
        """The step-sized shifts among the sources: + h, shifted copies, steps given to shifting functions."""
        steps = set()
        for sub in self.spread(node):
            if isinstance(sub, ast.BinOp) and isinstance(sub.op, (ast.Add, ast.Sub)):
                candidates = [sub.left, sub.right]
            elif isinstance(sub, ast.Name):
                candidates = self.owner(sub.id).shifts(sub.id)
            elif isinstance(sub, ast.Call):
                shifting = self.notebook.steps_of.get(_dotted(sub.func), ())
                candidates = [arg for i, arg in enumerate(sub.args) if i in shifting]
            else:
                candidates = []
            steps |= set().union(*(atoms for atoms in map(self.atoms, candidates) if "#tiny" in atoms))
        return steps

    def base(self, node):
        """What a shifted value starts from, seen through copies."""
        values = self.bound(node.id) if isinstance(node, ast.Name) else []
        return ast.dump(_copied(values[0]) if values and _copied(values[0]) is not None else node)

    def resolve(self, node):
        """(what an argument shifts, by what): p + h, or a copy of p with [k] += h, is (p, {h}); 2*h is a step."""
        if isinstance(node, ast.BinOp) and type(node.op) in FOLDABLE and not isinstance(node.op, ast.Pow):
            commutes, scaled = isinstance(node.op, (ast.Add, ast.Mult)), isinstance(node.op, (ast.Mult, ast.Div))
            for start, step in ((node.left, node.right), (node.right, node.left))[:2 if commutes else 1]:
                if self.is_step(step) and not self.is_step(start) and (_is_point(start) or not scaled):
                    return self.base(start), self.atoms(step)
            if not scaled and _is_point(node.left):
                return self.base(node.left), self.atoms(node.right)
        if isinstance(node, ast.Name):
            values, shifts = self.bound(node.id), self.owner(node.id).shifts(node.id)
            steps = set().union(*map(self.atoms, shifts))
            if values and _copied(values[0]) is not None:
                return self.base(_copied(values[0])), steps | self.inner_steps(values[0])
            if len(values) == 1 and isinstance(values[0], ast.BinOp) and not shifts:
                return self.resolve(values[0])
            if steps:
                return ast.dump(node), steps
        return ("step", self.atoms(node)) if self.is_step(node) else (ast.dump(node), set())

    def is_step(self, node):
        """Whether an expression is made of step-sized constants alone: h, 2 * h, -h, 1 + 1e-8, Decimal("1e-30")."""
        for n in self.spread(node):
            unknown = isinstance(n, ast.Name) and not self.bound(n.id) and n.id not in self.notebook.aliases
            if isinstance(n, ast.Subscript) or unknown and not hasattr(builtins, n.id):
                return False  # a parameter, an element, a free variable: a value, not a step
        return "#tiny" in self.atoms(node)

    def differ(self, a, b):
        """The steps two alike expressions differ by (empty when equal); None if they are not one shifted expression."""
        if ast.dump(a) == ast.dump(b):
            return set()
        if isinstance(a, ast.expr) and isinstance(b, ast.expr):
            (base_a, steps_a), (base_b, steps_b) = self.resolve(a), self.resolve(b)
            if base_a == base_b and (steps_a or steps_b):
                return steps_a | steps_b
        if type(a) is not type(b):
            return None
        if isinstance(a, ast.Subscript) and ast.dump(a.value) == ast.dump(b.value):
            return self.inner_steps(a.value)  # slices of one array of evaluations: L[:9] - L[9:]
        step_args = self.notebook.steps_of.get(_dotted(a.func), ()) if isinstance(a, ast.Call) else ()
        found = set()
        for field, x in ast.iter_fields(a):
            y = getattr(b, field)
            if isinstance(x, list) and len(x) != len(y):
                return None
            for i, (u, v) in enumerate(zip(x, y) if isinstance(x, list) else [(x, y)]):
                if field == "args" and i in step_args:  # L_at(name, 2 * h) vs L_at(name, -h): the args are steps
                    steps = self.atoms(u) | self.atoms(v) if ast.dump(u) != ast.dump(v) else set()
                elif isinstance(u, ast.AST) and isinstance(v, ast.AST):
                    steps = self.differ(u, v)
                else:
                    steps = set() if u == v else None
                if steps is None:
                    return None
                found |= steps
        return found

    def factors(self, node, inverted=False, depth=0):
        """(numerator factors, denominator factors) of a product of quotients, through names (inv = 1 / (2 * h))."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            upper, lower = self.factors(node.left, inverted, depth)
            more = self.factors(node.right, inverted != isinstance(node.op, ast.Div), depth)
            return upper + more[0], lower + more[1]
        bound = self.unalias(node) if isinstance(node, ast.Name) else node
        # a name bound to a product, or to a reciprocal (inv = 1 / (2 * h)); a bound quotient was judged where it is
        if bound is not node and depth < 3 and isinstance(bound, ast.BinOp) and (
                isinstance(bound.op, ast.Mult) or isinstance(bound.op, ast.Div) and _number(bound.left) is not None):
            return self.factors(bound, inverted, depth + 1)
        if type(_number(node)) in (int, float) and abs(_number(node)) >= 1e3:
            node, inverted = ast.Constant(1 / _number(node)), not inverted  # · 5e5 is / 2e-6
        return ([], [node]) if inverted else ([node], [])

    def differences(self, node):
        """The step sets of a factor's differences of alike evaluations, and of its step-sized reductions or sums."""
        node = core = self.unalias(node)
        while isinstance(core, ast.Subscript):
            core = core.value  # np.diff(values)[0]
        reduced = isinstance(core, ast.Call) and _dotted(core.func).rpartition(".")[2] in REDUCTIONS
        summed = isinstance(core, ast.Name) and self.owner(core.id).shifts(core.id)  # acc += sign * f(q)
        if reduced or summed or isinstance(core, ast.BinOp) and isinstance(core.op, ast.MatMult):
            yield self.inner_steps(core)
        for (sign_a, a), (sign_b, b) in combinations(_signed_terms(node), 2):
            pairs = {(id(x), id(y)): (x, y) for x in (a, self.unalias(a)) for y in (b, self.unalias(b))}
            for u, v in pairs.values() if sign_a != sign_b else ():
                steps = self.differ(u, v)
                if steps == set() and any(isinstance(n, ast.Call) for n in ast.walk(u)):
                    steps = set().union(*map(self.atoms, self.shifts()))  # f(x) twice, x shifted in place between
                yield steps or set()

    def quotient(self, node):
        """Whether a quotient (or a product by a reciprocal) divides a difference of alike evaluations by their step."""
        upper, lower = self.factors(node)
        under = set().union(*map(self.atoms, lower))
        return bool(lower) and any(steps & under for factor in upper for steps in self.differences(factor))


def _shifting(function):
    """(names a function shifts values by: p[k] += s, x + s; its calls, to pass steps on to shifting functions)."""
    steps, calls = [], []
    for node in (n for statement in _body(function) for n in ast.walk(statement)):
        if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
            steps.append(node.value)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and _is_point(node.left):
            steps.append(node.right)
        elif isinstance(node, ast.Call):
            calls.append((_dotted(node.func), node.args))
    return {n.id for step in steps for n in ast.walk(step) if isinstance(n, ast.Name)}, calls


def _written_modules(nodes):
    """Modules whose file a string names ("trampa.py", "pkg/__init__.py"): importing them runs code not in the cells."""
    files = [n.value.replace("\\", "/").split("/") for n in nodes
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.endswith(".py")]
    return {part[:-3] if part.endswith(".py") else part for parts in files for part in (parts[0], parts[-1])}


class _Notebook:
    """What the analysis knows of all cells at once: imports, the top-level scope, functions shifting by a parameter."""

    def __init__(self, parsed):
        self.trees, self.scopes = [tree for _, tree, _ in parsed], {}
        self.nodes = [node for tree in self.trees for node in ast.walk(tree)]
        self.aliases = _imported(self.nodes)
        self.written = _written_modules(self.nodes)

    @cached_property
    def top(self):
        """The scope of the notebook's top level: every cell's, as one namespace."""
        return _Scope([statement for tree in self.trees for statement in tree.body], self)

    @cached_property
    def steps_of(self):
        """Function name -> positions of the parameters it shifts values by (L_at(name, step) -> {1})."""
        functions = [(n.name, n) for n in self.nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        functions += [(t.id, n.value) for n in self.nodes if isinstance(n, ast.Assign)
                      and isinstance(n.value, ast.Lambda) for t in n.targets if isinstance(t, ast.Name)]
        shifting = [(name, [a.arg for a in [*f.args.posonlyargs, *f.args.args]], *_shifting(f))
                    for name, f in functions]
        steps_of = {}
        for _ in range(3):  # a step passed on to a function that shifts by it is a step too
            for name, params, steps, calls in shifting:
                passed = {n.id for callee, args in calls for i, arg in enumerate(args)
                          if i in steps_of.get(callee, ()) for n in ast.walk(arg) if isinstance(n, ast.Name)}
                if (steps | passed) & set(params):
                    steps_of[name] = {i for i, param in enumerate(params) if param in steps | passed}
        return steps_of

    def scope(self, chain):
        """The scope of the innermost function of a chain (the notebook's top level when empty)."""
        key = tuple(map(id, chain))
        if key not in self.scopes:
            self.scopes[key] = _Scope(_body(chain[-1]), self, self.scope(chain[:-1]), chain[-1]) if chain else self.top
        return self.scopes[key]


# --- which key a finding concerns ----------------------------------------------------------------------------

class _Unknown(Exception):
    """The keys of a returned dict cannot be told apart statically."""


def _header(node):
    """What a node runs itself: a compound statement's test, iterable, target or context; else all of it."""
    if not isinstance(node, COMPOUND):
        return [node]
    return [v for field, value in ast.iter_fields(node) if field not in BLOCKS
            for v in (value if isinstance(value, list) else [value]) if isinstance(v, ast.AST)]


def _lines(node):
    """The lines a node (a compound statement: its header) stands on, decorators included."""
    nodes = [n for h in _header(node) for n in ast.walk(h)] if isinstance(node, COMPOUND) else [node]
    end = max([node.lineno] + [getattr(n, "end_lineno", 0) or 0 for n in nodes])
    return range(min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]), end + 1)


def _base(node):
    """The name under attributes, subscripts or a star (x in x.a[k], *x), else None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return getattr(node, "id", None)


def _aliases(node):
    """(name, value) for each name a node binds to the object of the value: q = p, (a, b) = (p, x), for q in p."""
    pairs = [(node.target, node.iter)] if isinstance(node, (ast.For, ast.AsyncFor)) else []
    for target in getattr(node, "targets", []) if isinstance(node, ast.Assign) else []:
        tuples = isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
        pairs += zip(target.elts, node.value.elts) if tuples else [(target, node.value)]
    return [(name, value) for target, value in pairs for name in _target_names(target)]


def _mutations(nodes, safe):
    """Names whose object the nodes may change in place: x[k] = v, x.a = v, x.sort(), f(x) for an f that may write."""
    for node in nodes:
        if isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            yield _base(node)
        elif isinstance(node, ast.Call):
            method = isinstance(node.func, ast.Attribute) and node.func.attr not in READS
            yield _base(node.func.value) if method else None
            yield from [] if safe(node.func) else map(_base, [*node.args, *(k.value for k in node.keywords)])


def _stateful(unit):
    """Whether a global binding holds state that running code may change: data, classes, `global`, mutable defaults."""
    if isinstance(unit, (ast.FunctionDef, ast.AsyncFunctionDef)):
        defaults = [n for d in [*unit.args.defaults, *unit.args.kw_defaults] if d for n in ast.walk(d)]
        return any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(unit)) or not all(
            isinstance(n, FROZEN) for n in defaults)
    value = getattr(unit, "value", None) or ast.Constant(None)
    frozen = isinstance(value, ast.Lambda) or all(isinstance(n, FROZEN) for n in ast.walk(value))
    if isinstance(unit, (ast.Assign, ast.AnnAssign)):
        return not frozen
    return not isinstance(unit, (ast.Import, ast.ImportFrom))


class _Slices:
    """What each key of the dict a function returns depends on; raises _Unknown when the keys blur."""

    def __init__(self, function, table, trees):
        self.table, self.slots, self.reads, self.results, self.known = table, defaultdict(list), {}, set(), {}
        self.up = {child: node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
        own = [n for statement in function.body for n in _own_nodes(statement)]
        if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Match)) for n in own):
            raise _Unknown
        self.parents = {n: None if self.up[n] is function else self.up[n]
                        for n in own if isinstance(n, (ast.stmt, ast.ExceptHandler))}
        named = {s: {a.asname or a.name.split(".")[0] for a in getattr(s, "names", []) if isinstance(a, ast.alias)}
                 | ({s.name} if isinstance(getattr(s, "name", None), str) else set()) for s in self.parents}
        declared = {name for n in own if isinstance(n, (ast.Global, ast.Nonlocal)) for name in n.names}
        self.locals = (set(_local_names(function)) | set().union(*named.values())) - declared
        self.notebook = [n for tree in trees for n in ast.walk(tree)]
        self.stores = Counter(n.id for n in self.notebook
                              if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))
        # what each statement may bind or change in place; using a local function does what its body does
        walked = {s: [n for h in _header(s) for n in ast.walk(h)] for s in self.parents}
        binds = {s: named[s] | {n.id for n in walked[s] if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
                 | set(_mutations(walked[s], self.safe)) for s in self.parents}
        defines = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        functions = {name: s for s in self.parents
                     if isinstance(s, defines) or isinstance(getattr(s, "value", None), ast.Lambda)
                     for name in named[s] | {n for t in getattr(s, "targets", []) for n in _target_names(t)}}
        for _ in range(2):
            for s, nodes in walked.items():
                binds[s] |= set().union(*(binds[functions[n.id]] for n in nodes if isinstance(n, ast.Name)
                                          and isinstance(n.ctx, ast.Load) and n.id in functions))
        self.binders = defaultdict(list)
        for s, names in binds.items():
            for name in names:
                self.binders[name].append(s)
        # q = p: changing q in place changes p (and the other way round)
        pairs = [(name, _base(value)) for s in self.parents for name, value in _aliases(s)
                 if _base(value) in self.locals]
        for _ in range(2):
            for q, p in pairs:
                self.binders[q] = self.binders[p] = list({id(b): b for b in self.binders[q] + self.binders[p]}.values())
        a = function.args  # a parameter not passed is bound to its default
        positional = [*a.posonlyargs, *a.args][::-1]
        for arg, default in [*zip(positional, a.defaults[::-1]), *zip(a.kwonlyargs, a.kw_defaults)]:
            self.binders[arg.arg] += [default] if default else []
        for r in (s for s in self.parents if isinstance(s, ast.Return)):  # return d, return {...}, or no dict
            if isinstance(r.value, ast.Name):
                self.results.add(r.value.id)
            elif not (r.value is None or isinstance(r.value, ast.Constant) and r.value.value is None
                      or self._dict(r.value, r)):
                raise _Unknown
        own_ids = {id(n) for n in own}
        if self.results - self.locals or self.results & {arg.arg for arg in _params(function)} or any(
                isinstance(n, ast.Name) and n.id in self.results and (id(n) not in own_ids or not self._use(n))
                for n in ast.walk(function)):
            raise _Unknown  # a parameter, a global, or a dict used in a way not followed here
        # an early return, break or continue decides which writes run: the tests around it concern every key
        self.control = [self.parents[s] for s in self.parents if isinstance(s, (ast.Return, ast.Break, ast.Continue))]

    def safe(self, func):
        """Whether a call leaves its arguments as they were: a builtin that only reads, or a function of the
        notebook that changes no parameter in place (nor hands one to a call that may)."""
        name = _dotted(func)
        if name not in self.known:
            units = [] if name in self.locals else self.table.get(name, [])
            self.known[name] = True  # a recursive call keeps what the rest of the function keeps
            self.known[name] = all(locked or isinstance(u, ast.FunctionDef) and self._keeps(u) for _, u, locked in units
                                   ) if units else name in SAFE_CALLS and name not in self.locals
        return self.known[name]

    def _keeps(self, function):
        """Whether a function changes none of its parameters in place, nor their aliases (q = p, q = p[k])."""
        nodes, mine = list(ast.walk(function)), {arg.arg for arg in _params(function)}
        for _ in range(2):
            mine |= {name for n in nodes for name, value in _aliases(n) if _base(value) in mine}
        local = _local_names(function)  # a call to a name of its own (a lambda, a parameter) may do anything
        return not mine & set(_mutations(nodes, lambda func: _dotted(func) not in local and self.safe(func)))

    def _builtin(self, func, name):
        return isinstance(func, ast.Name) and func.id == name and name not in self.table and name not in self.locals

    def _put(self, keys, value, anchor):
        """Record that each key may get `value` (an expression in the statement `anchor`, or `anchor` itself)."""
        for key in keys or ():
            self.slots[key].append((value, anchor))
        return keys is not None

    def _dict(self, node, anchor):
        """Record the slots of a dict written with constant keys: {k: v, ...}, dict(), dict(zip(KEYS, [v, ...]))."""
        if isinstance(node, ast.Dict):
            return all(k is not None and self._put(self._keys(k, anchor), v, anchor)
                       for k, v in zip(node.keys, node.values))
        if not (isinstance(node, ast.Call) and self._builtin(node.func, "dict")) or node.keywords or len(node.args) > 1:
            return False
        pairs = node.args[0] if node.args else None  # dict(): empty
        if pairs and not (isinstance(pairs, ast.Call) and self._builtin(pairs.func, "zip") and len(pairs.args) == 2
                          and isinstance(pairs.args[1], (ast.Tuple, ast.List))):
            return False
        keys, values = (self._const(pairs.args[0]), pairs.args[1].elts) if pairs else ((), [])
        return isinstance(keys, tuple) and not any(isinstance(v, ast.Starred) for v in values) and all(
            self._put((k,), v, anchor) for k, v in zip(keys, values))

    def _use(self, name):
        """Record what one occurrence of a returned dict's name writes or reads; whether it is understood."""
        parent, statement = self.up[name], name
        while statement not in self.parents:
            statement = self.up[statement]
        if not isinstance(name.ctx, ast.Load):  # d = {...}
            return isinstance(parent, ast.Assign) and parent.targets == [name] and self._dict(parent.value, parent)
        if isinstance(parent, ast.Subscript) and parent.value is name:  # d[k] = v, d[k] += v, or d[k] read back
            keys = self._keys(parent.slice, statement)
            if isinstance(parent.ctx, ast.Load):
                self.reads[id(name)] = keys
                return True
            written = isinstance(parent.ctx, ast.Store) and isinstance(statement, (ast.Assign, ast.AugAssign))
            return written and self._put(keys, statement, statement)
        self.reads[id(name)] = None  # read whole: d.get(k), return d, len(d), k in d, for k in d
        call = self.up.get(parent)
        if isinstance(parent, ast.Attribute) and isinstance(call, ast.Call) and call.func is parent:  # d.update({...})
            return parent.attr in READS or parent.attr == "update" and not call.keywords and all(
                self._dict(arg, statement) for arg in call.args)
        return (isinstance(parent, ast.Return) or isinstance(parent, ast.Call) and name in parent.args
                and self.safe(parent.func) or isinstance(parent, ast.Compare) and name in parent.comparators
                or isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is name)

    def _keys(self, node, statement):
        """The keys a subscript stands for: a constant, or the variable of a loop over constant strings; else None."""
        value, loop = self._const(node), statement
        if isinstance(value, str):
            return (value,)
        while isinstance(node, ast.Name) and loop is not None and not (
                isinstance(loop, (ast.For, ast.AsyncFor)) and node.id in _target_names(loop.target)):
            loop = self.parents[loop]
        if not isinstance(node, ast.Name) or loop is None or any(
                isinstance(n, ast.Name) and n.id == node.id and not isinstance(n.ctx, ast.Load)
                for s in loop.body for n in ast.walk(s)):
            return None  # rebound inside the loop: not only the loop's values
        targets, sources = [loop.target], [loop.iter]
        if isinstance(loop.target, ast.Tuple) and isinstance(loop.iter, ast.Call):  # enumerate(S), zip(S, values)
            targets, sources = loop.target.elts, (loop.iter.args if self._builtin(loop.iter.func, "zip") else [
                None, *loop.iter.args[:1]] if self._builtin(loop.iter.func, "enumerate") else [])
        values = [self._const(s) for t, s in zip(targets, sources) if isinstance(t, ast.Name) and t.id == node.id]
        return tuple(values[0]) if values and values[0] is not None else None

    def _const(self, node):
        """The string or tuple of strings an expression is statically: a literal, a global bound once to one (a list
        only if nothing changes it in place), a constant index or slice of those; else None."""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, (ast.Tuple, ast.List)):
            values = [self._const(element) for element in node.elts]
            return tuple(values) if all(isinstance(v, str) for v in values) else None
        if isinstance(node, ast.Name) and node.id not in self.locals and self.stores[node.id] == 1:
            units = self.table.get(node.id, []) if "*" not in self.table else []
            value = units[0][1].value if len(units) == 1 and isinstance(units[0][1], ast.Assign) else None
            if isinstance(value, (ast.Constant, ast.Tuple)) or (
                    isinstance(value, ast.List) and node.id not in _mutations(self.notebook, self.safe)):
                return self._const(value)
        if isinstance(node, ast.Subscript):  # NAMES[:6], NAMES[0]: bounds that are literals only
            whole, index = self._const(node.value), node.slice
            bounds = [index.lower, index.upper, index.step] if isinstance(index, ast.Slice) else None
            try:
                return whole[slice(*(b and ast.literal_eval(b) for b in bounds)) if bounds else ast.literal_eval(index)]
            except (IndexError, TypeError, ValueError):  # out of range, or not literals
                return None
        return None

    def slice(self, key):
        """(lines of the function, global names read) that the value of `key` depends on."""
        lines, names, seen = set(), set(), set()
        todo = [*self.slots[key], *((s, s) for s in self.control)]
        while todo:
            node, anchor = todo.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            lines.update(_lines(node))
            around = self.parents.get(anchor)  # the loops and branches around it; a try's body decides its handlers
            todo += [(around, around)] + [(s, s) for s in (node.body if isinstance(node, TRY) else [])]
            for sub in (n for h in _header(node) for n in ast.walk(h)):
                if not isinstance(sub, ast.Name) or not isinstance(sub.ctx, ast.Load):
                    continue
                if id(sub) in self.reads:  # d[k] read back: what d[k] depends on
                    keys = self.reads[id(sub)]
                    keys = list(self.slots) if keys is None else keys
                    todo += [slot for k in keys for slot in self.slots.get(k, [])]
                elif sub.id not in self.locals:
                    names.add(sub.id)
                elif sub.id not in self.results:
                    todo += [(b, b if b in self.parents else None) for b in self.binders[sub.id]]
        return lines, names
