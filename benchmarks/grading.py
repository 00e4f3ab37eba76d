"""Grading speed, measured side by side: the kit against stock nbgrader and the nbclient floor.

    python benchmarks/grading.py [--count 100] [--repeat 3] [--jobs 2] [--skip-nbgrader]

Prints one table of medians:
- floor:       executing one filled notebook with nbclient alone (kernel start + all cells);
- single:      `python -m autograder grade FILE`, a cold process;
- confinement: `grade --jobs 1` on ordinary submissions with every confinement layer on, and with every
               layer switched off (AUTOGRADER_SANDBOX_SKIP): the cost of the layers per submission;
- batch:       `grade --jobs N` on COUNT generated submissions of mixed kinds (about 10% broken, one endless
               loop), without and with `--report` (the cohort report's cost); the kit's `nbgrader autograde` (the notebook runs once, in the sandbox) and stock
               `nbgrader autograde` (nbgrader's own pipeline: each notebook in a Jupyter kernel) on the same
               COUNT, per notebook, with whether the kit's two front ends agree on every score;
- train:       the reference `train` for 2000 epochs;
- memory:      peak resident memory of the batch (largest process), and where the time of one grading goes.
"""
import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from autograder.build import tool_env  # noqa: E402  environment for nbgrader and kernels
from autograder.sandbox import confinement  # noqa: E402

CORPUS = ROOT / "tests" / "assignments" / "xor_sgd" / "corpus"
FILLED = CORPUS / "right_solution.py"
ENDLESS = "hostile_endless_plot.py"
BROKEN = ("hostile_sys_exit_gradients.py", "hostile_syntax_error_train.py", "sgd_raises.py", "wrong_raises.py",
          "hostile_os_exit_train_cell.py")
ALL_LAYERS_OFF = {"AUTOGRADER_SANDBOX_SKIP": "cgroup,namespaces,subreaper,rlimits,no_new_privs,landlock,capabilities,"
                                      "seccomp,nproc"}
STOCK_CONFIG = ('c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = "stock"\n'
                'c.ClearSolutions.code_stub = {"python": "None  # TU CÓDIGO AQUÍ"}\n')


def timed(command, cwd=ROOT, extra_env=None, allowed=(0, 2)):
    """Wall seconds of one command (which must exit with an allowed status)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=dict(tool_env(), **(extra_env or {})), capture_output=True, text=True)
    if done.returncode not in allowed:
        raise RuntimeError(f"{command} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def to_notebook(answers, target):
    """A corpus submission (answers only) filled into the release and written as an .ipynb."""
    import nbformat

    from autograder.build.examples import fill

    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fill(answers), str(target))


def ordinary_names():
    return sorted(p.name for p in CORPUS.glob("*.py") if p.name.startswith(("right_", "wrong_", "sgd_", "plot_", "fd_"))
                  and p.name not in BROKEN and "endless" not in p.name)


def mixed_batch(count):
    """COUNT corpus names: about 10% broken, exactly one endless loop, the rest right or with mistakes."""
    ordinary = ordinary_names()
    names = [ENDLESS]
    names += [BROKEN[i % len(BROKEN)] for i in range(max(0, count // 10 - 1))]
    names += [ordinary[i % len(ordinary)] for i in range(count - len(names))]
    return names[:count]


def floor_seconds(repeat, workdir):
    """nbclient alone: start a kernel and execute the filled notebook."""
    import nbclient

    from autograder.build.examples import fill

    times = []
    for _ in range(repeat):
        notebook = fill(FILLED)
        started = time.perf_counter()
        nbclient.NotebookClient(notebook, kernel_name="python3", timeout=600,
                                resources={"metadata": {"path": str(workdir)}}).execute()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def kernel_start_seconds(repeat):
    """nbclient with an empty notebook: the price of a Jupyter kernel alone."""
    import nbclient
    import nbformat

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        nbclient.NotebookClient(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]),
                                kernel_name="python3").execute()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def train_seconds(repeat):
    """The reference solution's train, 2000 epochs at lr 0.5."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import run_cells

    namespace = run_cells(ROOT / "solutions" / "xor_sgd.ipynb", {"given_data", "given_network", "gradients", "train"})
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        namespace["train"](namespace["X"], namespace["y"], 0.5, 2000, seed=0)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def breakdown(repeat):
    """Where one grading's time goes: imports, reading the source, the sandboxed run of the student's code
    and its questions (the train run's gradient round trips inside), the checks."""
    import_time = statistics.median(timed([sys.executable, "-c", "import autograder.engine.grading"])
                                    for _ in range(repeat))
    from autograder import assignments
    from autograder.engine import grading
    from autograder.engine.submission import load
    from autograder.sandbox.runner import Zygote, interview

    spec = assignments.get("xor_sgd")
    started = time.perf_counter()
    Zygote().close()
    zygote_time = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        to_notebook(FILLED, Path(folder) / "xor_sgd.ipynb")
        path = str(Path(folder) / "xor_sgd.ipynb")
        started = time.perf_counter()
        source = grading.prepare(0, path, None)
        reading = time.perf_counter() - started
    submission = source[0]
    plan = grading.plan_for(submission, "xor_sgd", False, spin=True)
    interview(plan, spec.interview(submission))  # the shared zygote starts here, not in the measurements
    runs, judges, trains = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        observation = interview(plan, spec.interview(submission))
        runs.append(time.perf_counter() - started)
        trains.append(next(v for k, v in observation["seconds"].items() if k.endswith(":train")))
        started = time.perf_counter()
        grading.judged(spec, submission, observation, source[3], source[4])
        judges.append(time.perf_counter() - started)
    return (import_time, zygote_time, reading, statistics.median(runs), statistics.median(trains),
            statistics.median(judges))


