"""What runs inside the sandbox: execute a submission's cells, record what they show and what its functions return.

Nothing here decides a verdict. The sandboxed process only reports raw observations (numbers, and for
nbgrader what each cell printed and drew) over a pipe; the grader process checks them with its own
clean numpy. Student code can patch anything in here and gain nothing it could not gain by computing
the right answer.
"""
import ast
import base64
import builtins
import io
import json
import linecache
import os
import random
import re
import signal
import sys
import time
import traceback

import matplotlib

matplotlib.use("Agg", force=True)
import matplotlib.pyplot as pyplot  # noqa: E402
import numpy as np  # noqa: E402

from .. import network  # noqa: E402
from .limits import Limits  # noqa: E402

MAGIC_LINE = re.compile(r"^\s*[%!]", re.MULTILINE)
MAX_FIGURE_ITEMS = 50  # figures, axes per figure and lines per axes kept from a plot
MAX_POINTS = 1_000_000  # values kept from one plotted line or one history
MAX_TEXT = 50_000  # characters of output kept per cell (Jupyter would show more; feedback needs less)
MAX_IMAGES = 10  # figures rendered per cell
MAX_IMAGE_BYTES = 2_000_000  # size of one rendered figure


class TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that `except Exception` in student code lets it through."""


def _on_alarm(signum, frame):
    raise TimeLimit()


def arm(seconds):
    """Start (or with 0, stop) the per-call alarm."""
    signal.setitimer(signal.ITIMER_REAL, seconds)


def describe(error):
    """'Type: message' on one short line, for feedback."""
    if isinstance(error, TimeLimit):
        return "TimeLimit: no terminó a tiempo (¿un bucle infinito?)"
    try:
        message = str(error)
    except BaseException:  # an exception whose __str__ itself fails
        message = ""
    text = f"{type(error).__name__}: {message}".splitlines()[0] if message else type(error).__name__
    return text[:300]


def student_frames(error):
    """The traceback frames that are in the student's cells."""
    return [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<celda")]


def where(error):
    """The line of the student's cell where the error happened, if any."""
    frames = student_frames(error)
    return f"{frames[-1].filename[1:-1]}, línea {frames[-1].lineno}" if frames else ""


def traceback_lines(error):
    """A short traceback in the student's own cells, as Jupyter shows it."""
    lines = ["Traceback (most recent call last):"]
    for frame in student_frames(error)[-10:]:
        lines.append(f"  {frame.filename[1:-1].capitalize()}, línea {frame.lineno}: {(frame.line or '').strip()}"[:300])
    lines.append(describe(error))
    return lines


def as_number(value):
    """A float from a number-like value (int, float, numpy scalar, 1-element array), else None."""
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None:  # "1.5" is text, not a number
        return None
    try:
        array = np.asarray(value, dtype=float)
    except Exception:
        return None
    return float(array.reshape(-1)[0]) if array.size == 1 else None


def as_series(value):
    """A list of floats from a 1-D sequence of numbers (or an n×1 column), else None."""
    try:
        array = np.asarray(value, dtype=float)
    except Exception:
        return None
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    return array[:MAX_POINTS].tolist() if array.ndim == 1 else None


def pack(array):
    """float64 array -> base64 text (compact and exact over JSON)."""
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.float64).tobytes()).decode("ascii")


class Shell:
    """Just enough of IPython for notebooks run outside Jupyter: magics and shell escapes do nothing."""

    def __init__(self, namespace):
        self.user_ns = namespace

    def run_line_magic(self, name, line, *args, **kwargs):
        return None

    def run_cell_magic(self, name, line, cell, *args, **kwargs):
        if name in ("time", "timeit", "capture"):  # these run their body; others are ignored
            exec(compile(cell, "<celda-magic>", "exec"), self.user_ns)

    def system(self, *args, **kwargs):
        return None

    getoutput = system


def ipython_to_python(source):
    """Rewrite %magics and !shell lines into calls on get_ipython(), as Jupyter does."""
    if not MAGIC_LINE.search(source):
        return source
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # a lean environment (the Classroom template) without IPython: skip those lines
        return MAGIC_LINE.sub(lambda match: match.group(0).replace("%", "pass  # %").replace("!", "pass  # !"), source)
    return TransformerManager().transform_cell(source)


def compile_cell(source, name):
    """The cell as (body, last expression or None): Jupyter shows the value of a final expression."""
    tree = ast.parse(ipython_to_python(source), name)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not source.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, name, "exec")
    return body, (compile(last, name, "eval") if last else None)


