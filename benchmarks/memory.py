"""The grader's peak memory for a batch, with submissions that try to make it grow.

    python benchmarks/memory.py [--copies 4] [--jobs 2]

A batch of right solutions and memory bombs, graded with `python -m autograder grade --jobs N`; the peak
resident memory (VmHWM) of each grader process (the CLI and its pool workers: not the sandboxed children,
which have their own limits) is read from /proc while it runs. The bombs:

- line:    writes one 30 MB line with no newline on the report channel (the line limit is 24 MB);
- flood:   writes 200 MB of short forged lines;
- outputs: prints 100 MB and shows 50 large figures in every cell it can;
- trace:   trains 20,000 epochs in the plot cell (the recorder keeps 50,000 calls: the largest answer);
- lines:   plots 50 lines of 100,000 points each.

The bound it checks (and prints): each grader process stays under its baseline plus, per submission being
graded, the line limit, a read chunk and the largest answer it may accept (Limits.line + 1 MiB + 24 MiB).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.build.examples import fill  # noqa: E402
from autograder.sandbox import Limits  # noqa: E402

BOMBS = {
    "line": "import os\nchunk = b'x' * (1 << 20)\nfor _ in range(30):\n    os.write(3, chunk)\n",
    "flood": "import os\nline = b'{\"k\": \"cell\", \"stage\": 99}\\n' * 4000\nfor _ in range(2000):\n    os.write(3, line)\n",
    "outputs": ("import matplotlib.pyplot as plt\nimport numpy as np\nprint('x' * 100_000_000)\n"
                "for _ in range(50):\n    plt.figure(figsize=(20, 20))\n    plt.plot(np.random.rand(10000))\n"),
    "lines": ("import matplotlib.pyplot as plt\nimport numpy as np\nfig, ax = plt.subplots()\n"
              "for _ in range(50):\n    ax.plot(np.random.rand(100_000))\n"),
}


def notebooks(folder, copies):
    """The batch: right solutions and every bomb, `copies` times."""
    import nbformat

    paths = []
    for copy in range(copies):
        right = fill(ROOT / "tests" / "assignments" / "xor_sgd" / "corpus" / "right_solution.py")
        paths.append(folder / f"right{copy}.ipynb")
        nbformat.write(right, str(paths[-1]))
        for name, source in BOMBS.items():
            notebook = fill(ROOT / "tests" / "assignments" / "xor_sgd" / "corpus" / "right_solution.py")
            cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "plot_mse")
            cell.source = source + "\n" + cell.source
            paths.append(folder / f"{name}{copy}.ipynb")
            nbformat.write(notebook, str(paths[-1]))
        trace = fill(ROOT / "tests" / "assignments" / "xor_sgd" / "corpus" / "right_solution.py")
        cell = next(c for c in trace.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "plot_mse")
        cell.source = cell.source.replace("n_epochs=2000", "n_epochs=20000")
        paths.append(folder / f"trace{copy}.ipynb")
        nbformat.write(trace, str(paths[-1]))
    return paths


def grader_processes(root_pid):
    """The CLI process and its forked pool workers (same command line), not the zygotes and sandboxes."""
    found = [root_pid]
    try:
        children = Path(f"/proc/{root_pid}/task/{root_pid}/children").read_text().split()
    except OSError:
        return found
    command = Path(f"/proc/{root_pid}/cmdline").read_bytes()
    for pid in map(int, children):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes() == command:
                found.append(pid)
        except OSError:
            continue
    return found


def peak(pid):
    """VmHWM of a process, in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = notebooks(folder, args.copies)
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(folder), "--json", "--jobs",
                                    str(args.jobs)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=dict(os.environ, PYTHONPATH=str(ROOT)))
        peaks, done = {}, threading.Event()

        def watch():
            while not done.is_set():
                for pid in grader_processes(process.pid):
                    peaks[pid] = max(peaks.get(pid, 0.0), peak(pid))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        stdout, _ = process.communicate()
        done.set()
        watcher.join()
        seconds = time.monotonic() - started
    results = {Path(r["path"]).stem: r for r in json.loads(stdout)}
    limits = Limits()
    bound = 200 + (limits.line + (1 << 20) + (24 << 20)) / (1 << 20)
    print(f"{len(paths)} notebooks ({args.copies} copies of: a right solution, {', '.join(BOMBS)}, trace), "
          f"--jobs {args.jobs}, {seconds:.0f} s")
    for pid, mib in sorted(peaks.items(), key=lambda item: -item[1]):
        print(f"  grader process {pid}: peak {mib:.0f} MiB")
    print(f"largest grader process: {max(peaks.values()):.0f} MiB (bound: {bound:.0f} MiB = 200 MiB baseline + line "
          f"limit + read chunk + largest answer, per process)")
    for name in sorted(results):
        print(f"  {name}: {results[name]['score']:g}/18" + (" (manipulated)" if results[name]["manipulated"] else ""))
    rights = [r["score"] for name, r in results.items() if name.startswith("right")]
    print(f"right solutions: {rights} (each must be 18); bombs marked manipulated: "
          f"{sorted(name for name, r in results.items() if r['manipulated'])}")
    return 0 if max(peaks.values()) <= bound and all(score == 18 for score in rights) else 1


if __name__ == "__main__":
    sys.exit(main())