def kit_batch(folder, jobs, csv_path, extra_env=None, report=None):
    """Wall seconds and peak RSS (MiB, largest process) of `grade --jobs` on a folder (and --report DIR)."""
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--jobs", str(jobs), "--csv", str(csv_path)]
    command += ["--report", str(report)] if report else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds = timed(command, extra_env=extra_env)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak / 1024


def confinement_cost(scratch, count, repeat):
    """Seconds per submission of `grade --jobs 1` with every layer on and with every layer off."""
    folder = scratch / "ordinary"
    names = ordinary_names()
    for index in range(count):
        to_notebook(CORPUS / names[index % len(names)], folder / f"s{index:03d}.ipynb")
    on = statistics.median(kit_batch(folder, 1, scratch / "on.csv")[0] for _ in range(repeat))
    off = statistics.median(kit_batch(folder, 1, scratch / "off.csv", ALL_LAYERS_OFF)[0] for _ in range(repeat))
    return on / count, off / count


def nbgrader_batch(course, submitted, config_text=None):
    """Wall seconds of `nbgrader autograde` on the same submissions, and the exported scores. config_text: a
    stock nbgrader configuration instead of the kit's."""
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    if config_text:
        (course / "nbgrader_config.py").write_text(config_text)
    else:
        shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    timed([*nbgrader, "generate_assignment", "xor_sgd", "--force", "--log-level=ERROR"], cwd=course)
    shutil.copytree(submitted, course / "submitted")
    # Stock nbgrader exits 1 when a notebook's kernel died (the batch has one that calls os._exit).
    seconds = timed([*nbgrader, "autograde", "xor_sgd", "--log-level=ERROR"], cwd=course, allowed=(0, 1))
    timed([*nbgrader, "export", "--exporter=nbgrader.plugins.CsvExportPlugin", "--log-level=ERROR"], cwd=course)
    rows = csv.DictReader((course / "grades.csv").open())
    return seconds, {row["student_id"]: float(row["score"]) for row in rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        filled = scratch / "filled" / "xor_sgd.ipynb"
        to_notebook(FILLED, filled)
        floor = floor_seconds(args.repeat, scratch)
        single = statistics.median(timed([sys.executable, "-m", "autograder", "grade", str(filled)])
                                   for _ in range(args.repeat))
        rows.append(("floor: nbclient executes one notebook", f"{floor:.2f} s", "1.00×"))
        rows.append(("single: grade one notebook, cold process", f"{single:.2f} s", f"{single / floor:.2f}× floor"))
        confined, unconfined = confinement_cost(scratch, 30, args.repeat)
        rows.append(("confinement: grade --jobs 1, every layer on", f"{confined:.3f} s", "per submission"))
        rows.append(("confinement: grade --jobs 1, every layer off", f"{unconfined:.3f} s",
                     f"layers cost {100 * (confined - unconfined) / unconfined:+.1f}%"))
        submitted = scratch / "submitted"
        names = mixed_batch(args.count)
        for index, name in enumerate(names):
            to_notebook(CORPUS / name, submitted / f"s{index:03d}" / "xor_sgd" / "xor_sgd.ipynb")
        kit_seconds, peak = kit_batch(submitted, args.jobs, scratch / "kit.csv")
        kit_scores = {Path(r["path"]).parts[-3]: float(r["score"]) for r in csv.DictReader((scratch / "kit.csv").open())}
        rows.append((f"batch: grade --jobs {args.jobs}, {args.count} submissions", f"{kit_seconds:.1f} s",
                     f"{kit_seconds / args.count:.2f} s each"))
        with_report = kit_batch(submitted, args.jobs, scratch / "kit2.csv", report=scratch / "report")[0]
        rows.append((f"batch: the same with --report (cohort report)", f"{with_report:.1f} s",
                     f"the report adds {100 * (with_report - kit_seconds) / kit_seconds:+.1f}%"))
        if not args.skip_nbgrader:
            ours, our_scores = nbgrader_batch(scratch / "course", submitted)
            stock, _ = nbgrader_batch(scratch / "stock", submitted, STOCK_CONFIG)
            agree = sum(kit_scores.get(s) == score for s, score in our_scores.items())
            rows.append((f"batch: the kit's nbgrader autograde, {args.count} notebooks", f"{ours:.1f} s",
                         f"{ours / args.count:.2f} s each; agrees with the CLI on {agree}/{len(our_scores)}"))
            rows.append((f"batch: stock nbgrader autograde (kernels), {args.count} notebooks", f"{stock:.1f} s",
                         f"{stock / args.count:.2f} s each"))
            rows.append(("speed-up of the kit's nbgrader over stock nbgrader", f"{stock / ours:.1f}×", ""))
            rows.append(("speed-up of the CLI batch over stock nbgrader", f"{stock / kit_seconds:.1f}×", ""))
        rows.append(("train: reference train, 2000 epochs", f"{train_seconds(args.repeat):.3f} s", ""))
        rows.append(("memory: peak RSS of the batch (largest process)", f"{peak:.0f} MiB", ""))
        imports, zygote, reading, run, train, judge = breakdown(args.repeat)
        rows.append(("time: interpreter + imports (grader)", f"{imports:.2f} s", "once per batch"))
        rows.append(("time: zygote start (imports, warm-up, layer trial)", f"{zygote:.2f} s",
                     "once per grader process"))
        rows.append(("time: Jupyter kernel start (nbclient, 1 cell)", f"{kernel_start_seconds(args.repeat):.2f} s",
                     "avoided"))
        rows.append(("time: reading the notebook and its source (outside the sandbox)", f"{reading:.3f} s",
                     "per submission"))
        rows.append(("time: sandboxed run (fork, confine, cells, questions)", f"{run:.2f} s", "per submission"))
        rows.append(("time: of which the train question (8,000 served gradients)", f"{train:.2f} s",
                     f"{train / 8000 * 1e6:.0f} µs per round trip"))
        rows.append(("time: checks (verdicts from the answers and the grader's logs)", f"{judge:.3f} s",
                     "per submission"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median':>10}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    print(f"\n(medians of {args.repeat} runs where repeated; {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
          f"{confinement.platform_summary()})")


if __name__ == "__main__":
    main()