def describe_figure(figure):
    """A figure in words, for the image's alternative text: its titles and axis labels."""
    words = [figure.get_suptitle()] if figure.get_suptitle() else []
    for ax in figure.axes[:4]:
        labels = [text for text in (ax.get_title(), ax.get_ylabel(), ax.get_xlabel()) if text]
        if labels:
            words.append(" · ".join(labels))
    return ("Figura: " + "; ".join(words))[:200] if words else "Figura sin títulos"


class CellOutput:
    """What one cell showed, in order, as Jupyter records it: text streams, figures, a result, an error."""

    def __init__(self):
        self.items, self.text_size = [], 0

    def stream(self, name, text):
        """Text written to stdout or stderr (consecutive writes to one stream are joined)."""
        room = MAX_TEXT - self.text_size
        if room <= 0 or not text:
            return
        if len(text) > room:
            text = text[:room] + "\n[… salida recortada …]\n"
        self.text_size += len(text)
        if self.items and self.items[-1].get("stream") == name:
            self.items[-1]["text"] += text
        else:
            self.items.append({"stream": name, "text": text})

    def image(self, figure):
        """A figure, rendered as Jupyter's inline backend does (PNG)."""
        if sum("png" in item for item in self.items) >= MAX_IMAGES:
            return
        buffer = io.BytesIO()
        try:
            figure.savefig(buffer, format="png", dpi=100)  # no bbox_inches="tight": it draws everything twice
        except Exception:
            return  # a figure that cannot be drawn is not shown, as in Jupyter
        data = buffer.getvalue()
        if len(data) <= MAX_IMAGE_BYTES:
            self.items.append({"png": base64.b64encode(data).decode("ascii"), "alt": describe_figure(figure)})

    def result(self, value):
        """The value of the cell's last expression."""
        self.items.append({"result": repr(value)[:MAX_TEXT]})

    def error(self, error):
        self.items.append({"error": type(error).__name__, "message": describe(error), "traceback": traceback_lines(error)})


class Capture(io.TextIOBase):
    """A sys.stdout/sys.stderr stand-in that records into the current cell's outputs."""

    def __init__(self, probe, name):
        self.probe, self.name = probe, name

    def write(self, text):
        if self.probe.outputs is not None and isinstance(text, str):
            self.probe.outputs.stream(self.name, text)
        return len(text) if isinstance(text, str) else 0

    def writable(self):
        return True


class FigureRecorder:
    """Keeps what each figure showed, and closes figures after each cell the way the inline backend does."""

    def __init__(self, probe):
        self.probe = probe
        self.shown = []

    def snapshot(self, figure):
        """Labels, scale and line data of every axes of one figure."""
        axes = []
        for ax in figure.axes[:MAX_FIGURE_ITEMS]:
            lines = [{"x": as_series(line.get_xdata()), "y": as_series(line.get_ydata()),
                      "linestyle": str(line.get_linestyle())} for line in ax.get_lines()[:MAX_FIGURE_ITEMS]]
            axes.append({"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "title": ax.get_title(),
                         "yscale": ax.get_yscale(), "lines": lines, "collections": len(ax.collections)})
        return {"axes": axes, "suptitle": figure.get_suptitle()}

    def show(self, figure):
        """One figure shown: its data for the plot check, its picture for the feedback."""
        self.shown.append(self.snapshot(figure))
        if self.probe.outputs is not None:
            self.probe.outputs.image(figure)

    def flush(self):
        """Record and close every open figure (what plt.show() and the end of a cell do in Jupyter)."""
        for number in pyplot.get_fignums()[:MAX_FIGURE_ITEMS]:
            self.show(pyplot.figure(number))
        pyplot.close("all")

    def display(self, *objects, **kwargs):
        """Stand-in for IPython's display(): a figure counts as shown; anything else is shown as text."""
        for obj in objects:
            if hasattr(obj, "axes") and hasattr(obj, "savefig"):
                self.show(obj)
            elif self.probe.outputs is not None:
                self.probe.outputs.result(obj)


