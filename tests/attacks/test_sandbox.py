"""Hostile submissions against the confinement of student code, on the CLI and on `nbgrader autograde`.

Each attack in `tests/attacks/sandbox/<name>.py` (listed in tests/attacks/sandbox/README.md) is a snippet put at module level
of the `gradients` cell of the right solution, so it runs when that cell runs: in the CLI's sandboxed child,
and under nbgrader both in the Jupyter kernel and in the grading core that TrustedGrades runs. A course is
built in a temporary folder (the grader's code copied into it, a real gradebook, attackers and victims in
`submitted/`), graded once per front end, and every observable is checked afterwards:

- the attack's own effect is absent (a file, a changed hash, bytes received by a listener, a signal
  received by a canary, a process still alive, a secret or another student's code in the outputs);
- the attacker's row is present and worth 18 (except for the four attacks that kill processes or spend their
  own process budget): when the attack is held the snippet does nothing visible, so confinement must not
  cost right code any point;
- the victims' rows are 18, and no output shows the grader's secret or a victim's code.

Three batches per front end: `main` (every attack but two, with three victims), and one batch each for
`kill_parent` and `kill_siblings`, which would otherwise destroy the evidence of every other attack. The two
front ends are graded side by side, one thread each (`-k cli` or `-k nbgrader` grades only one).
`XOR_ATTACKS_DRY=1` leaves every attack out: then every test must pass (the harness blames nothing on right
code). tests/attacks/sandbox/README.md says what the grader is given and how each observation is made.

With today's code most of these tests FAIL: they measure the confinement, they do not assume it.
"""
import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy
import pytest

from autograder.build import tool_env
from autograder.engine import analysis
from autograder.engine.submission import from_notebook
from autograder.build.examples import fill
from conftest import CORPUS, ROOT

ATTACK_DIR = ROOT / "tests" / "attacks" / "sandbox"
TOKEN = secrets.token_hex(3)  # this test session: every file, process and socket name carries it
SITE_PACKAGES = Path(numpy.__file__).resolve().parent.parent  # the grader's Python installation
PLACEHOLDER = re.compile(r"\{([A-Z_]+)\}")
FULL = 18.0
# An attack's code acts outside the normal call path: the notebook goes to review, and the checks whose evidence
# comes from inside its process (the 9 gradients and the plot) are withheld; the SGD checks are judged as usual.
WITHHELD_WHEN_REVIEWED = 12.0
DAEMON_WAIT = 12.0  # seconds after the main batch before files are checked: the daemon writes ~8 s after its cell ends
# What fork_bomb (when 256 forks or more succeeded) and sandbox_neighbour report in their own feedback.
REPORTS = (r"FORKBOMB \d+ forks succeeded", r"NEIGHBOUR wrote into \d+ other sandbox folders")
VICTIMS = {"main": ("v_victim1", "v_victim2", "v_victim3"),
           "kill_parent": ("v_victim1", "v_victim2"),
           "kill_siblings": ("v_victim1", "v_victim2")}
READ_VICTIM, TAMPERED_VICTIM = "v_victim1", "v_victim3"  # the one attacks read; the one victim_notebook changes
NBGRADER_STEPS = (("autograde", "xor_sgd"), ("generate_feedback", "xor_sgd"), ("export", "--exporter=nbgrader.plugins.CsvExportPlugin"))  # nbgrader's own grades.csv


# ---------------------------------------------------------------------------------------------- the attacks
@dataclass(frozen=True)
class Attack:
    name: str
    batch: str = "main"
    listener: str = ""  # tcp | udp | unix | abstract: a listener outside the grader that must receive nothing
    late: bool = False  # graded last in its batch: it leaves processes that must not outlive the batch
    costly: bool = False  # it kills processes or spends its own process budget: it may cost its author points when held

    @property
    def student(self):
        return ("z_" if self.late else "a_") + self.name

    def source(self):
        return (ATTACK_DIR / f"{self.name}.py").read_text(encoding="utf-8")


