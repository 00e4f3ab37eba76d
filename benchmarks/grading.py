"""Grading speed, measured side by side: the kit against nbgrader autograde and the nbclient floor.

    python benchmarks/grading.py [--count 100] [--repeat 3] [--jobs 2] [--skip-nbgrader]

Prints one table of medians:
- floor:  executing one filled notebook with nbclient alone (kernel start + all cells), per submission;
- single: `python -m autograder grade FILE`, a cold process, per submission;
- batch:  `grade --jobs N` on COUNT generated submissions of mixed kinds (about 10% broken, one endless
          loop), against `nbgrader autograde` on the same COUNT, with whether every score agrees;
- train:  the reference `train` for 2000 epochs;
- memory: peak resident memory of the batch (largest process), and where the time of one grading goes.
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

CORPUS = ROOT / "tests" / "corpus"
FILLED = CORPUS / "right_solution.py"
ENDLESS = "hostile_endless_plot.py"
BROKEN = ("hostile_sys_exit_gradients.py", "hostile_syntax_error_train.py", "sgd_raises.py", "wrong_raises.py",
          "hostile_os_exit_train_cell.py")


def timed(command, cwd=ROOT):
    """Wall seconds of one command (which must succeed or exit 2)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=tool_env(), capture_output=True, text=True)
    if done.returncode not in (0, 2):
        raise RuntimeError(f"{command} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def to_notebook(answers, target):
    """A corpus submission (answers only) filled into the release and written as an .ipynb."""
    import nbformat

    from autograder.examples import fill

    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fill(answers), str(target))


def mixed_batch(count):
    """COUNT corpus names: about 10% broken, exactly one endless loop, the rest right or with mistakes."""
    ordinary = sorted(p.name for p in CORPUS.glob("*.py") if p.name.startswith(("right_", "wrong_", "sgd_", "plot_"))
                      and p.name not in BROKEN and "endless" not in p.name)
    names = [ENDLESS]
    names += [BROKEN[i % len(BROKEN)] for i in range(max(0, count // 10 - 1))]
    names += [ordinary[i % len(ordinary)] for i in range(count - len(names))]
    return names[:count]


def floor_seconds(repeat, workdir):
    """nbclient alone: start a kernel and execute the filled notebook."""
    import nbclient

    from autograder.examples import fill

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
    """Where one grading's time goes: imports, the sandboxed run of the student's code, the checks."""
    import_time = statistics.median(timed([sys.executable, "-c", "import autograder.grading, autograder.sandbox"])
                                    for _ in range(repeat))
    from autograder import grading
    from autograder.sandbox import observe
    from autograder.submission import load

    with tempfile.TemporaryDirectory() as folder:
        to_notebook(FILLED, Path(folder) / "xor_sgd.ipynb")
        submission = load(str(Path(folder) / "xor_sgd.ipynb"))
    plan = grading.make_plan(submission)
    runs, judges = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        observation = observe(plan)
        runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        grading.judge(submission, observation)
        judges.append(time.perf_counter() - started)
    return import_time, statistics.median(runs), statistics.median(judges)


def kit_batch(folder, jobs, csv_path):
    """Wall seconds and peak RSS (MiB, largest process) of `grade --jobs` on a folder."""
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--jobs", str(jobs), "--csv", str(csv_path)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds = timed(command)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak / 1024


def nbgrader_batch(course, submitted):
    """Wall seconds of `nbgrader autograde` on the same submissions, and its exported scores."""
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    timed([*nbgrader, "generate_assignment", "xor_sgd", "--force", "--log-level=ERROR"], cwd=course)
    shutil.copytree(submitted, course / "submitted")
    seconds = timed([*nbgrader, "autograde", "xor_sgd", "--log-level=ERROR"], cwd=course)
    timed([*nbgrader, "export", "--log-level=ERROR"], cwd=course)
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
        submitted = scratch / "submitted"
        names = mixed_batch(args.count)
        for index, name in enumerate(names):
            to_notebook(CORPUS / name, submitted / f"s{index:03d}" / "xor_sgd" / "xor_sgd.ipynb")
        kit_seconds, peak = kit_batch(submitted, args.jobs, scratch / "kit.csv")
        kit_scores = {Path(r["path"]).parts[-3]: float(r["score"]) for r in csv.DictReader((scratch / "kit.csv").open())}
        rows.append((f"batch: grade --jobs {args.jobs}, {args.count} submissions", f"{kit_seconds:.1f} s",
                     f"{kit_seconds / args.count:.2f} s each"))
        if not args.skip_nbgrader:
            nb_seconds, nb_scores = nbgrader_batch(scratch / "course", submitted)
            agree = sum(kit_scores.get(s) == score for s, score in nb_scores.items())
            rows.append((f"batch: nbgrader autograde, {args.count} submissions", f"{nb_seconds:.1f} s",
                         f"{nb_seconds / args.count:.2f} s each"))
            rows.append(("batch speed-up over nbgrader", f"{nb_seconds / kit_seconds:.1f}×",
                         f"scores agree on {agree}/{len(nb_scores)}"))
        rows.append(("train: reference train, 2000 epochs", f"{train_seconds(args.repeat):.3f} s", ""))
        rows.append(("memory: peak RSS of the batch (largest process)", f"{peak:.0f} MiB", ""))
        imports, run, judge = breakdown(args.repeat)
        rows.append(("time: interpreter + imports (grader)", f"{imports:.2f} s", ""))
        rows.append(("time: Jupyter kernel start (nbclient, 1 cell)", f"{kernel_start_seconds(args.repeat):.2f} s",
                     "avoided"))
        rows.append(("time: sandboxed run (fork, cells, probes)", f"{run:.2f} s", ""))
        rows.append(("time: checks (verdicts from observations)", f"{judge:.3f} s", ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'median':>10}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    print(f"\n(medians of {args.repeat} runs where repeated; {os.cpu_count()} cores; Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
