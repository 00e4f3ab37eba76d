"""sandbox.confinement: the layers this machine enforces, the seccomp filter's decisions, and grading on a
machine that lacks a layer (warned, still graded; refused with --strict). The attacks themselves are in
tests/attacks/test_sandbox.py."""
import errno
import json
import os
import shutil
import struct
import subprocess
import sys

import pytest

from autograder.sandbox import confinement
from conftest import ROOT, cli, corpus_file

LAYERS = ("filesystem", "network", "signals", "processes", "syscalls", "privileges")


def landlock_abi_here():
    try:
        return confinement.landlock_abi()
    except OSError:
        return 0


def run_filter(program, arch, number, arg0=0):
    """A small classic-BPF interpreter: what the seccomp filter answers for one syscall."""
    accumulator, pc, data = 0, 0, struct.pack("<iIQQ", number, arch, 0, arg0)
    while True:
        code, jump_true, jump_false, k = struct.unpack("HBBI", program[pc * 8:pc * 8 + 8])
        pc += 1
        if code == confinement.RET_K:
            return k
        if code == confinement.LD_W_ABS:
            accumulator = struct.unpack_from("<I", data, k)[0]
        else:
            taken = {confinement.JEQ_K: accumulator == k, confinement.JGE_K: accumulator >= k,
                     confinement.JSET_K: bool(accumulator & k)}[code]
            pc += jump_true if taken else jump_false


@pytest.mark.parametrize("machine", sorted(confinement.SYSCALLS))
def test_the_seccomp_filter_denies_what_it_must_and_nothing_else(machine):
    program = confinement.seccomp_program(machine)
    arch, numbers = confinement.SYSCALLS[machine]
    eperm, allow = confinement.RET_ERRNO | errno.EPERM, confinement.RET_ALLOW
    for name in ("socket", "ptrace", "execve", "io_uring_setup", "unshare", "mount", "process_vm_readv", "bpf"):
        assert run_filter(program, arch, numbers[name]) == eperm, name
    assert run_filter(program, arch, numbers["clone3"]) == confinement.RET_ERRNO | errno.ENOSYS
    assert run_filter(program, arch, numbers["clone"], 0x01200011) == allow  # what fork() asks for
    assert run_filter(program, arch, numbers["clone"], 0x01200011 | 0x20000000) == eperm  # + CLONE_NEWPID
    assert run_filter(program, arch, numbers["prctl"], confinement.PR_SET_PDEATHSIG) == eperm
    assert run_filter(program, arch, numbers["prctl"], 15) == allow  # PR_SET_NAME
    for ordinary in (0, 1, 3, 9, 60, 63):  # read/write/close/mmap-like numbers of either table
        if ordinary not in numbers.values():
            assert run_filter(program, arch, ordinary) == allow
    assert run_filter(program, 0x40000003, numbers["socket"]) == confinement.RET_KILL_PROCESS  # another ABI


def sandbox_report(*, env=None):
    done = subprocess.run([sys.executable, "-m", "autograder", "sandbox"], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(sys.platform != "linux" or landlock_abi_here() < 6, reason="needs Landlock ABI >= 6")
def test_on_a_machine_like_this_one_every_layer_is_active():
    report = sandbox_report()
    assert report.count(" activa ") == len(LAYERS) and "FALTA" not in report, report
    assert "Todas las capas activas." in report
    assert "socket, read kit, read /etc, signal zygote" in report  # what the trial child could not do


def test_a_missing_layer_is_named_and_grading_goes_on_with_one_warning():
    skip = {"AUTOGRADER_SANDBOX_SKIP": "landlock,seccomp"}
    report = sandbox_report(env=skip)
    assert "archivos     FALTA" in report and "switched off by AUTOGRADER_SANDBOX_SKIP" in report
    assert "Faltan" in report
    done = cli("grade", "--json", corpus_file("right_solution.py"), env=skip)
    assert done.returncode == 0 and json.loads(done.stdout)["score"] == 18
    warnings = [line for line in done.stderr.splitlines() if line.startswith("aviso:")]
    assert len(warnings) == 1 and "filesystem" in warnings[0] and "syscalls" in warnings[0]


def test_strict_refuses_to_grade_without_every_layer():
    done = cli("grade", "--strict", "--json", corpus_file("right_solution.py"), env={"AUTOGRADER_SANDBOX_SKIP": "landlock"})
    assert done.returncode == 3 and done.stdout == "" and "estricto" in done.stderr


UNPRIVILEGED = "xorsandbox"


@pytest.fixture(scope="module")
def unprivileged_user(tmp_path_factory):
    """An ordinary user with its own Python (the system's) and numpy + matplotlib, and a copy of the kit."""
    if os.geteuid() != 0 or not shutil.which("useradd") or not os.path.exists("/usr/bin/python3"):
        pytest.skip("needs root, useradd and /usr/bin/python3 to create an unprivileged user")
    subprocess.run(["useradd", "--create-home", UNPRIVILEGED], capture_output=True)
    home = os.path.expanduser(f"~{UNPRIVILEGED}")
    as_user = ["su", UNPRIVILEGED, "-s", "/bin/sh", "-c"]
    venv = f"{home}/venv"
    if not os.path.exists(f"{venv}/bin/python"):
        import matplotlib
        import numpy

        done = subprocess.run([*as_user, f"/usr/bin/python3 -m venv {venv} && {venv}/bin/pip install -q "
                                          f"numpy=={numpy.__version__} matplotlib=={matplotlib.__version__}"],
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.skip(f"no venv for the unprivileged user: {done.stderr[-300:]}")
    kit = f"{home}/kit"
    shutil.rmtree(kit, ignore_errors=True)
    shutil.copytree(ROOT / "autograder", f"{kit}/autograder")
    notebook = f"{home}/right.ipynb"
    shutil.copy(corpus_file("right_solution.py"), notebook)
    subprocess.run(["chown", "-R", UNPRIVILEGED, kit, notebook], check=True)
    return lambda command: subprocess.run([*as_user, f"cd {home} && PYTHONPATH={kit} {venv}/bin/python -m autograder "
                                                     f"{command}"], capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(sys.platform != "linux" or landlock_abi_here() < 6, reason="needs Landlock ABI >= 6")
def test_no_privilege_is_needed(unprivileged_user):
    report = unprivileged_user("sandbox")
    assert "usuario sin privilegios" in report.stdout and report.stdout.count(" activa ") == len(LAYERS), report.stdout
    graded = unprivileged_user("grade --json right.ipynb")
    assert json.loads(graded.stdout)["score"] == 18, graded.stderr


def test_a_pids_cgroup_bounds_its_processes_and_is_removed_after_them():
    try:
        cgroup = confinement.PidsCgroup(8)
    except OSError as error:
        pytest.skip(f"no writable pids cgroup here ({error})")
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # enters the cgroup, then forks until the kernel refuses
        try:
            cgroup.enter()
            forked = 0
            for _ in range(50):
                try:
                    if os.fork() == 0:
                        import time
                        time.sleep(5)
                        os._exit(0)
                    forked += 1
                except OSError:
                    break
            os.write(write_end, str(forked).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    forked = int(os.read(read_end, 100) or b"-1")
    os.waitpid(child, 0)
    with open(os.path.join(cgroup.path, "cgroup.procs")) as handle:  # the sleepers, re-parented: kill them here
        for pid in handle.read().split():
            os.kill(int(pid), 9)
    cgroup.remove()
    assert forked == 7  # 8 tasks in all: the child and 7 of its forks
    assert not os.path.exists(cgroup.path)
