"""Running submissions in sandboxed child processes, several at a time, with hard time limits.

The grader process imports numpy and matplotlib once, then forks one child per submission: a fork
costs milliseconds where a fresh interpreter or Jupyter kernel costs a second or more. Each child runs
`probe.Probe` in its own process group, with stdout/stderr sent to /dev/null, memory and file limits,
an empty working directory, and (when the grader runs as root) the `nobody` user, so it can neither
write the course files nor signal the grader. A child that overruns a stage is killed, and the
submission is run again without that stage, so an endless loop costs only the checks that need it.
"""
import json
import os
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402,F401  imported once here so that every fork starts with it

from .probe import Probe  # noqa: E402
from .sandbox_limits import Limits  # noqa: E402

NOBODY = 65534
CHANNEL_FD = 3


def readable_by_others(path):
    """Whether a user with no special rights can read path and every folder above it."""
    path = Path(path).resolve()
    for folder in [path, *path.parents]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        needed = 0o005 if folder.is_dir() else 0o004
        if mode & needed != needed:
            return False
    return True


# A child drops to `nobody` only where `nobody` can still import the standard library and the
# packages: a Python installed under a private home folder (mode 700) could not import `statistics`.
NOBODY_CAN_IMPORT = all(readable_by_others(p) for p in sys.path if p and os.path.isdir(p))


def new_observation():
    """What the grader learns about one submission; filled from the child's messages."""
    return {"cells": {}, "failures": {}, "gradients": None, "train": None, "plot": None, "probe_errors": {}}


class Child:
    """One forked child running one attempt at one submission."""

    def __init__(self, key, plan, limits, skip, failures):
        self.key, self.plan, self.limits, self.skip = key, plan, limits, set(skip)
        self.observation = new_observation()
        self.observation["failures"] = dict(failures)
        self.buffer, self.received, self.finished = b"", 0, False
        self.stage, self.stage_started = None, time.monotonic()
        self.workdir = tempfile.mkdtemp(prefix="autograder-")
        os.chmod(self.workdir, 0o777)
        read_fd, write_fd = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(read_fd)
            _child_main(write_fd, plan, limits, self.skip, self.workdir)
        os.close(write_fd)
        self.fd = read_fd

    def deadline(self):
        """When the current stage must have finished."""
        stage_limit = self.limits.probe + 1.0 if str(self.stage).startswith("probe:") else self.limits.cell
        return self.stage_started + stage_limit + self.limits.grace

    def feed(self, data):
        """Take bytes from the pipe; apply every complete JSON line."""
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

    def apply(self, message):
        """Record one message of the child in the observation."""
        kind, obs = message.get("kind"), self.observation
        if kind == "start":
            self.stage, self.stage_started = message.get("stage"), time.monotonic()
        elif kind == "cell":
            obs["cells"][message.get("stage")] = {"grade_id": message.get("grade_id"), "error": message.get("error")}
        elif kind in ("gradients", "train", "plot"):
            obs[kind] = message
        elif kind == "probe_error":
            obs["probe_errors"][str(self.stage)] = str(message.get("error"))[:300]
        elif kind == "done":
            self.finished = True

    def stop(self):
        """Kill the child's whole process group and reap it."""
        for target in (-self.pid, self.pid):
            try:
                os.kill(target, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _child_main(write_fd, plan, limits, skip, workdir):  # pragma: no cover - runs in the child
    """Lock the child down, then run the probe; never returns."""
    try:
        os.setpgid(0, 0)
        os.dup2(write_fd, CHANNEL_FD)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(CHANNEL_FD + 1, 65536)  # other children's pipes must be out of reach
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails instead of killing
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(workdir)
        os.environ.update(HOME=workdir, MPLCONFIGDIR=workdir, TMPDIR=workdir)
        tempfile.tempdir = workdir
        sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]
        if os.geteuid() == 0 and NOBODY_CAN_IMPORT:
            resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
        Probe(CHANNEL_FD, plan).run(skip)
    finally:
        os._exit(0)


def observe_many(items, jobs=1, limits=Limits()):
    """Run each (key, plan) in a sandbox, `jobs` at a time; yield (key, observation) as each ends."""
    pending = list(items)[::-1]
    running = {}
    while pending or running:
        while pending and len(running) < max(1, jobs):
            key, plan = pending.pop()
            child = Child(key, plan, limits, (), {})
            running[child.fd] = child
        ready, _, _ = select.select(list(running), [], [], 0.05)
        now = time.monotonic()
        for fd in list(running):
            child = running[fd]
            data = b""
            if fd in ready:
                data = os.read(fd, 1 << 20)
                child.feed(data)
            ended = fd in ready and not data
            overrun = now > child.deadline() or child.received > limits.report
            if not (ended or overrun):
                continue
            del running[fd]
            child.stop()
            if child.finished:
                yield child.key, child.observation
                continue
            # The child hung or died inside a stage: remember why, and run again without it.
            stage = child.stage
            reason = "timeout" if now > child.deadline() else ("output" if child.received > limits.report else "died")
            failures = dict(child.observation["failures"], **{str(stage): reason})
            skip = set(child.skip) | {stage}
            if stage is None or len(skip) > len(child.plan["cells"]) * 2 + 3:
                child.observation["failures"] = failures
                yield child.key, child.observation
                continue
            retry = Child(child.key, child.plan, limits, skip, failures)
            running[retry.fd] = retry


def observe(plan, limits=Limits()):
    """Run one plan in a sandbox and return its observation."""
    return next(observe_many([(0, plan)], 1, limits))[1]
