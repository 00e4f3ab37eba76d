"""What every part of the analysis shares: the codes, the tables of names, and small helpers on trees."""
import ast
import operator
import re
from dataclasses import dataclass

CODES = ("complex_step", "operator_overloading", "extended_precision", "machine_differentiation",
         "finite_difference", "hidden_call", "out_of_band")
TEXTS = {"complex_step": "usa números complejos ({}): es el método del paso complejo",
         "operator_overloading": "la clase {} redefine la aritmética: números duales o diferenciación automática",
         "extended_precision": "usa precisión extendida ({}): una diferencia con más cifras no es una derivada",
         "machine_differentiation": "deriva con una biblioteca ({}), no con la regla de la cadena",
         "finite_difference": "diferencia finita: resta dos evaluaciones y divide por el paso ({})",
         "hidden_call": "oculta lo que ejecuta ({})"}
DEEP = "código anidado demasiado hondo para analizarlo"
UNPARSED = "celda que no se pudo analizar"
TOO_MUCH = "demasiado código para analizar"

# Qualified names, each covering everything under it ("sympy" covers sympy.diff).
QUALIFIED = {**dict.fromkeys(("cmath", "numpy.emath", "numpy.lib.scimath"), "complex_step"),
             **dict.fromkeys(("decimal", "fractions", "mpmath", "gmpy2", "bigfloat"), "extended_precision"),
             **dict.fromkeys(("jax", "autograd", "torch", "tensorflow", "keras", "sympy", "symengine", "numdifftools",
                              "findiff", "casadi", "pytensor", "theano", "aesara", "mygrad", "tangent", "chainer",
                              "mxnet", "paddle", "scipy.differentiate", "scipy.misc", "scipy.interpolate",
                              "scipy.optimize.approx_fprime", "scipy.optimize.check_grad", "scipy.optimize.curve_fit",
                              "scipy.optimize._numdiff", "scipy.stats.linregress", "scipy.signal.savgol_filter",
                              "scipy.signal.savgol_coeffs", "numpy.gradient", "numpy.polynomial", "numpy.polyder",
                              "numpy.polyfit", "numpy.linalg.lstsq"),
                             "machine_differentiation"),
             # ways to run code that is not in the cells: a string, a file, a module found by a computed name
             "types.new_class": "operator_overloading",  # a class built from a namespace: its arithmetic unseen
             **dict.fromkeys(("importlib", "builtins", "__main__", "sys.modules", "types.FunctionType",
                              "types.CodeType", "pickle.load", "pickle.loads", "marshal.load",
                              "marshal.loads", "timeit", "runpy", "pkgutil", "code", "codeop", "doctest", "pdb", "bdb",
                              "trace", "profile", "cProfile", "zipimport", "imp"), "hidden_call")}
# Attributes that hand out a function's, a frame's or an object's insides: from any of them a cell reaches
# objects it was never given (the sandbox's own, through a bound method's __self__ or a traceback's frames).
INTROSPECTION = {"__self__", "__func__", "__closure__", "__code__", "__globals__", "__defaults__", "__kwdefaults__",
                 "__dict__", "__builtins__", "__traceback__", "__context__", "__cause__", "__wrapped__",
                 "__subclasses__", "__mro__", "__bases__", "__base__", "__reduce__", "__reduce_ex__",
                 "__getattribute__", "__loader__", "__spec__", "__objclass__", "__getstate__", "__setstate__",
                 "tb_frame", "tb_next", "f_back", "f_locals", "f_globals", "f_code", "f_builtins", "f_trace",
                 "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "ag_frame", "ag_code",
                 "ag_await", "user_ns"}
FRAMES = {name for name in INTROSPECTION if not name.startswith("__")}
# Attribute names that mean the same on any object (numpy's dtypes, x.imag, f.__code__).
ATTRIBUTES = {**dict.fromkeys(("complex64", "complex128", "complex256", "complex_", "cdouble", "csingle",
                               "clongdouble", "clongfloat", "cfloat", "complexfloating", "imag", "emath",
                               "scimath"), "complex_step"),
              **dict.fromkeys(("Decimal", "Fraction", "getcontext", "localcontext", "longdouble", "float128",
                               "float96", "longfloat"), "extended_precision"),
              # a dtype chosen from numpy's own tables ("g", "G" by position) hides which one it is
              **dict.fromkeys(("typecodes", "sctypeDict", "sctypes", "typeDict"), "hidden_call"),
              **dict.fromkeys(INTROSPECTION, "hidden_call")}
