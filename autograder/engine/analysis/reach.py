"""Which code a function reaches: every way the cells bind, rebind or change in place each global name, and
the bindings of the names the reached code reads, followed from the roots."""
import ast
import importlib
from collections import defaultdict
from functools import cached_property, lru_cache

from .common import (CHANGES, CHANGING_CALLS, DEFINITIONS, NAMESPACE_READS, NAMESPACE_WRITES, NAMESPACES, TRY, base,
                     dotted, last, local_names, namespace, pairs, params, scoped, shared, target_names)

# Modules whose public names a star import is resolved to, by importing them here: the standard library's
# plain modules and the course's own dependencies (importing runs a module's code: never a name a student
# chose). Any other star import may bind any name.
STAR_MODULES = {"math", "cmath", "random", "statistics", "decimal", "fractions", "itertools", "functools",
                "operator", "collections", "os", "sys", "time", "json", "re", "string", "typing", "copy", "numpy",
                "numpy.linalg", "numpy.random", "scipy", "scipy.optimize", "scipy.special", "scipy.stats",
                "scipy.linalg", "scipy.interpolate", "sympy", "sympy.abc", "mpmath", "matplotlib.pyplot", "pylab"}


@lru_cache(maxsize=None)
def star_names(module):
    """The names `from module import *` binds; None when not known (it may bind any name)."""
    if module not in STAR_MODULES:
        return None
    try:
        imported = importlib.import_module(module)
    except Exception:  # not installed: the sandbox, on this same interpreter, fails at that line too
        return frozenset()
    names = getattr(imported, "__all__", None)
    if names is None:  # Python's rule: __all__, else every name without a leading underscore
        names = [name for name in vars(imported) if not name.startswith("_")]
    return frozenset(map(str, names))


def top_statements(body):
    """The statements a cell runs at its top level, inside if/for/while/try/with blocks too."""
    for statement in body:
        yield statement
        if not isinstance(statement, DEFINITIONS):
            for block in [getattr(statement, f, []) for f in ("body", "orelse", "finalbody")] + [
                    h.body for h in getattr(statement, "handlers", [])]:
                yield from top_statements(block)


def is_main(node):
    """Whether a node is the notebook's own module: __main__, or sys.modules[...]."""
    inner = node.value if isinstance(node, ast.Subscript) else node
    return dotted(node) == "__main__" or dotted(inner) == "sys.modules"


def escaping(node):
    """The uses of globals/vars/locals under a node other than reading names or writing one name given literally
    (globals()["f"], globals()[name], globals().get("f"), "f" in globals()): a namespace handed out can rebind
    any name (a computed read is flagged where it is, but binds nothing)."""
    literal, called, candidates = set(), set(), []
    for parent in ast.walk(node):
        if namespace(parent) or isinstance(parent, ast.Name) and parent.id in NAMESPACES and isinstance(
                parent.ctx, ast.Load):
            candidates.append(parent)
        if isinstance(parent, ast.Subscript) and namespace(parent.value) and (
                isinstance(parent.slice, ast.Constant) or isinstance(parent.ctx, ast.Load)):
            literal.add(id(parent.value))
        elif isinstance(parent, ast.Call):
            called.add(id(parent.func))
            attribute = parent.func if isinstance(parent.func, ast.Attribute) else None
            if attribute is not None and namespace(attribute.value) and attribute.attr in NAMESPACE_READS | \
                    NAMESPACE_WRITES and all(isinstance(a, (ast.Constant, ast.Dict)) for a in parent.args[:1]):
                literal.add(id(attribute.value))  # writes: bound by name below ("*" when a key is computed)
        elif isinstance(parent, ast.Compare) and all(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops):
            literal.update(id(c) for c in parent.comparators if namespace(c))
    return [n for n in candidates if id(n) not in (called if isinstance(n, ast.Name) else literal)]


