"""The grader's side of the sandbox: run each submission in a confined child and interview it.

`interview_many(jobs)` runs several submissions at once and yields each one's `Observation` as it ends.
The grader never forks from its own memory: a child comes from the zygote (zygote.py), a clean process
started before any submission was read, with a fixed environment.

The protocol is the grader's, and the child only answers. The child announces each cell (`start`, then
`cell` with its error and outputs) in the order of the plan, says `ready`, and then gets one question at a
time: the assignment's interview decides each one from the answers so far. A question is answered by one
`answer` (or `failed`) from the question's fork and closed by one `ended` from the child; while it lasts,
`S…` lines are requests that the question's server answers with the grader's own numbers. Anything else
(a message out of order, for another stage, twice, malformed, or after the end) is a violation: the
submission is marked as manipulated and nothing more is asked.

Time: a stage (a cell, or a question) has a CPU limit inside the child; here the grader watches the
submission's effective time (limits.py) and kills a child that overruns, then runs it again without that
stage. All hung stages share one budget, and `Limits.total` bounds everything a submission may take.
"""
import atexit
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import assignments
from . import channel
from .limits import Limits
from .questions import Answer

KIT_PARENT = str(Path(__file__).resolve().parents[2])  # the folder holding the `autograder` package
BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); sys.path += sys.argv[3:]; "
        "from autograder.sandbox.zygote import serve; serve(int(sys.argv[2]), sys.argv[1])")


def package_folders():
    """The site-packages folders the grader imports from: an isolated (-I) zygote would not see a user-site
    install (pip --user, as on a Classroom 50 runner), so it is told them; never PYTHONPATH nor the cwd."""
    return [path for path in sys.path if os.path.basename(path) in ("site-packages", "dist-packages")
            and os.path.isdir(path)]
POLL = 0.05  # seconds between looks at the children's clocks
OUTPUTS_BUDGET = 8 << 20  # bytes of cell outputs kept per submission (for nbgrader's feedback)
SPIN = 0.0002  # seconds the grader waits awake for a child's next request (when the plan says to spin)


class SandboxError(RuntimeError):
    """The sandbox cannot grade here: the zygote did not start, or (strict) a confinement layer is missing."""


def zygote_environment():
    """The zygote's fixed environment: where matplotlib's font cache is, and nothing else of the grader's."""
    environment = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
                   "HOME": os.path.expanduser("~"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    for name in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "NPY_DISABLE_CPU_FEATURES",
                 "AUTOGRADER_SANDBOX_SKIP"):
        if name in os.environ:
            environment[name] = os.environ[name]
    # The instructor's folders of more assignments (the grader's environment, never a student's), as the grader
    # resolved them: the zygote imports their child modules with the built-in ones, before any submission.
    if assignments.FOLDERS:
        environment[assignments.PATH_VARIABLE] = os.pathsep.join(assignments.FOLDERS)
    return environment


class Zygote:
    """The clean process that forks every sandboxed child; `layers` says what confinement this machine has."""

    def __init__(self, timeout=120.0):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.scratch = tempfile.mkdtemp(prefix="autograder-zygote-")
        self.log = os.path.join(self.scratch, "zygote.log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOT, KIT_PARENT, str(theirs.fileno()), *package_folders()],
                pass_fds=(theirs.fileno(),),
                env=zygote_environment(), cwd=self.scratch, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True)
        theirs.close()
        self.socket = ours
        ready, _, _ = select.select([ours], [], [], timeout)
        message = ours.recv(1 << 20) if ready else b""
        if not message:
            self.close()
            raise SandboxError(f"the sandbox's zygote did not start: {self.log_tail()}")
        hello = json.loads(message)
        self.applied, self.system = hello["applied"], hello["system"]
        self.layers = {name: tuple(value) for name, value in hello["layers"].items()}

    def log_tail(self):
        try:
            return Path(self.log).read_text(errors="replace")[-2000:] or "(no output)"
        except OSError:
            return "(no log)"

    def missing(self):
        """The layers this machine does not enforce, with why: [(layer, reason)]."""
        return [(name, detail) for name, (active, detail) in self.layers.items() if not active]

    def alive(self):
        return self.process.poll() is None

    def fork(self, request, fds):
        """Ask for one supervised child; it gets the pipe ends in fds (channel, control, questions)."""
        socket.send_fds(self.socket, [json.dumps(request).encode()], fds)

    def close(self):
        """Stop the zygote (closing the socket is its signal to leave) and remove its folder."""
        try:
            self.socket.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
        shutil.rmtree(self.scratch, ignore_errors=True)


