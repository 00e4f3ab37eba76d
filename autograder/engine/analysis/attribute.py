"""Which keys of the dict a function returns each finding can reach: a derivative derived by hand keeps its
points next to one that is not."""
import ast
from collections import Counter, defaultdict
from functools import cached_property, lru_cache

from .common import (BLOCKS, COMPOUND, FROZEN, READS, SAFE_CALLS, TRY, base, dotted, local_names, own_nodes,
                     pairs, params, shared, target_names)
from .derivation import notebook_of
from .parse import source_of
from .reach import reach
from .review import out_of_band

MAX_FINDINGS = 200  # more findings than this in one notebook: every finding concerns every key


def attribute(cells, root, findings):
    """{key: findings that can reach that key's value} for the dict the function `root` returns, or None
    when the keys cannot be told apart statically (then every finding concerns every key)."""
    source = source_of(cells)
    notebook = notebook_of(source)
    parsed, unknown = source.parsed, None if findings else {}  # no findings: nothing to attribute
    if len(findings) > MAX_FINDINGS:
        return None
    trees, table = {index: tree for index, tree, _ in parsed}, notebook.table
    reached = lru_cache(maxsize=None)(lambda names: reach(table, names, notebook.names.namespaces))
    defs = [d for d in table.get(root, []) if not d[2]]  # the teacher's code may wrap root and put it back
    # plain defs at the top of one cell only (the last one is the live one): any other binding may replace it
    if not defs or any(not isinstance(unit, ast.FunctionDef) or unit.decorator_list or index != defs[0][0]
                       or all(unit is not s for s in trees[index].body) for index, unit, _ in defs):
        return unknown
    cell, function, _ = max(defs, key=lambda d: d[1].lineno)
    try:
        slices = _Slices(function, table, list(trees.values()), notebook.names.functions)
    except _Unknown:
        return unknown

    def concerns(finding, lines, units):  # on a line of root the key depends on, or in code the key reaches
        return finding.cell == cell and finding.line in lines or any(
            finding.cell == i and _lines(unit).start <= finding.line <= unit.end_lineno for i, unit, _ in units)
    if not all(concerns(f, (), reached(frozenset([root]))) for f in findings):
        return None  # not in what calling root runs: found through some other way of running code
    # code that acts out of band (threads, descriptors, frames) may forge any value
    if findings and any(next(out_of_band(unit, notebook), None)
                        for _, unit, locked in reached(frozenset([root])) if not locked):
        return None
    attributed = {}
    for key in slices.slots:
        lines, names = slices.slice(key)
        units = reached(frozenset(names))
        # state kept outside the function (data, classes, `global`) can carry what any other key computed
        kept = any(_stateful(unit) for _, unit, _ in units)
        attributed[key] = [f for f in findings if kept or concerns(f, lines, units)]
    return attributed



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