BUILTINS = {"complex": "complex_step", **dict.fromkeys(("eval", "exec", "compile", "__import__", "breakpoint"),
                                                       "hidden_call")}
DTYPES = {**dict.fromkeys(("complex", "complex64", "complex128", "complex256", "c8", "c16", "c32", "F", "D", "G"),
                          "complex_step"),
          **dict.fromkeys(("longdouble", "float128", "float96", "longfloat", "g", "f16"), "extended_precision")}
# Where a numpy call takes its dtype by position: np.asarray(v, "g"), np.full(n, 0.0, "D"), x.astype("G").
DTYPE_POSITION = {**dict.fromkeys(("array", "asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "zeros",
                                   "ones", "empty", "frombuffer", "fromiter", "identity", "zeros_like", "ones_like",
                                   "empty_like", "float_", "longdouble", "matrix"), 1),
                  **dict.fromkeys(("full", "full_like"), 2), **dict.fromkeys(("astype", "dtype", "view"), 0)}
ARITHMETIC = {f"__{p}{op}__" for op in ("add", "sub", "mul", "truediv", "floordiv", "pow", "matmul", "mod")
              for p in ("", "r", "i")} | {"__neg__", "__pos__", "__array_ufunc__", "__array_function__",
                                          "__array_priority__", "__array_wrap__"}
# Dunders a cell may name: plain data, and protocol methods that only compute on the value they are called on
# (comparisons, conversions, containers, context managers, arithmetic). `__class__` is `type(x)` by another
# name; what reaches further from a class (__mro__, __subclasses__, __dict__, __init__.__globals__) is flagged.
ALLOWED_DUNDERS = ARITHMETIC | {
    "__init__", "__new__", "__name__", "__qualname__", "__doc__", "__module__", "__version__", "__file__",
    "__main__", "__class__", "__debug__", "__annotations__", "__slots__", "__all__",
    "__len__", "__iter__", "__next__", "__enter__", "__exit__", "__getitem__", "__setitem__", "__delitem__",
    "__contains__", "__reversed__", "__repr__", "__str__", "__format__", "__hash__", "__bool__", "__call__",
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__float__", "__int__", "__index__",
    "__complex__", "__abs__", "__round__", "__array__", "__post_init__", "__init_subclass__", "__set_name__", "__missing__", "__length_hint__"}
DUNDER = re.compile(r"__[A-Za-z][A-Za-z0-9_]*?__")
FRAME_WORDS = re.compile(r"\b(?:" + "|".join(sorted(FRAMES)) + r")\b")
NUMBER_BASES = {"ndarray", "Number", "Real", "Complex", "float", "int", "complex", "generic", "floating"}
NAMESPACES, NAMESPACE_WRITES = {"globals", "vars", "locals"}, {"update", "setdefault", "__setitem__", "pop"}
NAMESPACE_READS = {"get", "keys", "__contains__"}  # globals().get("f"), "f" in globals(): read one name, hand out nothing
COPIES = {"dict", "list", "copy", "deepcopy", "array", "asarray", "asfarray", "clone", "OrderedDict"}
MUTATORS = {"append", "extend", "insert", "update", "setdefault", "__setitem__"}
REDUCTIONS = {"diff", "sum", "fsum", "dot", "inner", "matmul"}  # np.diff(values), weighted stencils
FOLDABLE = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
            ast.Pow: operator.pow}
# What acts outside the call path, with what to tell the instructor; "x*" covers every name starting with x.
OUT_OF_BAND = {**dict.fromkeys(("threading", "_thread", "concurrent", "multiprocessing", "asyncio"), "hilos o procesos"),
               **dict.fromkeys(("subprocess", "pty", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.wait*",
                                "os.system", "os.popen", "os.posix_spawn*", "os.spawn*", "os.exec*"),
                               "control de procesos"),
               **dict.fromkeys(("os.write", "os.read", "os.pwrite", "os.writev", "os.sendfile", "os.fdopen",
                                "os.dup", "os.dup2", "os.pipe", "os.open", "os.close", "os.closerange", "fcntl",
                                "select", "selectors", "mmap", "socket"), "descriptores de archivo o sockets"),
               **dict.fromkeys(("signal", "atexit", "sys.settrace", "sys.setprofile", "sys.addaudithook",
                                "sys.excepthook", "sys.breakpointhook", "sys.unraisablehook", "sys.monitoring",
                                "sys.set_asyncgen_hooks", "weakref.finalize", "gc.callbacks", "os.register_at_fork"),
                               "un gancho que se dispara más tarde"),
               **dict.fromkeys(("gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._getframe*",
                                "sys._current_frames", "sys._current_exceptions", "sys.exc_info", "sys.exception",
                                "sys.last_*", "traceback.walk_tb", "traceback.walk_stack", "inspect", "ctypes", "cffi",
                                "faulthandler", "resource"), "introspección")}