class Probe:
    """Executes the cells of one submission in a fresh namespace and reports to the grader."""

    def __init__(self, channel, plan):
        self.channel = channel
        self.plan = plan
        self.limits = Limits(**plan["limits"])
        self.hang_left = float(plan.get("hang_left", self.limits.hang))
        self.finished_before = {str(stage) for stage in plan.get("finished", ())}
        self.keep_outputs = bool(plan.get("outputs"))
        self.outputs = None
        self.figures = FigureRecorder(self)
        self.plot_figures = []
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.namespace["get_ipython"] = lambda: Shell(self.namespace)
        self.namespace["display"] = self.figures.display
        pyplot.show = lambda *args, **kwargs: self.figures.flush()
        # Bound now, before student code can replace them.
        self.write, self.fork, self.waitpid, self.kill = os.write, os.fork, os.waitpid, os.kill
        self.dumps, self.exit, self.sleep, self.clock = json.dumps, os._exit, time.sleep, time.monotonic
        self.exact_gradient, self.mse_batch = network.exact_gradient, network.mse_batch

    def send(self, message):
        """One JSON line to the grader, written whole even when large."""
        data = (self.dumps(message) + "\n").encode()
        while data:
            data = data[self.write(self.channel, data):]

    def stage_seconds(self, stage):
        """This stage's time limit: a hang already suffered leaves less for the stages not yet seen to finish."""
        return self.limits.stage_seconds(str(stage).startswith("probe:"), self.hang_left,
                                         str(stage) in self.finished_before)

    def run(self, skip=()):
        """Execute every cell in order; right after the cells the grader probes, probe them."""
        signal.signal(signal.SIGALRM, _on_alarm)
        random.seed(0)
        np.random.seed(0)
        sys.stdout, sys.stderr = Capture(self, "stdout"), Capture(self, "stderr")
        probes = {"gradients": self.probe_gradients, "train": self.probe_train, "plot_mse": self.probe_plot}
        for index, cell in enumerate(self.plan["cells"]):
            # nbgrader test cells hold the notebook's own self-checks: they define nothing and the grade
            # does not depend on them, so they are skipped (they would rerun the student's training).
            if index in skip or cell["grade_id"].startswith("test_"):
                continue
            self.send({"kind": "start", "stage": index})
            self.outputs = CellOutput() if self.keep_outputs else None
            error = self.execute(cell["source"], index)
            self.figures.flush()  # figures left open count as shown, as in Jupyter
            if cell["grade_id"] == "plot_mse":
                self.plot_figures = list(self.figures.shown)
            self.figures.shown = []
            message = {"kind": "cell", "stage": index, "grade_id": cell["grade_id"], "error": error}
            if self.outputs is not None:
                message["outputs"] = self.outputs.items
            self.outputs = None
            self.send(message)
            probe = probes.get(cell["grade_id"])
            if probe and f"probe:{cell['grade_id']}" not in skip:
                self.send({"kind": "start", "stage": f"probe:{cell['grade_id']}"})
                self.isolated(probe, self.stage_seconds(f"probe:{cell['grade_id']}"))
        self.send({"kind": "done"})

    def execute(self, source, index):
        """Run one cell under the alarm; return None or a short description of what went wrong."""
        name = f"<celda {index + 1}>"
        linecache.cache[name] = (len(source), None, source.splitlines(True), name)  # source lines for tracebacks
        try:
            body, last = compile_cell(source, name)
        except SyntaxError as error:
            if self.outputs is not None:
                self.outputs.items.append({"error": "SyntaxError", "message": f"SyntaxError: línea {error.lineno}: "
                                           f"{error.msg}", "traceback": [f"SyntaxError: línea {error.lineno}: {error.msg}"]})
            return {"type": "SyntaxError", "message": f"línea {error.lineno}: {error.msg}"}
        except Exception as error:
            return {"type": type(error).__name__, "message": describe(error)}
        seconds, started = self.stage_seconds(index), self.clock()
        try:
            arm(seconds)
            exec(body, self.namespace)
            if last is not None:
                value = eval(last, self.namespace)
                if hasattr(value, "axes") and hasattr(value, "savefig"):
                    self.figures.display(value)
                    pyplot.close(value)
                elif value is not None and self.outputs is not None:
                    self.outputs.result(value)
        except BaseException as error:  # SystemExit and KeyboardInterrupt included: the cell just failed
            arm(0)
            if isinstance(error, TimeLimit):
                self.hang_left -= self.clock() - started
            if self.outputs is not None:
                self.outputs.error(error)
            return {"type": type(error).__name__, "message": describe(error), "where": where(error)}
        finally:
            arm(0)
        return None

    def isolated(self, probe, seconds):
        """Run a probe in a forked copy, so its side effects and hangs stay out of the next cells."""
        started = self.clock()
        pid = self.fork()
        if pid == 0:
            try:
                arm(seconds)
                probe()
            except BaseException as error:
                self.send({"kind": "probe_error", "error": describe(error)})
            finally:
                self.exit(0)
        while self.clock() - started < seconds + 1.0:
            done, _ = self.waitpid(pid, os.WNOHANG)
            if done:
                if self.clock() - started >= seconds:
                    self.hang_left -= self.clock() - started
                return
            self.sleep(0.002)
        self.kill(pid, signal.SIGKILL)
        self.waitpid(pid, 0)
        self.hang_left -= self.clock() - started
        self.send({"kind": "probe_error", "error": "TimeLimit: no terminó a tiempo (¿un bucle infinito?)"})

    def function(self, name):
        """The student's function by name, or a report that it is missing."""
        candidate = self.namespace.get(name)
        if not callable(candidate):
            raise NameError(f"no está definida la función {name}()")
        return candidate

    def counted(self, counts):
        """Replace the given forward and sigmoid with counting wrappers (how a gradients computes matters)."""
        def wrap(name, function):
            def counting(*args, **kwargs):
                counts[name] += 1
                return function(*args, **kwargs)
            return counting

        for name in counts:
            if callable(self.namespace.get(name)):
                self.namespace[name] = wrap(name, self.namespace[name])

    def probe_gradients(self):
        """Call the student's gradients at each planned point; report the 9 values (or why not), and how many
        times each call used the given forward and sigmoid."""
        gradients = self.function("gradients")
        counts = {"forward": 0, "sigmoid": 0}
        self.counted(counts)
        results = []
        for theta, x, y in self.plan["gradient_points"]:
            params = dict(zip(network.PARAM_NAMES, theta))
            for name in counts:
                counts[name] = 0
            try:
                got = gradients(params, np.array(x), np.float64(y))
            except BaseException as error:
                if isinstance(error, TimeLimit):
                    raise
                results.append({"error": describe(error), "where": where(error), "calls": dict(counts)})
                continue
            if not isinstance(got, dict):
                results.append({"error": f"gradients devolvió {type(got).__name__}, no un dict", "calls": dict(counts)})
                continue
            values = {}
            for name in network.PARAM_NAMES:
                value = got.get(name)
                number = as_number(value)
                values[name] = number if number is not None else f"<{type(value).__name__}>"
            dtypes = sorted({str(getattr(value, "dtype", type(value).__name__)) for value in got.values()})[:5]
            results.append({"values": values, "calls": dict(counts), "dtypes": dtypes})
        self.send({"kind": "gradients", "results": results})

    def probe_train(self):
        """Train with the grader's own forward and exact gradients; log every gradient call."""
        train = self.function("train")
        namespace, exact_gradient = self.namespace, self.exact_gradient
        runs = []
        for lr, n_epochs, seed, rng_seed in self.plan["train_runs"]:
            log, calls = [], [0]
            limit = 4 * n_epochs + 64

            def gradients(params, x, y, log=log, calls=calls, limit=limit):
                theta = [float(params[name]) for name in network.PARAM_NAMES]
                x = [float(x[0]), float(x[1])]
                y = float(np.asarray(y).reshape(-1)[0])
                calls[0] += 1
                if len(log) < limit:
                    log.append(theta + x + [y])
                return dict(zip(network.PARAM_NAMES, exact_gradient(theta, x, y)))

            namespace.update(
                gradients=gradients, PARAM_NAMES=network.PARAM_NAMES, init_params=network.init_params,
                forward=lambda params, x: float(network.forward([float(params[n]) for n in network.PARAM_NAMES], x)),
                sigmoid=lambda z: 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))),
            )
            random.seed(rng_seed)
            np.random.seed(rng_seed)
            run = {"lr": lr, "n_epochs": n_epochs, "seed": seed}
            try:
                returned = train(network.X_XOR.copy(), network.Y_XOR.copy(), lr, n_epochs, seed=seed)
                run.update(self.describe_training(returned))
            except BaseException as error:
                if isinstance(error, TimeLimit):
                    raise
                run["error"], run["where"] = describe(error), where(error)
            run["calls"] = calls[0]
            run["log"] = pack(np.array(log, dtype=float).reshape(-1, 12))
            runs.append(run)
            if run.get("mse", 1.0) < self.plan["converged_below"]:
                break  # the grader checks this claim itself
        self.send({"kind": "train", "runs": runs})

    def describe_training(self, returned):
        """Numbers out of train's return value: (params, mse_history), or why it is not that."""
        if not (isinstance(returned, (tuple, list)) and len(returned) == 2):
            return {"error": f"train devolvió {type(returned).__name__}, no la tupla (params, mse_history)"}
        params, history = returned
        if not hasattr(params, "get"):
            return {"error": f"params devuelto es {type(params).__name__}, no un dict"}
        theta = [as_number(params.get(name)) for name in network.PARAM_NAMES]
        if any(value is None for value in theta):
            return {"error": "params devuelto no tiene los 9 parámetros como números"}
        out = {"params": theta, "history": as_series(history)}
        out["mse"] = float(self.mse_batch(np.array([theta]))[0])
        return out

    def probe_plot(self):
        """The figures the plot_mse cell showed, and the global mse_history it left."""
        if "mse_history" in self.namespace:
            history = self.namespace["mse_history"]
            series = None if isinstance(history, str) else as_series(history)  # "0.5" is text, not a series
            kind = type(history).__name__
        else:
            series, kind = None, "<missing>"
        self.send({"kind": "plot", "figures": self.plot_figures, "history": series, "history_type": kind})