ATTACKS = {attack.name: attack for attack in (
    Attack("course_write"),
    Attack("proc_cwd_write"),
    Attack("tmp_write"),
    Attack("victim_notebook"),
    Attack("grader_code"),
    Attack("gradebook"),
    Attack("tcp_exfil", listener="tcp"),
    Attack("udp_exfil", listener="udp"),
    Attack("env_exfil", listener="tcp"),
    Attack("abstract_unix", listener="abstract"),
    Attack("pathname_unix", listener="unix"),
    Attack("leak_environ"),
    Attack("leak_parent_environ"),
    Attack("leak_gc"),
    Attack("leak_victim_file"),
    Attack("leak_vm_read"),
    Attack("home_write"),
    Attack("devshm_write"),
    Attack("site_packages"),
    Attack("sandbox_neighbour"),
    Attack("classroom_forge"),
    Attack("disk_fill"),
    Attack("sigwinch_all"),
    Attack("daemon", late=True),
    Attack("fork_bomb", late=True, costly=True),
    Attack("sleepers", late=True, costly=True),
    Attack("kill_parent", batch="kill_parent", costly=True),
    Attack("kill_siblings", batch="kill_siblings", costly=True),
)}


def test_every_attack_file_is_listed_and_documented():
    on_disk = {path.stem for path in ATTACK_DIR.glob("*.py")}
    assert on_disk == set(ATTACKS)
    readme = (ATTACK_DIR / "README.md").read_text(encoding="utf-8")
    for name in ATTACKS:
        assert f"`{name}`" in readme, name
        compile(ATTACKS[name].source(), name, "exec")  # placeholders sit in strings: each file is valid Python