_SHARED = {}


def shared_zygote():
    """This process's zygote, started on first use and reused (nbgrader grades notebook after notebook)."""
    zygote = _SHARED.get("zygote")
    if zygote is None or not zygote.alive():
        zygote = _SHARED["zygote"] = Zygote()
        atexit.register(zygote.close)
        missing = zygote.missing()
        if missing:
            print("aviso: el sandbox no aplica en esta máquina: " + "; ".join(f"{name}: {why}" for name, why in missing)
                  + " (detalles: python -m autograder sandbox)", file=sys.stderr)
    return zygote


# --- what a submission may show: nothing that names the grading machine or its owner ---------------------------
def machine_words():
    """The strings that would name the grading machine or its owner in a submission's output: its host name
    and the paths of the Python installation, the kit, the home and temporary folders (longest first)."""
    import tempfile

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, KIT_PARENT, os.path.expanduser("~"),
             tempfile.gettempdir(), os.path.dirname(sys.executable)}
    words = {os.path.realpath(p) for p in paths if p and len(p) > 4} | {p for p in paths if p and len(p) > 4}
    host = socket.gethostname()
    if len(host) >= 4 and host != "localhost":
        words.add(host)
    return sorted(words - {"/tmp", "/usr", "/home"}, key=len, reverse=True)


_REDACT = {}


def redact(text):
    """The text with the grading machine's names and paths replaced by «…» (see machine_words)."""
    pattern = _REDACT.get("pattern")
    if pattern is None:
        import re

        pattern = _REDACT["pattern"] = re.compile("|".join(re.escape(word) for word in machine_words()) or "(?!)")
    if not isinstance(text, str):
        return text
    return pattern.sub("…", text.encode("utf-8", "replace").decode("utf-8"))  # and no lone surrogate survives