# Functions that read or set an attribute named by a string: a computed name can be any attribute.
ATTRIBUTE_FUNCTIONS = {"getattr", "setattr", "delattr", "hasattr"}
NAMED_GETTERS = {"operator.attrgetter", "operator.methodcaller"}
# Builtins that never change their arguments; methods that only read their object (a dict's, an array's).
SAFE_CALLS = {"abs", "all", "any", "bool", "dict", "divmod", "enumerate", "float", "int", "isinstance", "len", "list",
              "max", "min", "pow", "print", "range", "repr", "reversed", "round", "set", "sorted", "str", "sum",
              "tuple", "zip"}
READS = {"get", "keys", "values", "items", "copy", "astype", "tolist", "sum", "mean", "dot", "index", "count"}
# Calls whose result never shares its argument's object (q = dict(p) is a copy; q = p.reshape(3, 3) is p).
FRESH = SAFE_CALLS - {"enumerate", "reversed", "zip"} | {
    "copy", "deepcopy", "array", "frozenset", "complex", "astype", "tolist", "flatten", "item", "mean", "dot",
    "norm", "exp", "log", "sqrt", "tanh", "outer", "concatenate", "stack", "hstack", "vstack", "append",
    "zeros_like", "ones_like", "empty_like", "full_like", "isclose", "allclose", "keys"}
# Methods and functions that change the object they are given in place (a container or an array).
CHANGES = MUTATORS | {"pop", "popitem", "clear", "remove", "add", "discard", "sort", "reverse", "fill", "put",
                      "itemset", "resize", "setflags", "__setattr__", "__delitem__", "__iadd__", "__isub__",
                      "__imul__", "__itruediv__"}
CHANGING_CALLS = {"setattr", "delattr", "setitem", "delitem", "iadd", "isub", "imul", "itruediv", "copyto", "place",
                  "putmask", "fill_diagonal", "shuffle", "at"} | CHANGES
TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))
COMPOUND = (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith, *TRY, ast.ExceptHandler)
BLOCKS = ("body", "orelse", "finalbody", "handlers")
FROZEN = (ast.Constant, ast.Tuple, ast.Load, ast.UnaryOp, ast.BinOp, ast.unaryop, ast.operator)  # (1, 4 / 5), 1e-6
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
BINDERS = (ast.For, ast.AsyncFor, ast.comprehension, ast.Assign, ast.AnnAssign, ast.NamedExpr)
# Calls that compute as an operator does: np.divide(a, b) is a / b, a.__truediv__(b) too, b.__rtruediv__(a) too.
OPERATOR_CALLS = {**dict.fromkeys(("divide", "true_divide", "truediv", "itruediv", "floor_divide", "floordiv",
                                   "__truediv__", "__itruediv__", "__floordiv__"), ast.Div),
                  **dict.fromkeys(("multiply", "mul", "imul", "__mul__", "__imul__"), ast.Mult),
                  **dict.fromkeys(("subtract", "sub", "isub", "__sub__", "__isub__"), ast.Sub),
                  **dict.fromkeys(("add", "iadd", "__add__", "__iadd__"), ast.Add),
                  **dict.fromkeys(("power", "float_power", "pow", "__pow__"), ast.Pow)}
REVERSED_CALLS = {"__rtruediv__": ast.Div, "__rfloordiv__": ast.Div, "__rmul__": ast.Mult, "__rsub__": ast.Sub,
                  "__radd__": ast.Add, "__rpow__": ast.Pow}
MAX_DEPTH = 200  # the analysis recurses along the tree: deeper cells (never honest code) are reported, not read
BUDGET = 2_000_000  # steps of the difference-quotient search per notebook; no honest notebook comes near


@dataclass(frozen=True)
class Finding:
    code: str  # one of CODES
    cell: int  # index of the code cell among the cells passed in
    line: int  # 1-based line in that cell
    text: str  # short Spanish description


class TooMuch(Exception):
    """The analysis of one notebook ran out of its budget: the notebook is reported, not read further."""


class Budget:
    """A count of analysis steps that raises TooMuch past BUDGET (deterministic: a busy machine changes nothing)."""

    def __init__(self, limit=BUDGET):
        self.left = limit

    def spend(self, steps=1):
        self.left -= steps
        if self.left < 0:
            raise TooMuch()