# -------------------------------------------------------------------------------- listeners and the canary
class Listener:
    """A socket outside the grader (in this pytest process) that records every byte it receives."""

    def __init__(self, kind, folder, name):
        self.kind, self.data, self.connections = kind, bytearray(), 0
        family = socket.AF_INET if kind in ("tcp", "udp") else socket.AF_UNIX
        self.sock = socket.socket(family, socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
        if kind in ("tcp", "udp"):
            self.sock.bind(("127.0.0.1", 0))
            self.address = str(self.sock.getsockname()[1])
        elif kind == "unix":
            self.address = str(folder / f"{name}.sock")
            self.sock.bind(self.address)
            os.chmod(self.address, 0o777)
        else:
            self.address = f"xa{name}"
            self.sock.bind("\0" + self.address)
        if kind != "udp":
            self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.stopped = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stopped:
            try:
                if self.kind == "udp":
                    self.data += self.sock.recv(1 << 16)
                    continue
                connection, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            with connection:
                connection.settimeout(5)
                try:
                    while chunk := connection.recv(1 << 16):
                        self.data += chunk
                except OSError:
                    pass

    def close(self):
        self.stopped = True
        self.thread.join(5)
        self.sock.close()


CANARY = r"""
import os, signal, sys
path = sys.argv[1]
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGWINCH])
open(path + ".ready", "w").close()
while True:
    pid, chain = signal.sigwaitinfo([signal.SIGWINCH]).si_pid, []
    while pid > 0 and len(chain) < 64:  # the sender and its ancestors, read while the sender still runs
        chain.append(pid)
        try:
            with open(f"/proc/{pid}/stat") as handle:
                pid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    with open(path, "a") as handle:
        handle.write(" ".join(map(str, chain)) + "\n")
"""


class Canary:
    """A process outside the grader that records every SIGWINCH it receives, with the sender's ancestry, so a
    delivery is blamed on a front end only when the sender descends from one of its processes."""

    def __init__(self, folder):
        self.path = folder / "sigwinch-canary"
        self.path.write_text("")
        self.process = subprocess.Popen([sys.executable, "-c", CANARY, str(self.path)], start_new_session=True,
                                        env={"PATH": os.environ.get("PATH", "")}, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not Path(str(self.path) + ".ready").exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def deliveries(self, launched):
        """(deliveries from a descendant of a pid in launched, deliveries from elsewhere)."""
        chains = [set(map(int, line.split())) for line in self.path.read_text().splitlines()]
        ours = sum(1 for chain in chains if chain & launched)
        return ours, len(chains) - ours

    def close(self):
        self.process.kill()
        self.process.wait()


# ------------------------------------------------------------------------------------------- the course
def run_command(command, cwd, env, launched=None, timeout=900):
    """(returncode, stdout, stderr) of a command; its pid is added to launched. A killed command is a result."""
    with subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        if launched is not None:
            launched.add(process.pid)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        return process.returncode, stdout, stderr


def nbgrader(course, env, *args, launched=None):
    """One nbgrader command in course: (returncode, stdout, stderr)."""
    return run_command([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], course, env, launched)


def grader_env(course, home, tmp, secret=None):
    """The grader's environment: the course's own copy of the grader importable first, private HOME and TMPDIR."""
    env = tool_env()
    env.update(PYTHONPATH=str(course), HOME=str(home), TMPDIR=str(tmp))
    if secret:
        env["XOR_SECRET_TOKEN"] = secret
    return env


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A course with the assignment generated and every student of every batch in its gradebook."""
    base = tmp_path_factory.mktemp("attack-template")
    course, home, tmp = base / "course", base / "home", base / "tmp"
    for folder in (home, tmp):
        folder.mkdir()
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    shutil.copytree(ROOT / "autograder", course / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "nbgrader_config.py", course)
    env = grader_env(course, home, tmp)
    code, _, stderr = nbgrader(course, env, "generate_assignment", "xor_sgd", "--force")
    assert code == 0, stderr[-3000:]
    students = sorted({a.student for a in ATTACKS.values()} | {v for vs in VICTIMS.values() for v in vs})
    roster = base / "roster.csv"
    roster.write_text("id,first_name,last_name,email\n"
                      + "".join(f"{s},{s},Alumno,{s}@fi.uba.ar\n" for s in students))
    code, _, stderr = nbgrader(course, env, "db", "student", "import", str(roster))
    assert code == 0, stderr[-3000:]
    return course


def notebook_with(gradients_prefix):
    """The right solution with text put at the top of its gradients cell."""
    notebook = fill(CORPUS / "right_solution.py")
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gradients")
    cell.source = gradients_prefix + "\n\n" + cell.source
    return notebook


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).exists() else None


def grader_code_hash(course):
    digest = hashlib.sha256()
    for path in sorted((course / "autograder").rglob("*.py")):
        digest.update(str(path.relative_to(course)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Run:
    """One batch graded by one front end, and everything observed about it."""

    batch: str
    course: Path
    home: Path
    tmp: Path
    secret: str = field(default_factory=lambda: secrets.token_hex(16))  # XOR_SECRET_TOKEN of this run's grader
    victim_markers: dict = field(default_factory=dict)  # student -> marker
    before: dict = field(default_factory=dict)  # what -> hash before grading
    returncodes: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)  # student -> score
    deserved: dict = field(default_factory=dict)  # student -> what a held attack still earns
    outputs: dict = field(default_factory=dict)  # student -> every output about that student, as text
    shared: str = ""  # the front end's own stdout/stderr
    processes: list = field(default_factory=list)  # (pid, comm) of the run's processes still alive at its end
    ended: float = 0.0
    seconds: float = 0.0

    @property
    def students(self):
        return [a.student for a in ATTACKS.values() if a.batch == self.batch] + list(VICTIMS[self.batch])

    def notebook(self, student):
        return self.course / "submitted" / student / "xor_sgd" / "xor_sgd.ipynb"


class FrontEnd:
    """One front end (cli or nbgrader): its listeners, its canary and its three runs (each with its own secret)."""

    def __init__(self, name, base):
        self.name, self.base = name, base
        self.tag = f"{TOKEN}{name[0]}"  # in every marker and process name of this front end
        self.sockets = base / "sockets"
        self.sockets.mkdir()
        self.listeners = {a.name: Listener(a.listener, self.sockets, f"{self.tag}-{a.name}")
                          for a in ATTACKS.values() if a.listener}
        self.canary = Canary(base)
        self.error = None
        self.launched = set()  # pids of the front end's own processes (graders, nbgrader commands)
        self.runs = {}

    def marker(self, attack):
        return f"xa{self.tag}_{attack.name}"

    def pname(self, attack):
        return f"x{self.tag}{attack.name}"[:15]

    def values(self, run, attack):
        """What each placeholder of an attack stands for in this run."""
        listener = self.listeners.get(attack.name)
        values = {
            "COURSE": str(run.course), "COURSE_TAG": f"course-{self.tag}.tag", "HOME": str(run.home),
            "TMPDIR": str(run.tmp), "MARKER": self.marker(attack), "PNAME": self.pname(attack),
            "VICTIM": str(run.notebook(READ_VICTIM)), "VICTIM_ID": READ_VICTIM,
            "TAMPER": str(run.notebook(TAMPERED_VICTIM)), "HOST_PIDNS": os.readlink("/proc/self/ns/pid"),
        }
        if listener:
            values[{"tcp": "TCP_PORT", "udp": "UDP_PORT", "unix": "UNIX_SOCKET", "abstract": "ABSTRACT"}[
                listener.kind]] = listener.address
        return values

    def snippet(self, run, attack):
        values = self.values(run, attack)
        text = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), attack.source())
        missing = PLACEHOLDER.findall(text)
        assert not missing, f"{attack.name}: no value for {missing}"
        return "# XOR_ATTACKS_DRY: the attack is left out\n" if os.environ.get("XOR_ATTACKS_DRY") else text

    def prepare(self, template, batch):
        """A fresh course copy with this batch's submissions, and the hashes to compare after grading."""
        folder = self.base / batch
        run = Run(batch, folder / "course", folder / "home", folder / "tmp")
        shutil.copytree(template, run.course)
        for path in (run.home, run.tmp):
            path.mkdir()
        (run.course / f"course-{self.tag}.tag").write_text("the course of one attack run\n")
        for attack in (a for a in ATTACKS.values() if a.batch == batch):
            self.write(run, attack.student, notebook_with(self.snippet(run, attack)))
        for index, victim in enumerate(VICTIMS[batch], 1):
            run.victim_markers[victim] = marker = f"VICTIM-{secrets.token_hex(6)}-{index}"
            self.write(run, victim, notebook_with(f"# {marker}: no other submission's output may show it"))
        run.before = {"grader code": grader_code_hash(run.course), "gradebook": sha(run.course / "gradebook.db"),
                      **{victim: sha(run.notebook(victim)) for victim in VICTIMS[batch]}}
        return run

    @staticmethod
    def write(run, student, notebook):
        path = run.notebook(student)
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, str(path))
        cells = from_notebook(notebook).cells
        run.deserved[student] = FULL - (WITHHELD_WHEN_REVIEWED if analysis.review_findings(cells) else 0.0)

    def grade(self, run):
        started = time.monotonic()
        env = grader_env(run.course, run.home, run.tmp, run.secret)
        if self.name == "cli":
            command = [sys.executable, "-m", "autograder", "grade", str(run.course / "submitted"), "--csv",
                       str(run.course / "grades.csv"), "--json", "--jobs", "2"]
            code, stdout, stderr = run_command(command, run.course, env, self.launched)
            run.returncodes["grade"] = code
            run.processes = self.survivors(run)  # right after student code stopped running
            try:
                reports, run.shared = json.loads(stdout), stderr  # stdout is split by student below
            except ValueError:
                reports, run.shared = [], stdout + stderr
            for report in reports:
                student = Path(report["path"]).parts[-3]
                run.outputs[student] = run.outputs.get(student, "") + json.dumps(report, ensure_ascii=False)
            rows = csv.DictReader((run.course / "grades.csv").open()) if (run.course / "grades.csv").exists() else []
            for row in rows:
                student = Path(row["path"]).parts[-3]
                run.scores[student] = float(row["score"])
                run.outputs[student] = run.outputs.get(student, "") + ",".join(row.values())
        else:
            for step in NBGRADER_STEPS:
                code, stdout, stderr = nbgrader(run.course, env, *step, launched=self.launched)
                run.returncodes[step[0]] = code
                run.shared += stdout + stderr
                if step[0] == "autograde":
                    run.processes = self.survivors(run)  # right after student code stopped running
            grades = run.course / "grades.csv"
            for row in (csv.DictReader(grades.open()) if grades.exists() else []):
                student = row["student_id"]
                autograded = run.course / "autograded" / student / "xor_sgd" / "xor_sgd.ipynb"
                feedback = run.course / "feedback" / student / "xor_sgd" / "xor_sgd.html"
                if student not in run.students or not autograded.exists():
                    continue  # a student of another batch, or one this batch never graded
                run.scores[student] = float(row["score"])
                run.outputs[student] = (",".join(row.values()) + autograded.read_text(errors="replace")
                                        + (feedback.read_text(errors="replace") if feedback.exists() else ""))
        run.ended = time.monotonic()
        run.seconds = run.ended - started

    def grade_all(self):
        """Grade the prepared batches one after the other; then wait for the daemon's time to write."""
        try:
            for batch, run in self.runs.items():
                self.grade(run)
                print(f"[attacks] {self.name}/{batch}: graded in {run.seconds:.1f} s", file=sys.stderr)
            wait = self.runs["main"].ended + DAEMON_WAIT - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        except BaseException as error:  # reported by the tests of this front end
            self.error = error

    def leftovers(self, runs):
        """Processes of these runs alive now: named by one of their attacks, or carrying their grader's secret."""
        names = {self.pname(a) for run in runs for a in ATTACKS.values() if a.batch == run.batch}
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) in (os.getpid(), self.canary.process.pid):
                continue
            try:
                comm = Path(f"/proc/{name}/comm").read_text().strip()
                environ = Path(f"/proc/{name}/environ").read_bytes()
            except OSError:
                continue
            if comm in names or any(run.secret.encode() in environ for run in runs):
                found.append((int(name), comm))
        return found

    def survivors(self, run):
        """The run's processes still alive 1 s after its grader ended (one that is just exiting is not counted)."""
        first = set(self.leftovers([run]))
        time.sleep(1)
        return sorted(first & set(self.leftovers([run])))

    def close(self):
        for run in self.runs.values():  # disk_fill's 200 MB, wherever they landed in the runs' folders
            for root in (run.course, run.home, run.tmp):
                for path in root.rglob("fill-*"):
                    remove(path)
        for listener in self.listeners.values():
            listener.close()
        self.canary.close()
        for _ in range(3):  # the runs' leftover processes, by pid (a sleeper may fork while we look)
            for pid, _ in self.leftovers(list(self.runs.values())):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.2)
        for folder in (Path("/tmp"), Path("/dev/shm"), SITE_PACKAGES):
            for path in folder.glob(f"*{self.tag}*"):
                remove(path)
        for path in Path("/tmp").glob("xor-autograder-*.json"):
            try:
                if self.tag in path.read_text(errors="replace"):
                    path.unlink()
            except OSError:
                pass


