"""The zygote: a clean process that forks one confined child per submission.

The grader starts it with a fixed environment (no token, no secret) and before any submission is read,
so its memory holds the kit, numpy and matplotlib and nothing else. It imports those once (a fork then
costs milliseconds where a Jupyter kernel costs a second), probes which confinement layers this machine
has, and then, for each request, forks a supervisor:

    grader ==socket==> zygote --fork--> supervisor --fork--> child (PID 1 of its own namespaces)
                                          |  cgroup, namespaces   `- reads its plan, locks itself down,
                                          `- reports pids, waits,     then runs the cells (probe.Probe)
                                             kills what is left

The child reads its plan from its own private folder: no other submission ever reaches its memory, and
its questions arrive only after its cells have run. The zygote imports each assignment's child module
(cell hooks and question handlers: code that asks, never a reference value) before any submission exists.
"""
import importlib
import io
import json
import os
import signal
import socket
import sys
import tempfile

from . import confinement
from .child import Child, pyplot
from .limits import Limits

CHANNEL_FD, QUESTIONS_FD = 3, 4  # the child's messages to the grader; the grader's questions to the child


def child_environment(workdir):
    """The fixed environment of a child: nothing of the grader's."""
    return {"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir, "MPLCONFIGDIR": workdir,
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def die_with_parent():
    """Get SIGKILL when the parent dies, so nothing outlives the grader."""
    if sys.platform == "linux":
        confinement.LIBC.prctl(confinement.PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def warm_up():
    """Draw one figure to PNG, so every lazy import a child needs (fonts, Pillow) has happened here."""
    figure = pyplot.figure()
    figure.add_subplot().plot([1.0, 2.0])
    figure.savefig(io.BytesIO(), format="png", dpi=100)
    pyplot.close("all")


def forget_the_kit(kit_parent):
    """Drop the grader's modules from the import system, so `import autograder` finds nothing to call."""
    package = __name__.split(".")[0]
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path[:] = [p for p in sys.path if os.path.realpath(p) != os.path.realpath(kit_parent)]
    sys.path_importer_cache.clear()


def run_child(request, chan_fd, questions_fd, readable, limits, applied, cgroup, hooks):
    """The child: take its plan, lock itself down, run the cells, answer questions; never returns."""
    try:
        os.setsid()  # its own session and group: kill(0) and killpg reach nothing of the supervisor's
        os.dup2(chan_fd, CHANNEL_FD)
        os.dup2(questions_fd, QUESTIONS_FD)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(QUESTIONS_FD + 1, 1 << 16)  # the zygote's socket, other children's pipes
        die_with_parent()
        workdir = request["workdir"]
        os.chdir(workdir)
        with open("plan.json", encoding="utf-8") as handle:
            plan = json.load(handle)
        os.unlink("plan.json")
        os.environ.clear()
        os.environ.update(child_environment(workdir))
        tempfile.tempdir = workdir
        confinement.lock_down(workdir, readable, limits, applied, cgroup)
        forget_the_kit(request["kit_parent"])
        missing = [layer for layer, (active, _) in confinement.layers(applied).items() if not active]
        if request.get("strict") and missing:
            os.write(CHANNEL_FD, (json.dumps({"k": "sandbox_error", "missing": missing}) + "\n").encode())
            return
        Child(CHANNEL_FD, QUESTIONS_FD, plan, hooks).run(set(plan.get("skip", ())))
    finally:
        os._exit(0)


def supervise(request, fds, readable, hooks):
    """The supervisor: cgroup and namespaces, fork the child, report both pids, wait, clean up; never returns."""
    chan_fd, ctrl_fd, questions_fd = fds
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        die_with_parent()
        limits = Limits(**request["limits"])
        applied = {}
        cgroup = confinement.supervisor_setup(limits, applied)
        child = os.fork()
        if child == 0:
            os.close(ctrl_fd)
            run_child(request, chan_fd, questions_fd, readable, limits, applied, cgroup, hooks)
        os.close(chan_fd)
        os.close(questions_fd)
        os.write(ctrl_fd, f"{os.getpid()} {child}\n".encode())
        os.waitpid(child, 0)
        if "pid" not in applied["namespaces"]["detail"]:  # without a PID namespace, orphans came to us
            confinement.kill_descendants(os.getpid())
        if cgroup:
            cgroup.remove()
    finally:
        os._exit(0)


def trial(readable, kit_parent):
    """Apply every layer in a throwaway supervisor and child, and check that they hold: what this machine has."""
    read_end, write_end = os.pipe()
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            applied, limits, workdir = {}, Limits(), tempfile.mkdtemp(prefix="autograder-sandbox-trial-")
            cgroup = confinement.supervisor_setup(limits, applied)
            child = os.fork()
            if child == 0:
                confinement.lock_down(workdir, readable, limits, applied, cgroup)
                applied["held"] = {"ok": True, "detail": ", ".join(held_by_trial(kit_parent, zygote))}
                os.write(write_end, json.dumps(applied).encode())
                os._exit(0)
            os.waitpid(child, 0)
            os.rmdir(workdir)
            if cgroup:
                cgroup.remove()
        finally:
            os._exit(0)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, 1 << 16):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(data) if data else {}


def held_by_trial(kit_parent, zygote):
    """Which attacks the trial child could not carry out."""
    held = []
    for name, action in (("socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()),
                         ("read kit", lambda: os.listdir(kit_parent)),
                         ("read /etc", lambda: os.listdir("/etc")),
                         ("signal zygote", lambda: os.kill(zygote, 0))):
        try:
            action()
        except OSError:
            held.append(name)
    return held


def child_modules():
    """Every assignment's child module, by assignment name (imported here, before any submission)."""
    from .. import assignments

    return {name: importlib.import_module(f"{assignments.__name__}.{name}.child") for name in assignments.names()}


def serve(fd, kit_parent):
    """The zygote's loop: one request per message on the socket (with its three pipes), until the grader leaves."""
    channel = socket.socket(fileno=fd)
    die_with_parent()
    hooks = child_modules()
    warm_up()
    site = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)}
    excluded = [] if os.path.realpath(kit_parent) in site or "site-packages" in kit_parent else [kit_parent]
    readable = confinement.python_paths(excluded)
    applied = trial(readable, kit_parent)
    layers = confinement.layers(applied) if applied else {}
    channel.send(json.dumps({"ready": True, "applied": applied, "layers": layers,
                             "system": confinement.platform_summary()}).encode())
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # supervisors are reaped by the kernel
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(channel, 1 << 16, 3)
        except OSError:
            break
        if not message:
            break  # the grader closed the socket: it is done
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            channel.close()
            supervise(request, fds, readable, hooks[request["assignment"]])
        for received in fds:
            os.close(received)
