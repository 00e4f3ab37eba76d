"""The grader's side of the sandbox: start the zygote, run each submission in a confined child, enforce time.

`observe_many(plans)` runs several submissions at once and yields each one's observation as it ends.
The grader never forks from its own memory: a child comes from the zygote (zygote.py), a clean process
started before any submission was read, with a fixed environment. The child's messages arrive on a
pipe and are trusted for nothing but the submission's own grade; the supervisor's control pipe says
which processes to kill and, by closing, that every process of the submission is gone.

Time: each stage (a cell, or a probe of gradients/train/plot) has a limit; a hung stage is killed and the
submission is run again without it. All hung stages of one submission share one budget (`Limits.hang`),
so a hang costs its limit once, and `Limits.total` bounds everything a submission may take.
"""
import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import asdict
from pathlib import Path

from .limits import Limits

KIT_PARENT = str(Path(__file__).resolve().parents[2])  # the folder holding the `autograder` package
BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
        "from autograder.sandbox.zygote import serve; serve(int(sys.argv[2]), sys.argv[1])")


class SandboxError(RuntimeError):
    """The sandbox cannot grade here: the zygote did not start, or (strict) a confinement layer is missing."""


def zygote_environment():
    """The zygote's fixed environment: where matplotlib's font cache is, and nothing else of the grader's."""
    environment = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
                   "HOME": os.path.expanduser("~"), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    for name in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "NPY_DISABLE_CPU_FEATURES", "XOR_SANDBOX_SKIP"):
        if name in os.environ:
            environment[name] = os.environ[name]
    return environment