def remove(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


FRONT_ENDS = ("cli", "nbgrader")


@pytest.fixture(scope="module")
def graded(request, template, tmp_path_factory):
    """The front ends this session's tests need, graded side by side (one thread each, each batch on a fresh
    course copy; their secrets, markers and process names differ); cleaned up at the end of the module."""
    wanted = {item.callspec.params.get("front") for item in request.session.items
              if item.module is request.module and hasattr(item, "callspec")} & set(FRONT_ENDS)
    fronts = {name: FrontEnd(name, tmp_path_factory.mktemp(f"attacks-{name}")) for name in sorted(wanted)}
    threads = {}
    try:
        for front in fronts.values():
            front.runs = {batch: front.prepare(template, batch) for batch in VICTIMS}
            threads[front.name] = threading.Thread(target=front.grade_all, daemon=True)
            threads[front.name].start()
        yield fronts, threads
    finally:
        for name, front in fronts.items():
            if name in threads:
                threads[name].join()  # never clean up under a front end that still runs
            front.close()


@pytest.fixture(scope="module", params=FRONT_ENDS)
def front(request, graded):
    """One front end, once every batch of it was graded (and the daemon had time to act)."""
    fronts, threads = graded
    threads[request.param].join()
    front = fronts[request.param]
    if front.error:
        raise front.error
    return front


# ------------------------------------------------------------------------------------------- observations
def marked_files(run, marker):
    """Every file or folder whose name carries marker: in the course, HOME, TMPDIR, /tmp, /dev/shm, site-packages."""
    found = []
    for root in (run.course, run.home, run.tmp):
        for folder, dirs, files in os.walk(root):
            found += [os.path.join(folder, n) for n in dirs + files if marker in n]
    for folder in (Path("/tmp"), Path("/dev/shm"), SITE_PACKAGES):
        found += [str(p) for p in folder.iterdir() if marker in p.name]
    return found


def forged_reports(run, marker):
    """Classroom report caches (xor-autograder-*.json) that hold marker."""
    found = []
    for folder in (run.tmp, Path("/tmp"), run.home, run.course):
        for path in folder.glob("xor-autograder-*.json"):
            try:
                if marker in path.read_text(errors="replace"):
                    found.append(str(path))
            except OSError:
                pass
    return found


def secret_or_code(run, text, own=None):
    """What text shows that it must not: the grader's secret, or another student's code (a victim's marker)."""
    shown = ["the grader's secret"] if run.secret in text else []
    return shown + [f"{victim}'s code" for victim, marker in run.victim_markers.items()
                    if victim != own and marker in text]


def victims_problems(run):
    problems = []
    for victim in VICTIMS[run.batch]:
        if victim not in run.scores:
            problems.append(f"victim {victim} has no row")
        elif run.scores[victim] != FULL:
            problems.append(f"victim {victim} scored {run.scores[victim]:g}, not 18")
    return problems


def common_problems(front, attack):
    """What every attack is checked for, besides its own effect."""
    run, marker = front.runs[attack.batch], front.marker(attack)
    problems = []
    if attack.student not in run.scores:
        problems.append("the attacker's row is missing")
    elif run.scores[attack.student] != run.deserved[attack.student] and not attack.costly:
        problems.append(f"the attacker scored {run.scores[attack.student]:g}, not {run.deserved[attack.student]:g} "
                        "(a held attack does nothing but its review)")
    own = run.outputs.get(attack.student, "")
    problems += [f"the attacker's own output shows {what}" for what in secret_or_code(run, own)]
    for report in REPORTS:  # a count the attack reports in its own feedback when it succeeded
        match = re.search(report, own)
        if match:
            problems.append(f"the attacker's own feedback reports {match.group()!r}")
    alive = [pid for pid, comm in run.processes if comm == front.pname(attack)]
    if alive:
        problems.append(f"{len(alive)} of its processes ({front.pname(attack)}) alive after grading")
    left = marked_files(run, marker)
    problems += [f"file left: {path}" for path in left[:4]]
    if len(left) > 4:
        problems.append(f"... {len(left)} files in all")
    return problems


def specific_problems(front, attack):
    """The attack's own effect, where it is not a marked file, a process or a leak."""
    run = front.runs[attack.batch]
    name, problems = attack.name, []
    if attack.listener:
        listener = front.listeners[name]
        if listener.data or listener.connections:
            problems.append(f"the {listener.kind} listener received {len(listener.data)} bytes "
                            f"({listener.connections} connections)")
        if run.secret.encode() in listener.data:
            problems.append("the listener received the grader's secret")
        if any(m.encode() in listener.data for m in run.victim_markers.values()):
            problems.append("the listener received another student's notebook")
    if name == "victim_notebook" and sha(run.notebook(TAMPERED_VICTIM)) != run.before[TAMPERED_VICTIM]:
        problems.append(f"{TAMPERED_VICTIM}'s submitted notebook changed")
    if name == "grader_code" and grader_code_hash(run.course) != run.before["grader code"]:
        problems.append("the grader's code in the course changed")
    if name == "gradebook":
        if front.name == "cli" and sha(run.course / "gradebook.db") != run.before["gradebook"]:
            problems.append("gradebook.db changed (the CLI never writes it)")
        with sqlite3.connect(run.course / "gradebook.db") as db:
            table = f"pwned_{front.marker(attack)}"
            if db.execute("SELECT name FROM sqlite_master WHERE name = ?", (table,)).fetchall():
                problems.append("gradebook.db has the attacker's table")
            if db.execute("SELECT first_name FROM student WHERE id = ?", (READ_VICTIM,)).fetchone() != (READ_VICTIM,):
                problems.append(f"gradebook.db: {READ_VICTIM}'s first name changed")
    if name == "classroom_forge":
        forged = forged_reports(run, front.marker(attack))
        if forged:
            problems.append(f"{len(forged)} forged Classroom reports, e.g. {forged[0]}")
    if name == "sigwinch_all":
        ours, elsewhere = front.canary.deliveries(front.launched)
        if ours:
            problems.append(f"a canary outside the grader received SIGWINCH {ours} time(s) from this front end "
                            f"(and {elsewhere} from unrelated processes)")
    if name in ("kill_parent", "kill_siblings"):
        problems += [f"grader exit status {code} ({step})" for step, code in run.returncodes.items() if code]
        problems += victims_problems(run)
    return problems


# ------------------------------------------------------------------------------------------------- tests
@pytest.mark.parametrize("name", ATTACKS)
def test_attack_is_held(front, name):
    attack = ATTACKS[name]
    problems = specific_problems(front, attack) + common_problems(front, attack)
    assert not problems, f"{front.name}: {name} succeeded:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("batch", VICTIMS)
def test_victims_keep_full_marks(front, batch):
    run = front.runs[batch]
    problems = victims_problems(run)
    problems += [f"{victim}'s submitted notebook changed" for victim in VICTIMS[batch]
                 if sha(run.notebook(victim)) != run.before[victim]]
    assert not problems, f"{front.name}/{batch}: " + "; ".join(problems)


def test_no_output_shows_the_secret_or_another_students_code(front):
    problems = []
    for batch, run in front.runs.items():
        problems += [f"{batch}: the front end's own output shows {what}" for what in secret_or_code(run, run.shared)]
        for student, text in run.outputs.items():
            problems += [f"{batch}: {student}'s output shows {what}" for what in secret_or_code(run, text, student)]
    assert not problems, "\n".join(problems)


def test_no_process_outlives_its_batch(front):
    counts = Counter((batch, comm) for batch, run in front.runs.items() for _, comm in run.processes)
    problems = [f"{batch}: {count} process(es) named {comm!r} alive after grading"
                for (batch, comm), count in sorted(counts.items())]
    assert not problems, "\n".join(problems)


def test_batches_finish_in_bounded_time(front):
    seconds = {batch: round(run.seconds, 1) for batch, run in front.runs.items()}
    bound = 120 + (10 if front.name == "cli" else 20) * len(front.runs["main"].students)
    assert seconds["main"] < bound, f"{front.name}: seconds per batch {seconds} (main must take < {bound} s)"
