"""What runs inside the sandbox: a submission's cells, then the grader's questions, one at a time.

The child only answers. It runs every cell in order (recording, for nbgrader, what each cell shows), says
it is ready, and then reads questions from the grader. Each question is answered in its own fork, made
after the cells, by the assignment's handler for that kind of question: the handler calls the student's
functions and sends one answer. Nothing here holds a reference value, a hidden point before it is asked
for, or a judgement: student code may patch anything in this process, and all it can change is the
answer the grader judges. Whatever else reaches the grader is evidence of tampering.

Time is CPU time: a cell or a question that spins past its limit gets a TimeLimit exception (an interval
timer on the process's CPU clock), and the kernel kills a question that ignores it (RLIMIT_CPU). A busy
machine slows the wall clock, not these. The grader watches the rest (sleeping, blocking).
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
import resource
import signal
import struct
import sys
import traceback

import matplotlib

matplotlib.use("Agg", force=True)
import matplotlib.pyplot as pyplot  # noqa: E402
import numpy as np  # noqa: E402

from .limits import Limits  # noqa: E402

MAGIC_LINE = re.compile(r"^\s*[%!]", re.MULTILINE)
MAX_FIGURE_ITEMS = 50  # figures, axes per figure and lines per axes kept from a cell
MAX_POINTS = 100_000  # values kept from one plotted line or one series
MAX_TEXT = 50_000  # characters of output kept per cell (Jupyter would show more; feedback needs less)
MAX_IMAGES = 5  # figures rendered per cell
MAX_IMAGE_BYTES = 600_000  # size of one rendered figure
SPINS = 200  # non-blocking reads a question fork tries for a reply before it sleeps on the pipe (when spinning)
SERVE = b"S"  # a request line: S + hex of little-endian doubles; the reply: hex of doubles, or ! + reason


class TimeLimit(BaseException):
    """Raised by the CPU alarm; a BaseException so that `except Exception` in student code lets it through."""


class Stop(BaseException):
    """The grader stopped serving a question's requests (too many calls): the question ends here."""


def _on_alarm(signum, frame):
    raise TimeLimit()


def arm(seconds):
    """Start (or with 0, stop) the CPU-time alarm of this process."""
    signal.setitimer(signal.ITIMER_PROF, seconds)


def describe(error):
    """'Type: message' on one short line, for feedback."""
    if isinstance(error, TimeLimit):
        return "TimeLimit: no terminó a tiempo (¿un bucle infinito?)"
    try:
        message = str(error)
    except BaseException:  # an exception whose __str__ itself fails
        message = ""
    text = f"{type(error).__name__}: {message}".splitlines()[0] if message else type(error).__name__
    return text[:300].encode("utf-8", "replace").decode("utf-8")  # a lone surrogate is not text anyone can print


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


def packed_figures(figures, room=300_000):
    """A cell's figure snapshots with every line's values packed, within `room` values in all (the largest
    part of an answer: what the grader reads of a plot)."""
    packed = []
    for figure in figures:
        axes = []
        for ax in figure["axes"]:
            lines = []
            for line in ax["lines"]:
                y = line["y"]
                if y is None or len(y) > room:
                    continue
                room -= len(y)
                lines.append({"y": pack(np.array(y)), "linestyle": line["linestyle"][:20]})
            axes.append(dict(ax, lines=lines))
        packed.append({"axes": axes, "suptitle": figure["suptitle"]})
    return packed


def as_series(value):
    """A list of floats from a 1-D sequence of numbers (or an n×1 column), else None."""
    if isinstance(value, (str, bytes)):  # "0.5" is text, not a series
        return None
    try:
        array = np.asarray(value, dtype=float)
    except Exception:
        return None
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    return array[:MAX_POINTS].tolist() if array.ndim == 1 else None


def as_matrix(value, shape):
    """A float64 array of exactly `shape` from an array-like, else None."""
    try:
        array = np.array(value, dtype=float)
    except Exception:
        return None
    return array if array.shape == tuple(shape) else None


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

    def __init__(self, child, name):
        self.child, self.name = child, name

    def write(self, text):
        if self.child.outputs is not None and isinstance(text, str):
            self.child.outputs.stream(self.name, text)
        return len(text) if isinstance(text, str) else 0

    def writable(self):
        return True


def snapshot(figure):
    """Labels, scale and line data of every axes of one figure."""
    axes = []
    for ax in figure.axes[:MAX_FIGURE_ITEMS]:
        lines = [{"x": as_series(line.get_xdata()), "y": as_series(line.get_ydata()),
                  "linestyle": str(line.get_linestyle())} for line in ax.get_lines()[:MAX_FIGURE_ITEMS]]
        axes.append({"xlabel": str(ax.get_xlabel()), "ylabel": str(ax.get_ylabel()), "title": str(ax.get_title()),
                     "yscale": str(ax.get_yscale()), "lines": lines, "collections": len(ax.collections)})
    return {"axes": axes, "suptitle": str(figure.get_suptitle())}


