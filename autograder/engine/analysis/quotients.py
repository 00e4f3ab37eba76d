"""Difference quotients: whether a division (or a product by a reciprocal) divides a difference of two alike
evaluations by the step they differ by, seen through the names each function binds."""
import ast
import builtins
from collections import defaultdict
from functools import cached_property
from itertools import combinations

from .common import COPIES, FOLDABLE, REDUCTIONS, Budget, as_operator, body, dotted, last, number, own_nodes, params
from .reach import Names, table


def tiny(value):
    """Whether a constant is step-sized: a number (or a numeric string, as in Decimal("1e-30")) under 0.05."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    return type(value) in (int, float, complex) and 0 < abs(value) < 0.05


def is_point(node):
    """Whether an expression names a value that can be shifted: p, p[k], self.theta."""
    return isinstance(node, (ast.Name, ast.Subscript, ast.Attribute))


def copied(value):
    """The expression a binding copies (dict(p), p.copy(), np.array(p), {**p}, {k: ... for k in p.items()}), or None."""
    if isinstance(value, ast.Call) and last(value.func) in COPIES:
        return value.args[0] if value.args else getattr(value.func, "value", None)
    if isinstance(value, ast.Dict) and None in value.keys:
        return value.values[value.keys.index(None)]
    if isinstance(value, (ast.DictComp, ast.ListComp, ast.GeneratorExp)):
        source = value.generators[0].iter
        return source.func.value if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) else source
    return None


def signed_terms(node, sign=1):
    """A sum's terms with their signs, constant coefficients dropped: -L(2h) + 8 * L(h) -> [(-1, L(2h)), (1, L(h))];
    np.subtract(a, b) and a.__sub__(b) are a - b."""
    node = as_operator(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        right = -sign if isinstance(node.op, ast.Sub) else sign
        return signed_terms(node.left, sign) + signed_terms(node.right, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return signed_terms(node.operand, -sign if isinstance(node.op, ast.USub) else sign)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for constant, rest in ((node.left, node.right), (node.right, node.left)):
            if type(number(constant)) in (int, float):
                return signed_terms(rest, sign if number(constant) >= 0 else -sign)
    return [(sign, node)]


class Scope:
    """What each name of a function (or of the notebook's top level) is bound to, and what is written into it.
    What an expression depends on through those bindings is folded once per name (see `fold`)."""

    def __init__(self, statements, notebook, parent=None, function=None):
        self.notebook, self.parent = notebook, parent
        self.values, self.writes, self.local = defaultdict(list), [], set()
        self.folds, self.folded, self.shifted, self.reads_of = defaultdict(dict), defaultdict(dict), {}, {}
        self.resolved = {}
        if function is not None:
            a = function.args
            self.local |= {arg.arg for arg in params(function)}
            positional = [*a.posonlyargs, *a.args]
            for arg, default in [*zip(positional[len(positional) - len(a.defaults):], a.defaults),
                                 *zip(a.kwonlyargs, a.kw_defaults)]:
                self.values[arg.arg] += [default] if default is not None else []
        for node in (n for statement in statements for n in own_nodes(statement)):
            self._collect(node)
        self.writes_of = defaultdict(list)
        for write in self.writes:
            self.writes_of[write[0]].append(write)

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
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "append", "extend", "insert", "update", "setdefault", "__setitem__"):
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

    # --- what an expression depends on, folded once per name -------------------------------------------------

    def part(self, sub, kind):
        """What one node contributes to a fold: its name ("names"), a step-sized constant ("tiny"), a value that
        is no step ("value"), or the steps it shifts by ("steps")."""
        if kind == "names":
            return {sub.id} if isinstance(sub, ast.Name) else ()
        if kind == "tiny":
            value = sub.value if isinstance(sub, ast.Constant) else number(sub, self.notebook.numbers) if isinstance(
                sub, ast.BinOp) else None
            return {"#tiny"} if tiny(value) or isinstance(sub, ast.Attribute) and sub.attr in ("eps", "epsilon") else ()
        if kind == "value":  # a parameter, an element, a free variable: a value, not a step
            unknown = isinstance(sub, ast.Name) and not self.bound(sub.id) and sub.id not in self.notebook.aliases
            return {"#value"} if isinstance(sub, ast.Subscript) or unknown and not hasattr(builtins, sub.id) else ()
        # kind == "steps": the step-sized shifts among the sources: + h, shifted copies, steps given to shifters
        sub = as_operator(sub) if isinstance(sub, ast.Call) else sub
        if isinstance(sub, ast.BinOp) and isinstance(sub.op, (ast.Add, ast.Sub)):
            candidates = [sub.left, sub.right]
        elif isinstance(sub, ast.Name):
            candidates = self.owner(sub.id).shifts(sub.id)
        elif isinstance(sub, ast.Call):
            shifting = self.notebook.steps_of.get(dotted(sub.func), ())
            candidates = [arg for i, arg in enumerate(sub.args) if i in shifting]
        else:
            candidates = []
        return set().union(*(self.atoms(c) for c in candidates if self.is_tiny(c)))

    def fold(self, node, kind):
        """The union of what every node of an expression, and of the bindings of the names in it, contributes
        (kept per node: a node and its value stay together, so its id is never another's meanwhile)."""
        memo = self.folded[kind]
        if id(node) in memo and memo[id(node)][0] is node:
            return memo[id(node)][1]
        found = frozenset(self._fold(node, kind))
        memo[id(node)] = (node, found)
        return found

    def _fold(self, node, kind):
        found = set()
        for sub in ast.walk(node):
            self.notebook.budget.spend()
            found.update(self.part(sub, kind))
            if isinstance(sub, ast.Name):
                found |= self.fold_name(sub.id, kind)
        return found

    def fold_name(self, root, kind):
        """What the bindings of a name contribute, through the names they read in turn; each name once, its
        cycles (x = x + 1) as one (Tarjan's strongly connected components, without recursion)."""
        memo = self.folds[kind]
        if root in memo:
            return memo[root]
        index, low, stack, on, counter = {root: 0}, {root: 0}, [root], {root}, 1
        work = [(root, iter(self._reads(root)))]
        while work:
            name, successors = work[-1]
            for successor in successors:
                if successor in memo:
                    continue
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on.add(successor)
                    work.append((successor, iter(self._reads(successor))))
                    break
                if successor in on:
                    low[name] = min(low[name], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[name])
                if low[name] == index[name]:
                    members = set()
                    while name not in members:
                        members.add(stack.pop())
                    on -= members
                    found = set()
                    for member in members:
                        for value in self.bound(member):
                            for sub in ast.walk(value):
                                self.notebook.budget.spend()
                                found.update(self.part(sub, kind))
                        found.update(*(memo[s] for s in self._reads(member) if s not in members))
                    self.notebook.budget.spend(len(found))
                    frozen = frozenset(found)
                    for member in members:
                        memo[member] = frozen
        return memo[root]

    def _reads(self, name):
        """The names the bindings of a name read."""
        if name not in self.reads_of:
            self.reads_of[name] = list(dict.fromkeys(n.id for value in self.bound(name) for n in ast.walk(value)
                                                     if isinstance(n, ast.Name)))
        return self.reads_of[name]

    def atoms(self, node):
        """The names an expression depends on, and "#tiny" when a step-sized constant is among its sources."""
        return self.fold(node, "names") | ({"#tiny"} if self.is_tiny(node) else set())

    def is_tiny(self, node):
        """Whether a step-sized constant is among an expression's sources."""
        return bool(self.fold(node, "tiny"))

    def is_step(self, node):
        """Whether an expression is made of step-sized constants alone: h, 2 * h, -h, 1 + 1e-8, Decimal("1e-30")."""
        return not self.fold(node, "value") and self.is_tiny(node)

    def inner_steps(self, node):
        """The step-sized shifts among the sources: + h, shifted copies, steps given to shifting functions."""
        return self.fold(node, "steps")

    # --- shifts and differences -----------------------------------------------------------------------------

    def shifts(self, name=None):
        """The steps a name (any, when None) is shifted by in place: p[k] += h, q[k] = p[k] - h, x[i] = old + h."""
        if name in self.shifted:
            return self.shifted[name]
        steps = []
        for target, key, value, op in self.writes if name is None else self.writes_of.get(name, ()):
            if isinstance(op, (ast.Add, ast.Sub)) or op and self.is_tiny(value):
                steps.append(value)
            elif op is None and isinstance(value, ast.BinOp) and type(value.op) in FOLDABLE:
                start = self.unalias(value.left)
                same_key = isinstance(start, ast.Subscript) and key and self.notebook.dump(start.slice) == self.notebook.dump(key)
                if (same_key and isinstance(value.op, (ast.Add, ast.Sub))) or self.is_tiny(value.right):
                    steps.append(value.right)
        self.shifted[name] = steps
        return steps

    @cached_property
    def shifted_atoms(self):
        """The atoms of every step this scope shifts anything by."""
        return set().union(*map(self.atoms, self.shifts()))

    def unalias(self, node, depth=0):
        """The expression a name stands for when it is bound once (`base = loss(params)`)."""
        values = self.bound(node.id) if isinstance(node, ast.Name) else []
        return self.unalias(values[0], depth + 1) if len(values) == 1 and depth < 4 else node

    def base(self, node):
        """What a shifted value starts from, seen through copies."""
        values = self.bound(node.id) if isinstance(node, ast.Name) else []
        return self.notebook.dump(copied(values[0]) if values and copied(values[0]) is not None else node)

    def resolve(self, node):
        """(what an argument shifts, by what): p + h, or a copy of p with [k] += h, is (p, {h}); 2*h is a step."""
        if id(node) not in self.resolved or self.resolved[id(node)][0] is not node:
            self.resolved[id(node)] = (node, self._resolve(node))
        return self.resolved[id(node)][1]

    def _resolve(self, node):
        node = as_operator(node)
        if isinstance(node, ast.BinOp) and type(node.op) in FOLDABLE and not isinstance(node.op, ast.Pow):
            commutes, scaled = isinstance(node.op, (ast.Add, ast.Mult)), isinstance(node.op, (ast.Mult, ast.Div))
            for start, step in ((node.left, node.right), (node.right, node.left))[:2 if commutes else 1]:
                if self.is_step(step) and not self.is_step(start) and (is_point(start) or not scaled):
                    return self.base(start), self.atoms(step)
            if not scaled and is_point(node.left):
                return self.base(node.left), self.atoms(node.right)
        if isinstance(node, ast.Name):
            values, shifts = self.bound(node.id), self.owner(node.id).shifts(node.id)
            steps = set().union(*map(self.atoms, shifts))
            if values and copied(values[0]) is not None:
                return self.base(copied(values[0])), steps | self.inner_steps(values[0])
            if len(values) == 1 and isinstance(values[0], ast.BinOp) and not shifts:
                return self.resolve(values[0])
            if steps:
                return self.notebook.dump(node), steps
        return ("step", self.atoms(node)) if self.is_step(node) else (self.notebook.dump(node), set())

    def differ(self, a, b):
        """The steps two alike expressions differ by (empty when equal); None if they are not one shifted expression."""
        self.notebook.budget.spend()
        if self.notebook.dump(a) == self.notebook.dump(b):
            return set()
        if isinstance(a, ast.expr) and isinstance(b, ast.expr):
            (base_a, steps_a), (base_b, steps_b) = self.resolve(a), self.resolve(b)
            if base_a == base_b and (steps_a or steps_b):
                return steps_a | steps_b
        if type(a) is not type(b):
            return None
        if isinstance(a, ast.Subscript) and self.notebook.dump(a.value) == self.notebook.dump(b.value):
            return self.inner_steps(a.value)  # slices of one array of evaluations: L[:9] - L[9:]
        step_args = self.notebook.steps_of.get(dotted(a.func), ()) if isinstance(a, ast.Call) else ()
        found = set()
        for field, x in ast.iter_fields(a):
            y = getattr(b, field)
            if isinstance(x, list) and len(x) != len(y):
                return None
            for i, (u, v) in enumerate(zip(x, y) if isinstance(x, list) else [(x, y)]):
                if field == "args" and i in step_args:  # L_at(name, 2 * h) vs L_at(name, -h): the args are steps
                    steps = self.atoms(u) | self.atoms(v) if self.notebook.dump(u) != self.notebook.dump(v) else set()
                elif isinstance(u, ast.AST) and isinstance(v, ast.AST):
                    steps = self.differ(u, v)
                else:
                    steps = set() if u == v else None
                if steps is None:
                    return None
                found |= steps
        return found

    def factors(self, node, inverted=False, depth=0):
        """(numerator factors, denominator factors) of a product of quotients, through names (inv = 1 / (2 * h));
        np.divide(a, h) is a / h, h ** -1 is 1 / h."""
        node = as_operator(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            upper, lower = self.factors(node.left, inverted, depth)
            more = self.factors(node.right, inverted != isinstance(node.op, ast.Div), depth)
            return upper + more[0], lower + more[1]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and (number(node.right) or 0) < 0 and \
                number(node.left) is None:  # h ** -1 (2 ** -19 is a constant: a step itself)
            return ([node.left], []) if inverted else ([], [node.left])
        bound = as_operator(self.unalias(node)) if isinstance(node, ast.Name) else node
        # a name bound to a product, or to a reciprocal (inv = 1 / (2 * h)); a bound quotient was judged where it is
        if bound is not node and depth < 3 and isinstance(bound, ast.BinOp) and (
                isinstance(bound.op, ast.Mult) or isinstance(bound.op, ast.Div) and number(bound.left) is not None
                or isinstance(bound.op, ast.Pow) and (number(bound.right) or 0) < 0 and number(bound.left) is None):
            return self.factors(bound, inverted, depth + 1)
        if type(number(node)) in (int, float) and abs(number(node)) >= 1e3:
            node, inverted = ast.Constant(1 / number(node)), not inverted  # · 5e5 is / 2e-6
        return ([], [node]) if inverted else ([node], [])

    def differences(self, node):
        """The step sets of a factor's differences of alike evaluations, and of its step-sized reductions or sums."""
        node = core = self.unalias(node)
        while isinstance(core, ast.Subscript):
            core = core.value  # np.diff(values)[0]
        reduced = isinstance(core, ast.Call) and last(core.func) in REDUCTIONS
        summed = isinstance(core, ast.Name) and self.owner(core.id).shifts(core.id)  # acc += sign * f(q)
        if reduced or summed or isinstance(core, ast.BinOp) and isinstance(core.op, ast.MatMult):
            yield self.inner_steps(core)
        for (sign_a, a), (sign_b, b) in combinations(signed_terms(node), 2):
            self.notebook.budget.spend()
            pairs = {(id(x), id(y)): (x, y) for x in (a, self.unalias(a)) for y in (b, self.unalias(b))}
            for u, v in pairs.values() if sign_a != sign_b else ():
                steps = self.differ(u, v)
                if steps == set() and any(isinstance(n, ast.Call) for n in ast.walk(u)):
                    steps = set(self.shifted_atoms)  # f(x) twice, x shifted in place between
                yield steps or set()

    def quotient(self, node):
        """Whether a quotient (or a product by a reciprocal) divides a difference of alike evaluations by their
        step; what the denominator depends on is looked at only when some difference has a step."""
        upper, lower = self.factors(node)
        if not lower:
            return False
        found = [steps for factor in upper for steps in self.differences(factor) if steps]
        if not found:
            return False
        under = set().union(*map(self.atoms, lower))
        return any(steps & under for steps in found)


def shifting(function):
    """(names a function shifts values by: p[k] += s, x + s; its calls, to pass steps on to shifting functions)."""
    steps, calls = [], []
    for node in (n for statement in body(function) for n in ast.walk(statement)):
        if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
            steps.append(node.value)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and is_point(node.left):
            steps.append(node.right)
        elif isinstance(node, ast.Call):
            calls.append((dotted(node.func), node.args))
    return {n.id for step in steps for n in ast.walk(step) if isinstance(n, ast.Name)}, calls


class Notebook:
    """What the analysis knows of all cells at once: their names and bindings, the top-level scope, functions
    shifting by a parameter, and the budget of the difference-quotient search."""

    def __init__(self, source):
        self.parsed = source.parsed
        self.trees = [tree for _, tree, _ in source.parsed]
        self.names = Names(self.trees)
        self.nodes, self.aliases, self.written = self.names.nodes, self.names.aliases, self.names.written
        self.table = table(source.parsed, self.names)
        self.scopes, self.numbers, self.dumps, self.budget = {}, {}, {}, Budget()

    @cached_property
    def top(self):
        """The scope of the notebook's top level: every cell's, as one namespace."""
        return Scope([statement for tree in self.trees for statement in tree.body], self)

    @cached_property
    def steps_of(self):
        """Function name -> positions of the parameters it shifts values by (L_at(name, step) -> {1})."""
        functions = [(n.name, n) for n in self.nodes if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        functions += [(t.id, n.value) for n in self.nodes if isinstance(n, ast.Assign)
                      and isinstance(n.value, ast.Lambda) for t in n.targets if isinstance(t, ast.Name)]
        shifters = [(name, [a.arg for a in [*f.args.posonlyargs, *f.args.args]], *shifting(f)) for name, f in functions]
        steps_of = {}
        for _ in range(3):  # a step passed on to a function that shifts by it is a step too
            for name, names, steps, calls in shifters:
                passed = {n.id for callee, args in calls for i, arg in enumerate(args)
                          if i in steps_of.get(callee, ()) for n in ast.walk(arg) if isinstance(n, ast.Name)}
                if (steps | passed) & set(names):
                    steps_of[name] = {i for i, param in enumerate(names) if param in steps | passed}
        return steps_of

    def dump(self, node):
        """ast.dump of a node, once per node."""
        if id(node) not in self.dumps or self.dumps[id(node)][0] is not node:
            self.budget.spend()
            self.dumps[id(node)] = (node, ast.dump(node))
        return self.dumps[id(node)][1]

    def scope(self, chain):
        """The scope of the innermost function of a chain (the notebook's top level when empty)."""
        key = tuple(map(id, chain))
        if key not in self.scopes:
            self.scopes[key] = Scope(body(chain[-1]), self, self.scope(chain[:-1]), chain[-1]) if chain else self.top
        return self.scopes[key]