class Zygote:
    """The clean process that forks every sandboxed child; `layers` says what confinement this machine has."""

    def __init__(self, timeout=120.0):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.scratch = tempfile.mkdtemp(prefix="xor-zygote-")
        self.log = os.path.join(self.scratch, "zygote.log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOT, KIT_PARENT, str(theirs.fileno())], pass_fds=(theirs.fileno(),),
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
        """Ask for one supervised child; it gets the two pipe ends in fds."""
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


def new_observation():
    """What the grader learns about one submission; filled from the child's messages."""
    return {"cells": {}, "failures": {}, "gradients": None, "train": None, "plot": None, "probe_errors": {},
            "seconds": {}}


def valid_stage(stage):
    """A stage is a cell index or 'probe:<grade_id>'; anything else in a message is forged and ignored."""
    return (isinstance(stage, int) and not isinstance(stage, bool)) or (isinstance(stage, str) and len(stage) < 100)


class Job:
    """One submission: its plan, and what its attempts so far have cost and shown."""

    def __init__(self, key, plan, limits):
        self.key, self.plan, self.limits = key, plan, limits
        self.skip, self.failures, self.finished = set(), {}, set()  # finished: stages seen to end in time
        self.seen = new_observation()  # what earlier attempts observed before they hung or died
        self.hang_left = limits.hang
        self.started = time.monotonic()

    def expired(self, now):
        return now > self.started + self.limits.total

    def remember(self, observation):
        """Merge an attempt's observation into what was seen: later attempts win. Stages before the one that
        hung run the same way in every attempt, so a re-run cut short by the total keeps their results."""
        for key in ("cells", "probe_errors"):
            self.seen[key] = {**self.seen[key], **observation[key]}
        for key in ("gradients", "train", "plot"):
            self.seen[key] = observation[key] or self.seen[key]
        self.seen["failures"] = dict(self.failures)
        return dict(observation, **{key: self.seen[key] for key in ("cells", "probe_errors", "gradients", "train",
                                                                    "plot", "failures")})


class Attempt:
    """One confined child running one attempt at one submission."""

    def __init__(self, job, zygote, strict):
        self.job, self.limits = job, job.limits
        self.observation = new_observation()
        self.observation["failures"] = dict(job.failures)
        self.buffer, self.received, self.finished, self.ended = b"", 0, False, False
        self.control, self.pids, self.supervisor_done, self.killed = b"", None, False, False
        self.stage, self.stage_started = None, time.monotonic()
        self.workdir = tempfile.mkdtemp(prefix="xor-sandbox-")
        plan = dict(job.plan, skip=sorted(job.skip, key=str), finished=sorted(job.finished, key=str),
                    hang_left=job.hang_left, limits=asdict(self.limits))
        descriptor = os.open(os.path.join(self.workdir, "plan.json"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(plan, handle)
        channel_read, channel_write = os.pipe()
        control_read, control_write = os.pipe()
        request = {"workdir": self.workdir, "limits": asdict(self.limits), "kit_parent": KIT_PARENT, "strict": strict}
        try:
            zygote.fork(request, [channel_write, control_write])
        finally:
            os.close(channel_write)
            os.close(control_write)
        self.channel, self.control_fd = channel_read, control_read
        for fd in (self.channel, self.control_fd):
            os.set_blocking(fd, False)

    def deadline(self):
        """When the current stage must have ended (and never later than the submission's total)."""
        if self.stage is None:
            limit = self.limits.cell  # the child's start-up
        else:
            is_probe = str(self.stage).startswith("probe:")
            limit = self.limits.stage_seconds(is_probe, self.job.hang_left, self.stage in self.job.finished)
            limit += 1.0 if is_probe else 0.0  # the probe's own fork waits a second more before its kill
        # A child that swallowed one alarm will swallow the next: grace only while the hang budget lasts.
        grace = self.limits.grace if self.job.hang_left > 0 else 0.0
        return min(self.stage_started + limit + grace, self.job.started + self.limits.total)

    def read_channel(self):
        """Take what the child wrote; apply every complete JSON line."""
        try:
            data = os.read(self.channel, 1 << 20)
        except BlockingIOError:
            return
        if not data:
            self.ended = True
            return
        self.received += len(data)
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # a forged or torn line is ignored, never trusted
            if isinstance(message, dict):
                self.apply(message)

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
            self.pids = tuple(int(part) for part in self.control.split(b"\n")[0].split()[:2])

    def stage_ended(self):
        """The current stage ended before its deadline: in a re-run it keeps its whole limit. Its duration,
        by the grader's clock, goes into the observation."""
        if self.stage is not None:
            self.observation["seconds"][str(self.stage)] = round(time.monotonic() - self.stage_started, 4)
            if time.monotonic() <= self.deadline():
                self.job.finished.add(self.stage)

    def lose_hang_time(self):
        """The current stage ran out its time: that time comes off the submission's hang budget."""
        self.job.hang_left -= time.monotonic() - self.stage_started

    def apply(self, message):
        """Record one message of the child in the observation."""
        kind, observation = message.get("kind"), self.observation
        if kind == "start" and valid_stage(message.get("stage")):
            self.stage_ended()
            self.stage, self.stage_started = message["stage"], time.monotonic()
        elif kind == "cell" and valid_stage(message.get("stage")):
            error = message.get("error") if isinstance(message.get("error"), dict) else None
            observation["cells"][message["stage"]] = {"grade_id": str(message.get("grade_id")), "error": error,
                                                      "outputs": message.get("outputs")}
            if error and error.get("type") == "TimeLimit":
                self.lose_hang_time()
        elif kind in ("gradients", "train", "plot"):
            observation[kind] = message
        elif kind == "probe_error":
            observation["probe_errors"][str(self.stage)] = str(message.get("error"))[:300]
            if "TimeLimit" in str(message.get("error")):
                self.lose_hang_time()
        elif kind == "sandbox_error":
            observation["sandbox_error"] = str(message.get("missing"))[:300]
            self.finished = True
        elif kind == "done":
            self.stage_ended()
            self.finished = True

    def end(self):
        """Kill the child, and with it its PID namespace; the supervisor then cleans up and exits (see closed)."""
        self.ended_at = time.monotonic()
        if self.pids:
            kill(self.pids[1])
            self.killed = True
        os.close(self.channel)

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


def kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def observe_many(items, jobs=1, limits=Limits(), strict=False):
    """Run each (key, plan) in a sandbox, `jobs` at a time; yield (key, observation) as each ends."""
    zygote = shared_zygote()
    if strict and zygote.missing():
        raise SandboxError("modo estricto: el sandbox no aplica " +
                           "; ".join(f"{name} ({why})" for name, why in zygote.missing()))
    pending = deque(Job(key, plan, limits) for key, plan in items)
    running, closing = [], []  # closing: killed attempts whose supervisors are still cleaning up
    while pending or running or closing:
        while pending and len(running) < max(1, jobs):
            job = pending.popleft()
            running.append(Attempt(job, zygote, strict))
        fds = [fd for attempt in running for fd in (attempt.channel, attempt.control_fd)]
        ready, _, _ = select.select(fds + [attempt.control_fd for attempt in closing], [], [], 0.05)
        closing = [attempt for attempt in closing if not attempt.closed()]
        now = time.monotonic()
        for attempt in list(running):
            if attempt.control_fd in ready:
                attempt.read_control()
            if attempt.channel in ready:
                attempt.read_channel()
            overrun = now > attempt.deadline() or attempt.received > limits.report
            if not (attempt.finished or attempt.ended or overrun):
                continue
            running.remove(attempt)
            attempt.end()
            closing.append(attempt)
            job, observation = attempt.job, attempt.observation
            if attempt.finished:
                yield job.key, job.remember(observation)
                continue
            # The child hung or died inside a stage: remember why, and run again without it.
            stage = attempt.stage
            reason = "output" if attempt.received > limits.report else "timeout" if overrun else "died"
            if reason == "timeout":
                attempt.lose_hang_time()
            job.failures = dict(observation["failures"], **{str(stage): reason})
            job.skip.add(stage)
            merged = job.remember(observation)
            if stage is None or job.expired(time.monotonic()) or len(job.skip) > len(job.plan["cells"]) * 2 + 3:
                yield job.key, merged
                continue
            if not zygote.alive():
                zygote = shared_zygote()
            pending.appendleft(job)


def observe(plan, limits=Limits()):
    """Run one plan in a sandbox and return its observation."""
    return next(observe_many([(0, plan)], 1, limits))[1]