class FigureRecorder:
    """Keeps what each figure showed, and closes figures after each cell the way the inline backend does."""

    def __init__(self, child):
        self.child = child
        self.shown = []

    def show(self, figure):
        """One figure shown: its data for the checks, its picture for the feedback."""
        if len(self.shown) < MAX_FIGURE_ITEMS:
            self.shown.append(snapshot(figure))
        if self.child.outputs is not None:
            self.child.outputs.image(figure)

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
            elif self.child.outputs is not None:
                self.child.outputs.result(obj)


class Link:
    """A question's line to the grader, used by the handler in the question's fork: one answer, and
    requests the grader serves while the question lasts."""

    def __init__(self, child, number):
        self.child, self.number, self.pending = child, number, b""
        self.spinning, self.misses = bool(child.plan.get("spin")), 0

    def answer(self, data):
        """The one answer to this question."""
        self.child.send({"k": "answer", "q": self.number, "data": data})

    def serve(self, values):
        """Ask the grader for its numbers at `values` (floats); the reply's floats, or Stop."""
        os.set_blocking(self.child.questions_fd, False)
        self.child.write(SERVE + struct.pack(f"<{len(values)}d", *values).hex().encode() + b"\n")
        spins = 0 if self.spinning else SPINS
        while b"\n" not in self.pending:
            try:  # the reply comes within microseconds: wait for it awake a moment before sleeping on the pipe
                data = self.child.read(self.child.questions_fd, 1 << 16)
            except BlockingIOError:
                spins += 1
                if spins > SPINS:  # the pipe's blocking flag is shared with the answerer: set back below
                    os.set_blocking(self.child.questions_fd, True)
                    self.misses += 1
                    self.spinning = self.misses < 3  # a busy machine: waiting awake only takes a CPU from others
                continue
            if not data:
                raise Stop("el autograder cerró la conexión")
            self.pending += data
        return self.reply()

    def reply(self):
        """The grader's reply in the pending line: its floats, or Stop."""
        os.set_blocking(self.child.questions_fd, True)
        line, _, self.pending = self.pending.partition(b"\n")
        if line.startswith(b"!"):
            raise Stop(line[1:].decode("utf-8", "replace"))
        raw = bytes.fromhex(line.decode("ascii"))
        return struct.unpack(f"<{len(raw) // 8}d", raw)