def dotted(node):
    """'np.linalg.norm' for a chain of attributes on a name, else ''."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


def last(node):
    """The last name of a call's function: 'divide' for np.divide, 'astype' for (a + b).astype, 'f' for f."""
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


_wildcards = {}


def matches(name, table):
    """The value for `name` or a module above it in `table` ("x*" keys cover every name starting with x)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):  # one look-up per prefix: a cell may name thousands of attributes
        value = table.get(".".join(parts[:end]))
        if value is not None:
            return value
    if id(table) not in _wildcards:
        _wildcards[id(table)] = (table, [(key[:-1], value) for key, value in table.items() if key.endswith("*")])
    return next((value for prefix, value in _wildcards[id(table)][1] if name.startswith(prefix)), None)


def qualified(node, local, aliases):
    """The qualified names a name or attribute chain may stand for: 'np.gradient' -> ['numpy.gradient']."""
    head, _, tail = dotted(node).partition(".")
    return [] if not head or head in local else [q + "." + tail if tail else q for q in aliases.get(head, ())]


def text(node):
    """A node's source, on one short line."""
    source = " ".join(ast.unparse(node).split())
    return source if len(source) <= 70 else source[:67] + "..."


def number(node, memo=None):
    """The value of an expression of numeric constants only (2 ** -20, (-1) ** 0.5), else None; `memo` keeps
    the values of a tree's nodes so that nested sums are folded once."""
    if memo is not None and id(node) in memo and memo[id(node)][0] is node:
        return memo[id(node)][1]
    value = None
    if isinstance(node, ast.Constant):
        value = node.value if type(node.value) in (int, float, complex) else None
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = number(node.operand, memo)
        value = None if inner is None else -inner if isinstance(node.op, ast.USub) else inner
    elif isinstance(node, ast.BinOp) and type(node.op) in FOLDABLE:
        left, right = number(node.left, memo), number(node.right, memo)
        huge = isinstance(node.op, ast.Pow) and (abs(right or 0) > 64 or abs(left or 0) > 2 ** 64)  # 9 ** 9 ** 9
        if left is not None and right is not None and not huge:
            try:
                value = FOLDABLE[type(node.op)](left, right)
            except (ArithmeticError, ValueError, TypeError):
                value = None
    if memo is not None:
        memo[id(node)] = (node, value)  # the node is kept alive with its value: its id is never reused meanwhile
    return value


def as_operator(node):
    """A call that computes as an operator does (np.divide(a, b), a.__truediv__(b), reduce(operator.sub, [a, b]),
    np.reciprocal(h), np.negative(a)) as that expression; any other node as it is."""
    if not isinstance(node, ast.Call) or node.keywords and not all(k.arg in ("out", "where", "dtype")
                                                                     for k in node.keywords):
        return node
    name, args = last(node.func), node.args
    if any(isinstance(a, ast.Starred) for a in args):
        return node
    method = isinstance(node.func, ast.Attribute) and len(args) == 1 and name.startswith("__")
    if method and name in OPERATOR_CALLS:
        return ast.BinOp(node.func.value, OPERATOR_CALLS[name](), args[0], lineno=node.lineno, col_offset=0)
    if method and name in REVERSED_CALLS:
        return ast.BinOp(args[0], REVERSED_CALLS[name](), node.func.value, lineno=node.lineno, col_offset=0)
    if name in OPERATOR_CALLS and len(args) == 2:
        return ast.BinOp(args[0], OPERATOR_CALLS[name](), args[1], lineno=node.lineno, col_offset=0)
    if name == "reciprocal" and len(args) == 1:
        return ast.BinOp(ast.Constant(1.0), ast.Div(), args[0], lineno=node.lineno, col_offset=0)
    if name == "negative" and len(args) == 1:
        return ast.UnaryOp(ast.USub(), args[0], lineno=node.lineno, col_offset=0)
    if name == "reduce" and len(args) >= 2 and isinstance(args[1], (ast.List, ast.Tuple)) and args[1].elts:
        op = OPERATOR_CALLS.get(last(args[0]))
        if op is not None and not any(isinstance(e, ast.Starred) for e in args[1].elts):
            folded = args[1].elts[0]
            for element in args[1].elts[1:]:
                folded = ast.BinOp(folded, op(), element, lineno=node.lineno, col_offset=0)
            return folded
    return node


def namespace(node, names=frozenset()):
    """Whether a node is globals(), vars(), locals() (a namespace used as a dict), or a name bound to one."""
    if isinstance(node, ast.Name):
        return node.id in names
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NAMESPACES
            and not (node.func.id == "vars" and node.args))