def redacted(value, depth=0):
    """Every string inside a (bounded) structure of lists and dicts, redacted."""
    if isinstance(value, str):
        return redact(value)
    if depth > 12:  # validated structures are shallower: anything deeper is dropped
        return None
    if isinstance(value, list):
        return [redacted(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {key: redacted(item, depth + 1) for key, item in value.items()}
    return value


# --- the submission's own time: wall clock minus waiting for a CPU ---------------------------------------------
def cpu_wait(pid):
    """Seconds the task `pid` has waited on a run queue (schedstat), or None where the kernel does not say."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as handle:
            return int(handle.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def children(pid):
    """The pids of a process's children (its question fork, while one runs)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", "rb") as handle:
            return [int(part) for part in handle.read().split()[:8]]
    except (OSError, ValueError):
        return []


def descendants(pid):
    """pid and every process under it (the children of every thread), from /proc."""
    found, queue = [], [pid]
    while queue and len(found) < 4096:
        current = queue.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", "rb") as handle:
                    queue.extend(int(part) for part in handle.read().split())
            except (OSError, ValueError):
                continue
    return found


def namespace_pid(pid):
    """The pid a process has in its own (innermost) PID namespace, or None."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def stop(pid):
    try:
        os.kill(pid, signal.SIGSTOP)
    except OSError:
        pass


def task_states(pid):
    """The state letter of every thread of a process (R, S, D, T, t, Z...), [] when it is gone."""
    states = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat", "rb") as handle:
                states.append(handle.read().rpartition(b")")[2].split()[0].decode())
    except (OSError, IndexError, UnicodeDecodeError):
        pass
    return states


def stopped(pids, timeout=5.0):
    """Wait until every thread of pids has really stopped (or died): SIGSTOP is delivered when a thread next
    runs, and a thread woken from read() on the questions pipe by the signal would still read a question
    written before it got there. A loaded machine only makes this wait longer, never lets a question out."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if all(state in "TtZX" for pid in pids for state in task_states(pid)):
            return True
        time.sleep(0.001)
    return False


class Clock:
    """Effective seconds of one child: wall-clock time minus the time its working process (the child, or
    the fork answering a question) spent waiting for a CPU, and, while a question's requests come and go,
    minus the time the grader itself waited for a CPU (the child then waits on the grader's replies).
    Without schedstat it is the wall clock."""

    def __init__(self):
        self.started, self.waited, self.seen, self.looked = time.monotonic(), 0.0, {}, 0.0

    def watch(self, pid, grader=False):
        """Account for the waits of pid and its children (and with grader=True, this process's own) since the
        last look, at most every POLL seconds."""
        now = time.monotonic()
        if pid is None or now - self.looked < POLL:
            return
        self.looked = now
        for task in [pid, *children(pid)] + ([GRADER] if grader else []):
            wait = cpu_wait(task)
            if wait is None:
                continue
            self.waited += max(0.0, wait - self.seen.get(task, wait))
            self.seen[task] = wait

    def now(self):
        """Effective seconds since this clock started."""
        return time.monotonic() - self.started - self.waited


GRADER = "self"  # /proc/self/schedstat: the process that serves the children's requests


# --- one submission, across its runs ---------------------------------------------------------------------------
@dataclass
class Job:
    """One submission: its plan, its interview, and what its runs so far have cost and shown."""

    key: object
    plan: dict
    interview: object  # the assignment's generator of Questions
    limits: Limits
    skip: set = field(default_factory=set)  # cells left out of later runs (they hung or killed the child)
    finished: set = field(default_factory=set)  # cells seen to end in time: a re-run gives them their whole limit
    cells: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)  # stage -> timeout | died | output
    violations: list = field(default_factory=list)
    seconds: dict = field(default_factory=dict)
    output_bytes: int = 0
    question: object = None  # the question being asked, or None before the first / after the last
    number: int = 0  # the current question's number (never reused across runs)
    answers: object = None  # what the interview returned
    runs: int = 0
    hang_left: float = 0.0
    spent: float = 0.0  # effective seconds of the finished runs
    wall_started: float = field(default_factory=time.monotonic)
    internal_error: str = ""

    def __post_init__(self):
        self.hang_left = self.limits.hang
        self.advance(None)

    def advance(self, answer):
        """Give the interview this answer (None to start it); the next question, or None when it is done."""
        try:
            self.question = self.interview.send(answer) if answer is not None else next(self.interview)
            self.number += 1
        except StopIteration as done:
            self.question, self.answers = None, done.value
        return self.question

    def give_up(self, failure, error=""):
        """Every remaining question gets `failure`, without asking: the interview runs to its end."""
        while self.question is not None:
            self.advance(Answer(failure=failure, error=error))

    def observation(self):
        """What the grader learned, for the judges: the interview's answers and what the cells did."""
        return {"answers": self.answers or {}, "cells": self.cells, "failures": self.failures,
                "violations": list(self.violations), "seconds": dict(self.seconds, total=round(self.spent, 3)),
                "internal_error": self.internal_error}


# --- one run of one submission ---------------------------------------------------------------------------------
class Attempt:
    """One confined child running one submission: the protocol, its clock and its deadlines."""

    def __init__(self, job, zygote, strict):
        self.job, self.limits = job, job.limits
        self.reader = channel.LineReader(self.limits.line, self.limits.report)
        self.outgoing = b""
        self.pids, self.control, self.supervisor_done, self.killed = None, b"", False, False
        self.clock, self.stage, self.stage_started = Clock(), None, 0.0
        self.phase, self.ended, self.cut, self.overran = "cells", False, "", False  # cut: why the grader ended it
        self.booted = None  # effective seconds at the first cell: the start-up before it is the sandbox's
        self.expected = deque(i for i, cell in enumerate(job.plan["cells"])
                              if i not in job.skip and not cell["grade_id"].startswith("test_"))
        self.in_cell, self.reply, self.served, self.hot, self.answerer = None, None, 0, False, None
        self.workdir = tempfile.mkdtemp(prefix="autograder-sandbox-")
        plan = dict(job.plan, skip=sorted(job.skip), finished=sorted(job.finished), hang_left=job.hang_left,
                    limits=asdict(self.limits))
        descriptor = os.open(os.path.join(self.workdir, "plan.json"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(plan, handle)
        channel_read, channel_write = os.pipe()
        control_read, control_write = os.pipe()
        questions_read, questions_write = os.pipe()
        request = {"workdir": self.workdir, "limits": asdict(self.limits), "kit_parent": KIT_PARENT, "strict": strict,
                   "assignment": job.plan["assignment"]}
        try:
            zygote.fork(request, [channel_write, control_write, questions_read])
        finally:
            for fd in (channel_write, control_write, questions_read):
                os.close(fd)
        self.channel, self.control_fd, self.questions = channel_read, control_read, questions_write
        for fd in (self.channel, self.control_fd, self.questions):
            os.set_blocking(fd, False)
        job.runs += 1

    # -- time --------------------------------------------------------------------------------------------------
    def begin_stage(self, stage):
        self.stage, self.stage_started = stage, self.clock.now()

    def stage_elapsed(self):
        return self.clock.now() - self.stage_started

    def deadline(self):
        """Effective seconds the current stage may still take before the grader kills the child."""
        job = self.job
        if self.stage is None:  # the sandbox's own start-up and bookkeeping: no student code runs here
            return self.limits.wall - (time.monotonic() - job.wall_started)
        if isinstance(self.stage, int):
            limit = self.limits.stage_seconds(False, job.hang_left, self.stage in job.finished)
        else:
            limit = self.limits.stage_seconds(True, job.hang_left) + 1.0  # the fork's start and end
        grace = self.limits.grace if job.hang_left > 0 else 0.0  # a child that swallowed one alarm swallows the next
        return min(limit + grace - self.stage_elapsed(), self.limits.total - job.spent - self.own_time())

    def own_time(self):
        """Effective seconds this run has spent on the submission (the sandbox's start-up left out)."""
        return self.clock.now() - (self.booted or 0.0)

    def lose_hang_time(self):
        """The current stage ran out its time: that time comes off the submission's hang budget."""
        self.job.hang_left -= self.stage_elapsed()

    # -- reading -----------------------------------------------------------------------------------------------
    def read_control(self):
        """The supervisor's pids line; end of file means it has exited, and so has everything it supervised."""
        try:
            data = os.read(self.control_fd, 1024)
        except BlockingIOError:
            return
        if not data:
            self.supervisor_done = True
            return
        self.control += data
        if self.pids is None and b"\n" in self.control:
            try:
                self.pids = tuple(int(part) for part in self.control.split(b"\n")[0].split()[:2])
            except ValueError:
                self.pids = ()

    def read_channel(self):
        """Take what the child wrote and apply every complete line, in order."""
        try:
            data = os.read(self.channel, 1 << 20)
        except BlockingIOError:
            return
        if not data:
            self.ended = True
            return
        try:
            lines = self.reader.feed(data)
        except channel.Overflow as overflow:
            self.violate("una línea demasiado larga" if str(overflow) == "line" else None)
            return
        for line in lines:
            if self.cut:
                return
            try:
                kind, message = channel.parse(line)
                self.apply(kind, message)
            except channel.Malformed as error:
                self.violate(str(error))

    def violate(self, what):
        """A message nobody asked for: the submission is manipulated; its run ends here. (what=None: it sent
        more than a run may, which is the output limit, not tampering.)"""
        if what is None:
            self.cut = "output"
            return
        self.job.violations.append(f"{what} (en {self.where()})")
        self.cut = "violation"

    def where(self):
        """The stage being run, in words."""
        if self.phase == "cells":
            return f"la celda {self.stage + 1}" if isinstance(self.stage, int) else "el arranque"
        return f"la pregunta «{self.job.question.kind}»" if self.job.question else "el final"

    # -- the protocol ------------------------------------------------------------------------------------------
    def apply(self, kind, message):
        """One message of the child, checked against what the protocol expects now."""
        if kind == "serve":
            return self.serve(message)
        k = message.get("k")
        if self.phase == "cells":
            return self.apply_cell_message(k, message)
        if self.phase == "questions":
            return self.apply_question_message(k, message)
        if k == "bye" and not self.ended:  # the answerer leaves after the end: the run is over
            self.ended = True
            return None
        raise channel.Malformed(f"un mensaje «{str(k)[:20]}» después del final")

    def apply_cell_message(self, k, message):
        job = self.job
        if k == "start" and self.in_cell is None and self.expected and message.get("stage") == self.expected[0]:
            if self.booted is None:  # the sandbox's start-up ends here: it is not the submission's time
                self.booted = self.clock.now()
            self.in_cell = self.expected.popleft()
            self.begin_stage(self.in_cell)
        elif k == "cell" and self.in_cell is not None and message.get("stage") == self.in_cell:
            index = self.in_cell
            error = self.cell_error(message.get("error"))
            outputs = message.get("outputs")
            if outputs is not None and not isinstance(outputs, list):
                raise channel.Malformed("salidas de celda ilegibles")
            if outputs and job.plan.get("outputs"):
                job.output_bytes += len(json.dumps(outputs))
                if job.output_bytes > OUTPUTS_BUDGET:  # kept for nbgrader's feedback: bounded per submission
                    outputs = [{"stream": "stderr", "text": "[salidas recortadas: el notebook mostró más de "
                                                            f"{OUTPUTS_BUDGET >> 20} MB]\n"}]
            job.cells[index] = {"grade_id": job.plan["cells"][index]["grade_id"], "error": redacted(error),
                                "outputs": redacted(outputs) if job.plan.get("outputs") else None}
            job.seconds[str(index)] = round(self.stage_elapsed(), 4)
            if error and error["type"] == "TimeLimit":
                self.lose_hang_time()
            elif self.deadline() >= 0:
                job.finished.add(index)
            self.in_cell = None
            self.begin_stage(None)
        elif k == "ready" and self.in_cell is None and not self.expected:
            self.booted = self.clock.now() if self.booted is None else self.booted
            self.answerer = self.freeze_all_but(channel.integer(message.get("pid"), 1))
            self.phase = "questions"
            self.ask()
        elif k == "sandbox_error" and self.in_cell is None and not job.cells and job.runs == 1:
            # before any student code ran: strict mode on a machine that lacks a layer (the grader's problem)
            job.internal_error = "el sandbox no aplica en este servidor: " + channel.text(str(message.get("missing")), 300)
            job.give_up("skipped")
            self.phase, self.cut = "done", "sandbox"
        else:
            raise channel.Malformed(f"un mensaje «{str(k)[:20]}» fuera de orden")

    def freeze_all_but(self, answerer):
        """Stop every process of the submission but the one that answers (named by its pid in the sandbox):
        threads and processes the cells left running cannot read a question or write an answer. Returns the
        answerer's pid as the grader sees it."""
        if not self.pids or len(self.pids) < 2:
            self.read_control()
        root = self.pids[1] if self.pids and len(self.pids) > 1 else None
        if root is None:
            return None
        tree = descendants(root)
        found = [pid for pid in tree if namespace_pid(pid) == answerer]
        if len(found) != 1 or found[0] == root:  # the cells' own process never answers: only a fork of it does
            raise channel.Malformed("un proceso que responde y no existe")
        frozen = [pid for pid in tree if pid != found[0]]
        for pid in frozen:
            stop(pid)
        stopped(frozen)
        return found[0]

    @staticmethod
    def cell_error(error):
        """A cell's error report, checked: {type, message, where} or None."""
        if error is None:
            return None
        error = channel.mapping(error, {"type": channel.text, "message": channel.text, "where": channel.text})
        return {"type": error.get("type", "Error")[:100], "message": error.get("message", "")[:300],
                "where": error.get("where", "")[:100]}

    def ask(self):
        """Send the current question (or, when the interview is done, the end)."""
        job = self.job
        if job.question is None:
            self.phase = "done"
            self.send_line({"kind": "end"})
            return
        self.reply, self.served = None, 0
        self.begin_stage(f"q:{job.question.kind}")
        self.send_line({"q": job.number, "kind": job.question.kind, "data": job.question.data})

    def apply_question_message(self, k, message):
        job, question = self.job, self.job.question
        if message.get("q") != job.number:
            raise channel.Malformed(f"un mensaje «{str(k)[:20]}» para otra pregunta")
        if k == "answer" and self.reply is None:
            try:
                data = question.validate(message.get("data")) if question.validate else message.get("data")
            except Exception as error:  # a validator's ValueError, or anything the hostile data provoked
                raise channel.Malformed(f"una respuesta inválida ({str(error)[:100]})") from None
            self.reply = Answer(data=redacted(data) if isinstance(data, (dict, list)) else data)
        elif k == "failed" and self.reply is None:
            reason = channel.text(message.get("reason"), 20)
            failure = "timeout" if reason == "timeout" else "error"
            self.reply = Answer(failure=failure, error=redact(channel.text(message.get("error"), 300)))
        elif k == "ended":
            how = message.get("how")
            reply = self.reply or Answer(failure="timeout" if how == "timeout" else "died")
            job.seconds[f"q{job.number}:{question.kind}"] = round(self.stage_elapsed(), 4)
            if reply.failure == "timeout":
                self.lose_hang_time()
                job.failures[f"q:{question.kind}"] = "timeout"
            job.advance(reply)
            self.ask()
        else:
            raise channel.Malformed(f"un mensaje «{str(k)[:20]}» inesperado")

    def serve(self, values):
        """A request during a question that has a server: the grader's own numbers go back."""
        question = self.job.question
        if self.phase != "questions" or question is None or question.serve is None or self.reply is not None:
            raise channel.Malformed("una petición que nadie ofreció")
        self.served += 1
        try:
            result = question.serve(values)
        except Exception as error:  # the server refuses what it cannot serve: the question stops there
            result, reason = None, str(error)[:200]
        else:
            reason = "demasiadas llamadas"
        line = (b"!" + reason.encode()) if result is None else struct.pack(f"<{len(result)}d", *result).hex().encode()
        self.send_raw(line + b"\n")
        self.hot = True  # the child waits for this reply and will ask again at once: read it without the full loop

    def serve_burst(self, seconds=0.005):
        """While the child asks request after request, answer them here for a few milliseconds: a training run is
        thousands of round trips, and the full loop over every child costs more than the answer."""
        until = time.monotonic() + seconds
        while self.hot and not (self.cut or self.ended) and time.monotonic() < until:
            self.hot = False
            spin_until = time.perf_counter() + (SPIN if self.job.plan.get("spin") else 0.0)
            while time.perf_counter() < spin_until and not self.hot:
                self.read_channel()
            if not self.hot and select.select([self.channel], [], [], 0.001)[0]:
                self.read_channel()

    def send_line(self, message):
        self.send_raw((json.dumps(message) + "\n").encode())

    def send_raw(self, data):
        """Queue bytes for the child; written as its pipe takes them (the grader never blocks on a child)."""
        self.outgoing += data
        self.flush()

    def flush(self):
        while self.outgoing:
            try:
                written = os.write(self.questions, self.outgoing)
            except BlockingIOError:
                if len(self.outgoing) > 1 << 20:  # a child that stopped reading while it keeps asking
                    self.violate("peticiones sin leer las respuestas")
                return
            except OSError:  # the child is gone
                self.outgoing = b""
                return
            self.outgoing = self.outgoing[written:]

    # -- ending ------------------------------------------------------------------------------------------------
    def finished(self):
        """The child ended as the protocol says: after the end was sent, its channel closed."""
        return self.ended and self.phase == "done"

    def end(self):
        """Kill the child, and with it its PID namespace; the supervisor then cleans up and exits (see closed)."""
        self.ended_at = time.monotonic()
        if self.pids:
            kill(self.pids[1])
            self.killed = True
        for fd in (self.channel, self.questions):
            try:
                os.close(fd)
            except OSError:
                pass
        self.job.spent += self.own_time() if self.booted is not None else 0.0

    def closed(self):
        """Whether the supervisor has finished, so that every process of the submission is gone: then the
        folder is removed. A supervisor that has not finished 5 s after the end is killed, with its group."""
        self.read_control()
        if self.pids and not self.killed:  # pids that arrived after the end
            kill(self.pids[1])
            self.killed = True
        late = time.monotonic() - self.ended_at > 5
        if not self.supervisor_done and not late:
            return False
        if not self.supervisor_done and self.pids:
            for target in (-self.pids[0], self.pids[0], -self.pids[1]):
                kill(target)
        os.close(self.control_fd)
        shutil.rmtree(self.workdir, ignore_errors=True)
        return True

    def conclude(self):
        """After the run: decide what the submission's next step is. True when the job is complete."""
        job = self.job
        if self.cut == "violation":
            job.give_up("manipulated")
            return True
        if self.cut == "sandbox":
            return True
        if self.finished():
            return True
        reason = self.cut or ("timeout" if self.overran else "died")
        if self.phase == "questions" and job.question is not None:  # the question cost the run
            if reason == "timeout":
                self.lose_hang_time()
            job.failures[f"q:{job.question.kind}"] = reason
            job.advance(Answer(failure=reason))
        elif self.phase == "cells":
            stage = self.in_cell
            if stage is None:
                # No cell was running: the sandbox's own start-up or bookkeeping ended the run (a machine out of
                # memory or CPU). Not the student's doing: try once more, then it is the grader's failure.
                if job.runs < 2:
                    return False
                job.internal_error = job.internal_error or ("el sandbox no pudo correr este notebook en esta "
                                                            "máquina (¿sin memoria o sobrecargada?)")
                job.give_up("skipped")
                return True
            if reason == "timeout":
                self.lose_hang_time()
            job.failures[str(stage)] = reason
            job.skip.add(stage)
            if reason == "timeout" and job.hang_left <= 0:
                # The hang budget is spent: every later cell is left out too, so that the questions are
                # still asked within the submission's total (they come after the cells).
                later = [i for i, cell in enumerate(job.plan["cells"]) if i > stage and i not in job.skip
                         and not cell["grade_id"].startswith("test_")]
                job.skip.update(later)
                for index in later:
                    job.failures.setdefault(str(index), "left_out")
        if job.question is None and self.phase != "cells":
            return True
        if job.runs >= self.limits.attempts + len(job.plan["cells"]) or job.spent >= self.limits.total:
            job.give_up("skipped")
            return True
        return False


def kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def interview_many(items, jobs=1, limits=Limits(), strict=False):
    """Run each (key, plan, interview) in a sandbox, `jobs` at a time; yield (key, observation) as each ends."""
    zygote = shared_zygote()
    if strict and zygote.missing():
        raise SandboxError("modo estricto: el sandbox no aplica " +
                           "; ".join(f"{name} ({why})" for name, why in zygote.missing()))
    pending = deque(Job(key, plan, interview, limits) for key, plan, interview in items)
    running, closing = [], []  # closing: killed attempts whose supervisors are still cleaning up
    while pending or running or closing:
        while pending and len(running) < max(1, jobs):
            job = pending.popleft()
            if not zygote.alive():
                zygote = shared_zygote()
            running.append(Attempt(job, zygote, strict))
        readers = [fd for attempt in running for fd in (attempt.channel, attempt.control_fd)]
        writers = [attempt.questions for attempt in running if attempt.outgoing]
        ready, writable, _ = select.select(readers + [a.control_fd for a in closing], writers, [], POLL)
        closing = [attempt for attempt in closing if not attempt.closed()]
        for attempt in list(running):
            if attempt.control_fd in ready:
                attempt.read_control()
            if attempt.questions in writable:
                attempt.flush()
            if attempt.channel in ready:
                attempt.read_channel()
                attempt.serve_burst()
            attempt.clock.watch(attempt.answerer or (attempt.pids[1] if attempt.pids and len(attempt.pids) > 1 else None),
                                grader=attempt.phase == "questions")
            attempt.overran = attempt.deadline() < 0
            over_wall = time.monotonic() - attempt.job.wall_started > limits.wall
            if not (attempt.ended or attempt.cut or attempt.overran or over_wall):
                continue
            running.remove(attempt)
            attempt.end()
            closing.append(attempt)
            job = attempt.job
            if over_wall and not attempt.finished():
                job.internal_error = "la máquina estuvo demasiado cargada para terminar esta corrección"
                job.give_up("skipped")
                yield job.key, job.observation()
            elif attempt.conclude():
                yield job.key, job.observation()
            else:
                pending.appendleft(job)


def interview(plan, questions, limits=Limits()):
    """Run one plan with one interview in a sandbox and return its observation."""
    return next(interview_many([(0, plan, questions)], 1, limits))[1]