class Child:
    """Runs the cells of one submission in a fresh namespace, then answers the grader's questions."""

    def __init__(self, channel, questions_fd, plan, hooks):
        self.channel, self.questions_fd, self.plan, self.hooks = channel, questions_fd, plan, hooks
        self.limits = Limits(**plan["limits"])
        self.hang_left = float(plan.get("hang_left", self.limits.hang))
        self.finished_before = {str(stage) for stage in plan.get("finished", ())}
        self.keep_outputs = bool(plan.get("outputs"))
        self.outputs = None
        self.figures = FigureRecorder(self)
        self.shown = {}  # grade_id -> snapshots of the figures its cell showed
        self.state = {}  # what the assignment's cell hooks recorded, for its question handlers
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.namespace["get_ipython"] = lambda: Shell(self.namespace)
        self.namespace["display"] = self.figures.display
        pyplot.show = lambda *args, **kwargs: self.figures.flush()
        # Bound now, before student code can replace them (it still can reach them: that only changes answers).
        self.write_fd, self.read, self.fork, self.waitpid, self.kill = os.write, os.read, os.fork, os.waitpid, os.kill
        self.dumps, self.exit, self.loads = json.dumps, os._exit, json.loads

    def write(self, data):
        """Bytes to the grader, written whole."""
        while data:
            data = data[self.write_fd(self.channel, data):]

    def send(self, message):
        """One JSON line to the grader (Python's JSON: NaN and infinities as NaN, Infinity)."""
        self.write((self.dumps(message) + "\n").encode())

    def stage_seconds(self, is_question, finished_before=False):
        """This stage's CPU time limit: a hang already suffered leaves less for stages not yet seen to finish."""
        return self.limits.stage_seconds(is_question, self.hang_left, finished_before)

    def run(self, skip=()):
        """Execute every cell in order, then answer questions until the grader says it is done."""
        signal.signal(signal.SIGPROF, _on_alarm)
        random.seed(0)
        np.random.seed(0)
        sys.stdout, sys.stderr = Capture(self, "stdout"), Capture(self, "stderr")
        for index, cell in enumerate(self.plan["cells"]):
            # nbgrader test cells hold the notebook's own self-checks: they define nothing and the grade
            # does not depend on them, so they are skipped (they would rerun the student's training).
            if index in skip or cell["grade_id"].startswith("test_"):
                continue
            self.run_cell(index, cell)
        # The questions are answered by a fork of this process as the cells left it: a fork has no thread, and
        # the grader freezes every other process of the submission (this one and its threads included) before
        # it asks anything, so nothing the cells left running can read a question or write an answer.
        if os.getpid() == 1:  # PID 1 of its namespace: every other process there (what the cells started) dies
            try:
                self.kill(-1, signal.SIGKILL)
            except OSError:
                pass
        answerer = self.fork()
        if answerer == 0:
            self.send({"k": "ready", "pid": os.getpid()})
            self.answer_questions()
            self.send({"k": "bye"})  # the grader ends the run here: the frozen processes never write again
            self.exit(0)
        self.waitpid(answerer, 0)

    def run_cell(self, index, cell):
        """One cell, between the assignment's hooks for its grade_id; its outputs and error to the grader."""
        grade_id = cell["grade_id"]
        self.send({"k": "start", "stage": index})
        self.outputs = CellOutput() if self.keep_outputs else None
        self.hook("before_cell", grade_id)
        error = self.execute(cell["source"], index)
        self.figures.flush()  # figures left open count as shown, as in Jupyter
        if grade_id:
            self.shown[grade_id] = list(self.figures.shown)
        self.figures.shown = []
        self.hook("after_cell", grade_id)
        message = {"k": "cell", "stage": index, "error": error}
        if self.outputs is not None:
            message["outputs"] = self.outputs.items
        self.outputs = None
        self.send(message)

    def hook(self, name, grade_id):
        """The assignment's cell hook, if it has one; its failure is its own, never the cell's."""
        function = getattr(self.hooks, name, None)
        if function is not None:
            try:
                function(self, grade_id)
            except Exception:
                pass

    def execute(self, source, index):
        """Run one cell under the CPU alarm; return None or a short description of what went wrong."""
        name = f"<celda {index + 1}>"
        linecache.cache[name] = (len(source), None, source.splitlines(True), name)  # source lines for tracebacks
        try:
            body, last = compile_cell(source, name)
        except SyntaxError as error:
            if self.outputs is not None:
                self.outputs.items.append({"error": "SyntaxError", "message": f"SyntaxError: línea {error.lineno}: "
                                           f"{error.msg}", "traceback": [f"SyntaxError: línea {error.lineno}: {error.msg}"]})
            return {"type": "SyntaxError", "message": f"línea {error.lineno}: {error.msg}"[:300]}
        except Exception as error:
            return {"type": type(error).__name__, "message": describe(error)}
        seconds = self.stage_seconds(False, str(index) in self.finished_before)
        started = cpu_seconds()
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
                self.hang_left -= cpu_seconds() - started
            if self.outputs is not None:
                self.outputs.error(error)
            return {"type": type(error).__name__[:100], "message": describe(error), "where": where(error)}
        finally:
            arm(0)
        return None

    def next_question(self):
        """The grader's next question (one JSON line), or None when it is done."""
        os.set_blocking(self.questions_fd, True)  # a question's fork may have left it waiting awake
        data = b""
        while not data.endswith(b"\n"):
            chunk = self.read(self.questions_fd, 1 << 16)
            if not chunk:
                return None
            data += chunk
        question = self.loads(data)
        return question if question.get("kind") != "end" else None

    def answer_questions(self):
        """Answer each question in a fork of this process as it is after the cells, then say it ended."""
        while (question := self.next_question()) is not None:
            number, seconds = question["q"], self.stage_seconds(True)
            pid = self.fork()
            if pid == 0:
                self.answer(question, seconds)
            _, status = self.waitpid(pid, 0)
            how = "exit" if os.WIFEXITED(status) else "timeout" if os.WTERMSIG(status) in (
                signal.SIGXCPU, signal.SIGKILL) else "died"
            self.send({"k": "ended", "q": number, "how": how})

    def answer(self, question, seconds):
        """In the question's fork: run the assignment's handler under the CPU limits; never returns."""
        link = Link(self, question["q"])
        try:
            soft = int(seconds + self.limits.grace) + 1
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))  # the kernel's backstop to the alarm
            arm(seconds)
            self.hooks.HANDLERS[question["kind"]](self, question["data"], link)
            arm(0)
        except BaseException as error:
            arm(0)
            reason = "timeout" if isinstance(error, TimeLimit) else "stopped" if isinstance(error, Stop) else "error"
            self.send({"k": "failed", "q": question["q"], "reason": reason, "error": describe(error)})
        finally:
            self.exit(0)


def cpu_seconds():
    """CPU time this process has used (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