def dynamic_binds(node, names=frozenset()):
    """Names bound without an assignment: globals()["f"] = ..., ns["f"] = ... for ns = globals(),
    setattr(m, "f", ...); "*" when computed, exec'd, or when a namespace is handed out."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript) and not isinstance(sub.ctx, ast.Load) and namespace(sub.value, names):
            yield str(sub.slice.value) if isinstance(sub.slice, ast.Constant) else "*"
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and namespace(sub.func.value, names):
            if sub.func.attr in NAMESPACE_WRITES:
                yield from (k.arg or "*" for k in sub.keywords)
                keys = [k for a in sub.args[:1] for k in (a.keys if isinstance(a, ast.Dict) else [a])]
                yield from (str(k.value) if isinstance(k, ast.Constant) else "*" for k in keys)
            elif sub.func.attr not in NAMESPACE_READS and isinstance(sub.func.value, ast.Name):
                yield "*"  # ns.clear(), ns.__ior__(...): any name
        elif isinstance(sub, ast.Call) and dotted(sub.func) == "setattr" and len(sub.args) > 1:
            if dotted(sub.args[0]) not in ("self", "cls"):
                yield str(sub.args[1].value) if isinstance(sub.args[1], ast.Constant) else "*"
        elif isinstance(sub, ast.Call) and dotted(sub.func) == "exec":
            yield "*"
        elif isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and is_main(sub.value):
            yield sub.attr
    if escaping(node):
        yield "*"


class Names:
    """What the cells say about names as a whole: imports (star imports resolved), modules the notebook
    writes, names bound to a namespace, and which parameters each function changes in place."""

    def __init__(self, trees):
        self.trees, self.walked = trees, {}
        self.nodes = [node for tree in trees for node in ast.walk(tree)]
        self.written = written_modules(self.nodes)
        self.aliases = imported(self.nodes, self.written)
        self.modules = {name for node in self.nodes if isinstance(node, (ast.Import, ast.ImportFrom))
                        for a in node.names for name in [a.asname or a.name.split(".")[0]]}
        self.functions = defaultdict(list)  # name -> its defs (and lambdas), to tell what a call returns
        for node in self.nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name].append(node)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                for target in node.targets:
                    self.functions[getattr(target, "id", "")].append(node.value)
        tops = [statement for tree in trees for statement in top_statements(tree.body)]
        self.namespaces = frozenset(name for s in tops for name, value in pairs(s) if namespace(value))
        # names of the top level that are one object (q = p, v = a.reshape(...)): changing one changes the other
        self.groups = {}
        for s in tops:
            for name, value in pairs(s):
                for other in set(shared(value, self.functions)) - self.modules:
                    self._join(name, other)

    def _join(self, a, b):
        ra, rb = self._root(a), self._root(b)
        if ra != rb:
            self.groups[ra] = rb

    def _root(self, name):
        while name in self.groups:
            name = self.groups[name]
        return name

    @cached_property
    def members(self):
        """Each name of a group of one object -> every name of that group."""
        groups = defaultdict(set)
        for name in list(self.groups) + list(self.groups.values()):
            groups[self._root(name)].add(name)
        return {name: frozenset(group) for group in groups.values() for name in group}

    @cached_property
    def changed(self):
        """Function name -> the positions and names of the parameters it may change in place."""
        functions = defaultdict(list)
        for node in self.nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions[node.name].append(node)
        changed, before = {}, None
        while changed != before:  # a function that hands a parameter to one that changes it changes it too
            before = dict(changed)
            for name, defs in functions.items():
                found = set()
                for function in defs:
                    mine = changes(function, changed, self)
                    names = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
                    found |= {i for i, p in enumerate(names) if p in mine}
                    found |= {a.arg for a in params(function) if a.arg in mine}
                changed[name] = found
        return changed


def changes(unit, changed, names):
    """The names (a function's parameters, or globals) whose object a unit may change in place: x[k] = v,
    x.a = v, x.append(v), setattr(x, ...), np.copyto(x, v), f(x) for an f that changes that parameter; through
    local names that are the same object (v = x.reshape(3, 3); v[0] = 1)."""
    if id(unit) not in names.walked:  # what does not depend on other functions, from one walk per unit
        names.walked[id(unit)] = (unit, *_changes(unit, names.functions))
    _, direct, sharing, calls = names.walked[id(unit)]
    direct = set(direct)
    for callee, args, keywords in calls:
        positions = changed.get(callee, ())
        direct.update(name for i, name in args if i in positions)
        direct.update(name for key, name in keywords if key in positions)
    found, todo = set(), [name for name in direct if name]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += sharing.get(name, ())
    return found


def _changes(unit, functions):
    """(names changed in place directly, local name -> names it may be, calls that pass names on) of a unit."""
    direct, sharing, calls = set(), defaultdict(set), []
    local = local_names(unit) if isinstance(unit, (ast.FunctionDef, ast.AsyncFunctionDef)) else frozenset()
    for node in ast.walk(unit):
        for name, value in pairs(node):
            if name in local:
                sharing[name].update(shared(value, functions))
        if isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            direct.add(base(node))
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in CHANGES:
                direct.add(base(node.func.value))
            if last(node.func) in CHANGING_CALLS and node.args:
                direct.add(base(node.args[0]))
            direct.update(base(k.value) for k in node.keywords if k.arg == "out")
            if node.args or node.keywords:
                calls.append((dotted(node.func), [(i, base(a)) for i, a in enumerate(node.args)],
                              [(k.arg, base(k.value)) for k in node.keywords]))
    return direct, sharing, calls


def imported(nodes, written=frozenset()):
    """Each name an import binds anywhere in the cells -> the qualified names it may stand for."""
    aliases = defaultdict(set)
    for node in nodes:
        for a in node.names if isinstance(node, (ast.Import, ast.ImportFrom)) else []:
            if isinstance(node, ast.Import):
                aliases[a.asname or a.name.split(".")[0]].add(a.name if a.asname else a.name.split(".")[0])
            elif node.module and not node.level and a.name == "*":
                names = None if node.module.split(".")[0] in written else star_names(node.module)
                for name in names or ():
                    aliases[name].add(f"{node.module}.{name}")
            elif node.module and not node.level:
                aliases[a.asname or a.name].add(f"{node.module}.{a.name}")
    return aliases


def written_modules(nodes):
    """Modules whose file a string names ("trampa.py", "pkg/__init__.py"): importing them runs code not in the cells."""
    files = [n.value.replace("\\", "/").split("/") for n in nodes
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.endswith(".py")]
    return {part[:-3] if part.endswith(".py") else part for parts in files for part in (parts[0], parts[-1])}


def bindings(tree, names):
    """(name, unit) for each way a cell binds a global name or changes its object in place ("*": any name);
    the unit is what runs for it."""
    def changed(unit, local=frozenset()):
        found = changes(unit, names.changed, names) - local - names.modules
        return {member for name in found for member in names.members.get(name, {name})} - names.modules

    for statement in top_statements(tree.body):
        if isinstance(statement, DEFINITIONS):
            yield statement.name, statement  # `global f` inside: the whole function may rebind f
            declared = [n for sub in ast.walk(statement) if isinstance(sub, ast.Global) for n in sub.names]
            local = local_names(statement) if not isinstance(statement, ast.ClassDef) else {statement.name}
            yield from ((name, statement) for name in {*declared, *dynamic_binds(statement, names.namespaces),
                                                        *changed(statement, local)})
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for a in statement.names:
                module = statement.module if isinstance(statement, ast.ImportFrom) and not statement.level else None
                if a.name != "*":
                    yield a.asname or a.name.split(".")[0], statement
                else:  # the module's public names, when known; else any name
                    star = None if not module or module.split(".")[0] in names.written else star_names(module)
                    yield from ((name, statement) for name in (["*"] if star is None else star))
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            yield from ((name, statement.iter) for name in {*target_names(statement.target), *changed(statement.iter)})
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                bound = target_names(item.optional_vars or ast.Pass())
                yield from ((n, item.context_expr) for n in {*bound, *changed(item.context_expr)})
        elif isinstance(statement, (ast.If, ast.While)):  # the test runs too: if fill(table): ...
            bound = {name for n in ast.walk(statement.test) if isinstance(n, ast.NamedExpr) for name in
                     target_names(n.target)}
            yield from ((n, statement.test) for n in {*bound, *changed(statement.test),
                                                       *dynamic_binds(statement.test, names.namespaces)})
        elif not isinstance(statement, TRY):
            targets = [n.target for n in ast.walk(statement) if isinstance(n, ast.NamedExpr)]
            targets += getattr(statement, "targets", [getattr(statement, "target", ast.Pass())])
            bound = {name for target in targets for name in target_names(target)}
            yield from ((name, statement) for name in bound | set(dynamic_binds(statement, names.namespaces))
                        | changed(statement))


def free_names(unit, names=frozenset()):
    """The global names a unit reads: every name not local to a function around it (globals()["f"] reads f)."""
    found = set()
    for sub, local, _ in scoped(unit):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in local:
            found.add(sub.id)
        elif isinstance(sub, ast.Subscript) and namespace(sub.value, names) and isinstance(sub.slice, ast.Constant):
            found.add(str(sub.slice.value))
        elif (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and namespace(sub.func.value, names)
              and sub.func.attr == "get" and sub.args and isinstance(sub.args[0], ast.Constant)):
            found.add(str(sub.args[0].value))
    return found


def table(parsed, names):
    """Each global name -> (cell, unit, locked) of every way the cells bind it ("*": any name)."""
    found = defaultdict(list)
    for index, tree, locked in parsed:
        for name, unit in bindings(tree, names):
            found[name].append((index, unit, locked))
    return found


def reach(table, roots, names=frozenset()):
    """(cell, unit, locked) of each binding reachable from the roots: all of a name's (the run picks the live one)."""
    units, seen, done, todo = [], set(), set(), [*roots, "*"]  # "*": what may bind any name
    while todo:
        name = todo.pop()
        for index, unit, locked in [] if name in done else table.get(name, ()):
            if id(unit) not in seen:
                seen.add(id(unit))
                units.append((index, unit, locked))
                todo.extend(free_names(unit, names))
        done.add(name)
    return units