def base(node):
    """The name under attributes, subscripts or a star (x in x.a[k], *x), else None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return getattr(node, "id", None)


def shared(value, functions=None):
    """The names whose object a value may be (or be a view of): p, p[k], p.T, p.reshape(3, 3), np.asarray(p),
    a if c else p, f(p) for a function of the notebook that may return p; none for a copy (dict(p), p.copy()),
    an arithmetic result, or what a function of the notebook computes anew (`functions`: name -> its defs)."""
    names, todo = [], [value]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            todo.append(node.value)
        elif isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.IfExp):
            todo += [node.body, node.orelse]
        elif isinstance(node, ast.NamedExpr):
            todo.append(node.value)
        elif isinstance(node, ast.Call) and last(node.func) not in FRESH and not (
                functions and dotted(node.func) in functions and not any(
                    returns_parameter(f) for f in functions[dotted(node.func)])):
            todo += ([node.func.value] if isinstance(node.func, ast.Attribute) else []) + [
                a for a in node.args if not isinstance(a, ast.Constant)]
    return names


def returns_parameter(function):
    """Whether a function (or lambda) may return one of its parameters, a view of one, or a name that is one;
    cached on the function."""
    if not hasattr(function, "returns_parameter"):
        function.returns_parameter = _returns_parameter(function)
    return function.returns_parameter


def _returns_parameter(function):
    mine = {arg.arg for arg in params(function)}
    nodes = [] if isinstance(function, ast.Lambda) else list(ast.walk(function))
    for _ in range(2):
        mine |= {name for n in nodes for name, value in pairs(n) if set(shared(value)) & mine}
    values = [function.body] if isinstance(function, ast.Lambda) else [
        n.value for n in nodes if isinstance(n, ast.Return) and n.value is not None]
    return any(set(shared(value)) & mine for value in values)


def pairs(node):
    """(name, value) for each name a node binds to the object of the value: q = p, (a, b) = (p, x), for q in p."""
    if not isinstance(node, BINDERS):
        return []
    found = [(node.target, node.iter)] if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) else []
    for target in getattr(node, "targets", []) if isinstance(node, ast.Assign) else []:
        tuples = isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
        found += zip(target.elts, node.value.elts) if tuples else [(target, node.value)]
    if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
        found.append((node.target, node.value))
    return [(name, value) for target, value in found for name in target_names(target)]


# --- scopes ------------------------------------------------------------------------------------------------

def own_nodes(node):
    """A node and those under it, except the insides of nested functions and classes (other scopes)."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        if not isinstance(current, (*DEFINITIONS, ast.Lambda)):
            todo.extend(reversed(list(ast.iter_child_nodes(current))))


def body(function):
    """The statements (or the expression) of a function or lambda, as a list."""
    return function.body if isinstance(function.body, list) else [function.body]


def params(function):
    """Every parameter of a function or lambda."""
    a = function.args
    return [arg for arg in [*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg] if arg]


def local_names(function):
    """The names a function binds for itself, not `global`s nor imports (modules keep their meaning); cached."""
    if not hasattr(function, "local_names"):
        names, declared = {arg.arg for arg in params(function)}, set()
        for sub in (n for statement in body(function) for n in own_nodes(statement)):
            if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                names.add(sub.id)
            elif isinstance(sub, DEFINITIONS):
                names.add(sub.name)
            elif isinstance(sub, (ast.Global, ast.Nonlocal)):
                declared.update(sub.names)
        function.local_names = frozenset(names - declared)
    return function.local_names


def scoped(node, local=frozenset(), chain=()):
    """Every node under `node`, with the names local there and the functions around it; defaults run outside."""
    todo = [(node, local, chain)]
    while todo:
        node, local, chain = todo.pop()
        yield node, local, chain
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            outside = [*node.args.defaults, *node.args.kw_defaults, *getattr(node, "decorator_list", []),
                       getattr(node, "returns", None), *(arg.annotation for arg in params(node))]
            inside = local | local_names(node), chain + (node,)
            todo += [(child, *inside) for child in reversed(body(node))]
            todo += [(child, local, chain) for child in reversed([c for c in outside if c is not None])]
            continue
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            local = local | {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        todo += [(child, local, chain) for child in reversed(list(ast.iter_child_nodes(node)))]


def target_names(target):
    """The plain names an assignment target binds."""
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def size(tree):
    """(how deeply a tree nests, how many nodes it has), counted without recursion."""
    deepest, count, todo = 0, 0, [(tree, 1)]
    while todo:
        node, level = todo.pop()
        deepest, count = max(deepest, level), count + 1
        todo.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest, count