def _mutations(nodes, safe):
    """Names whose object the nodes may change in place: x[k] = v, x.a = v, x.sort(), f(x) for an f that may write."""
    for node in nodes:
        if isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            yield base(node)
        elif isinstance(node, ast.Call):
            method = isinstance(node.func, ast.Attribute) and node.func.attr not in READS
            yield base(node.func.value) if method else None
            yield from [] if safe(node.func) else map(base, [*node.args, *(k.value for k in node.keywords)])
            yield from (base(k.value) for k in node.keywords if k.arg == "out")  # np.multiply(a, b, out=res)


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

    def __init__(self, function, table, trees, returning=None):
        self.table, self.slots, self.reads, self.results, self.known = table, defaultdict(list), {}, set(), {}
        self.up = {child: node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
        own = [n for statement in function.body for n in own_nodes(statement)]
        if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Match)) for n in own):
            raise _Unknown
        self.parents = {n: None if self.up[n] is function else self.up[n]
                        for n in own if isinstance(n, (ast.stmt, ast.ExceptHandler))}
        named = {s: {a.asname or a.name.split(".")[0] for a in getattr(s, "names", []) if isinstance(a, ast.alias)}
                 | ({s.name} if isinstance(getattr(s, "name", None), str) else set()) for s in self.parents}
        declared = {name for n in own if isinstance(n, (ast.Global, ast.Nonlocal)) for name in n.names}
        self.locals = (set(local_names(function)) | set().union(*named.values())) - declared
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
                     for name in named[s] | {n for t in getattr(s, "targets", []) for n in target_names(t)}}
        for _ in range(2):
            for s, nodes in walked.items():
                binds[s] |= set().union(*(binds[functions[n.id]] for n in nodes if isinstance(n, ast.Name)
                                          and isinstance(n.ctx, ast.Load) and n.id in functions))
        self.binders = defaultdict(list)
        for s, names in binds.items():
            for name in names:
                self.binders[name].append(s)
        # q = p, v = p.reshape(3, 3): one object, so changing one in place changes the other; as groups
        group = {}

        def root(name):
            while group.get(name, name) != name:
                name = group[name]
            return name
        for name, other in ((n, b) for s in self.parents for n, value in pairs(s) for b in shared(value, returning)
                            if b in self.locals):
            if root(name) != root(other):
                group[root(name)] = root(other)
        members = defaultdict(list)
        for name in {*group, *group.values()}:
            members[root(name)].append(name)
        for names in members.values():
            together = list({id(b): b for name in names for b in self.binders[name]}.values())
            for name in names:
                self.binders[name] = together
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
        if self.results - self.locals or self.results & {arg.arg for arg in params(function)} or any(
                isinstance(n, ast.Name) and n.id in self.results and (id(n) not in own_ids or not self._use(n))
                for n in ast.walk(function)):
            raise _Unknown  # a parameter, a global, or a dict used in a way not followed here
        # an early return, break or continue decides which writes run: the tests around it concern every key
        self.control = [self.parents[s] for s in self.parents if isinstance(s, (ast.Return, ast.Break, ast.Continue))]

    def safe(self, func):
        """Whether a call leaves its arguments as they were: a builtin that only reads, or a function of the
        notebook that changes no parameter in place (nor hands one to a call that may)."""
        name = dotted(func)
        if name not in self.known:
            units = [] if name in self.locals else self.table.get(name, [])
            self.known[name] = True  # a recursive call keeps what the rest of the function keeps
            self.known[name] = all(locked or isinstance(u, ast.FunctionDef) and self._keeps(u) for _, u, locked in units
                                   ) if units else name in SAFE_CALLS and name not in self.locals
        return self.known[name]

    def _keeps(self, function):
        """Whether a function changes none of its parameters in place, nor their aliases (q = p, q = p[k])."""
        nodes, mine = list(ast.walk(function)), {arg.arg for arg in params(function)}
        for _ in range(2):
            mine |= {name for n in nodes for name, value in pairs(n) if set(shared(value)) & mine}
        local = local_names(function)  # a call to a name of its own (a lambda, a parameter) may do anything
        return not mine & set(_mutations(nodes, lambda func: dotted(func) not in local and self.safe(func)))

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
                isinstance(loop, (ast.For, ast.AsyncFor)) and node.id in target_names(loop.target)):
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
                    isinstance(value, ast.List) and node.id not in self.changed):
                return self._const(value)
        if isinstance(node, ast.Subscript):  # NAMES[:6], NAMES[0]: bounds that are literals only
            whole, index = self._const(node.value), node.slice
            bounds = [index.lower, index.upper, index.step] if isinstance(index, ast.Slice) else None
            try:
                return whole[slice(*(b and ast.literal_eval(b) for b in bounds)) if bounds else ast.literal_eval(index)]
            except (IndexError, TypeError, ValueError):  # out of range, or not literals
                return None
        return None

    @cached_property
    def changed(self):
        """The names the notebook may change in place anywhere."""
        return set(_mutations(self.notebook, self.safe))

    def slice(self, key):
        """(lines of the function, global names read) that the value of `key` depends on."""
        lines, names, seen, followed = set(), set(), set(), set()
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
                elif sub.id not in self.results and sub.id not in followed:  # a name's binders, once
                    followed.add(sub.id)
                    todo += [(b, b if b in self.parents else None) for b in self.binders[sub.id]]
        return lines, names
