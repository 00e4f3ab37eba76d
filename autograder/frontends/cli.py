"""Command line: build, grade, check (the student's self-check) and demo."""
import argparse
import csv
import os
import sys
from pathlib import Path

def parser():
    """The argument parser of `python -m autograder`."""
    main = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate every file from the single sources, source/<assignment>.py")
    build.add_argument("--check", action="store_true", help="exit 1 and name the files that are out of date")
    grade = commands.add_parser("grade", help="grade submissions (.ipynb or jupytext .py; folders are searched)")
    grade.add_argument("paths", nargs="+")
    grade.add_argument("--json", action="store_true", help="print JSON (one object for one file)")
    grade.add_argument("--format", choices=("table", "json", "gradescope"), default="table",
                       help="gradescope writes Gradescope's results.json (see --output)")
    grade.add_argument("--output", default="results.json", help="where --format gradescope writes")
    grade.add_argument("--shard", metavar="I/N", type=shard, help="grade only the I-th of N deterministic shares")
    grade.add_argument("--csv", metavar="FILE", help="write one row per submission to FILE")
    grade.add_argument("--moodle", metavar="FILE", help="write a CSV for Moodle's grade import (one grade and one "
                                                        "feedback column per assignment)")
    grade.add_argument("--roster", metavar="CSV", help="with --moodle: nbgrader's roster (id,first_name,last_name,"
                                                       "email), for the email column and the students with no file")
    grade.add_argument("--report", metavar="DIR", help="write the cohort report (index.html, cohort.json, "
                                                      "students/<id>.html) to DIR")
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once")
    grade.add_argument("--strict", action="store_true",
                       help="refuse to grade unless every confinement layer is enforced on this machine")
    grade.add_argument("--assignment", help="grade every notebook as this assignment (default: each notebook's "
                                            "metadata, written by the build)")
    check = commands.add_parser("check", help="the student's self-check (visible points only)")
    check.add_argument("path")
    check.add_argument("--assignment", help="the notebook's assignment (default: its metadata)")
    collect = commands.add_parser("collect", help="copy each student's notebook from their repository into "
                                                  "DIR/<id>/<assignment>/, and list what they edited of its grader")
    collect.add_argument("sources", nargs="+", help="repository URLs or local clones")
    collect.add_argument("--out", required=True, help="where to put the notebooks (nbgrader's submitted/ layout)")
    collect.add_argument("--assignment", default=None, help="the assignment (default: the kit's default)")
    commands.add_parser("demo", help="build, then grade the bundled example submissions")
    commands.add_parser("sandbox", help="which confinement layers this machine enforces on student code")
    merge = commands.add_parser("merge-csv", help="merge the CSVs of several shards into one")
    merge.add_argument("output")
    merge.add_argument("inputs", nargs="+")
    return main


def shard(text):
    """'2/8' -> (2, 8), with 1 <= i <= n."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("use I/N, for example 2/8") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError("I must be between 1 and N")
    return index, count


def unknown_assignment(name):
    """The error line for an --assignment the registry does not know, else '' (None asks for none)."""
    from .. import assignments

    if name is None or name in assignments.names():
        return ""
    return (f"error: asignación desconocida {name!r} (conocidas: {', '.join(assignments.names())}; las de otras "
            f"carpetas se registran con {assignments.PATH_VARIABLE})")


def grade_paths(paths, jobs, hidden=True, share=None, strict=False, assignment=None):
    """Grade every submission under paths (or one shard of them); results in sorted-path order."""
    from ..engine.grading import grade_many
    from ..engine.submission import discover
    from ..reports.text import Progress

    files = discover(paths)
    if share:  # every I-th file of the sorted list: the shards of one folder partition it, whatever N is
        index, count = share
        files = files[index - 1::count]
    progress = Progress(len(files))
    results = [None] * len(files)
    for index, result in grade_many(files, jobs, hidden, strict=strict, assignment=assignment):
        results[index] = result
        progress.step()
    return results


def command_grade(args):
    """`grade`: table, JSON or CSV; exit 2 if some path was not a readable notebook."""
    from ..reports import text as report
    from ..sandbox.runner import SandboxError

    if error := unknown_assignment(args.assignment):  # before any grading: a typo would fail the whole batch
        print(report.printable(error), file=sys.stderr)
        return 2
    missing = [path for path in args.paths if not os.path.exists(path)]
    for path in missing:
        print(f"error: {report.printable(path)}: no existe", file=sys.stderr)
    found = [p for p in args.paths if p not in missing]
    roster = None
    if args.roster:  # read first: a bad roster stops the batch before any grading
        from ..reports import moodle

        try:
            roster = moodle.read_roster(args.roster)
        except (OSError, ValueError, UnicodeDecodeError, csv.Error) as error:
            print(f"error: --roster: {report.printable(error)}", file=sys.stderr)
            return 2
    try:
        results = grade_paths(found, args.jobs, share=args.shard, strict=args.strict, assignment=args.assignment)
    except SandboxError as error:
        print(f"error: {report.printable(error)}", file=sys.stderr)
        return 3
    for result in results:
        if result.error:
            print(f"error: {report.printable(result.error)}", file=sys.stderr)
    ids = batch_ids(found, results)
    if args.csv:
        report.write_csv(results, args.csv, ids)
    if args.moodle:
        from ..reports import moodle

        moodle.write(args.moodle, moodle.columns_of(results, ids), roster)
    if args.report:
        from ..reports.cohort import write_report

        write_report(results, args.report, ids)
    if args.format == "gradescope":
        if len(results) != 1:
            print("error: --format gradescope grades exactly one notebook", file=sys.stderr)
            return 2
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(report.gradescope(results[0]))
    elif args.json or args.format == "json":
        if results:
            print(report.to_json(results, ids))
    else:
        for result in results:
            if not result.error:  # an unreadable file already got its one-line error on stderr
                print(report.table(result) + "\n")
        if len(results) > 1:
            print(report.summary_table(results))
    return 2 if missing or any(result.error for result in results) or not results else 0


def batch_ids(paths, results):
    """Each result's student id (reports/ids.py), decided over the whole batch: every shard of a batch gives a
    student the same id, so the CSV, the JSON and the report agree, and so do merged shards."""
    from ..engine.submission import discover
    from ..reports.ids import student_id, unique_ids

    files = discover(paths)
    ids = dict(zip(files, unique_ids(files)))
    return [ids.get(result.path) or student_id(result.path) for result in results]


def as_paths(argv):
    """The arguments of `grade`/`check` with a file named like an option (`-2+3.ipynb`, `--csv=x.ipynb`, as
    `grade *.ipynb` passes a student's file) made a path (`./-2+3.ipynb`): a name never sets an option."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] not in (["grade"], ["check"]):
        return argv
    from ..engine.submission import SUFFIXES

    return argv[:1] + [f"./{arg}" if arg.startswith("-") and arg.endswith(SUFFIXES) else arg for arg in argv[1:]]


def command_check(args):
    """`check`: the same checks on the visible points only, with a friendly summary."""
    from ..reports import text as report

    if error := unknown_assignment(args.assignment):
        print(report.printable(error), file=sys.stderr)
        return 2
    if not os.path.exists(args.path):
        print(f"error: {report.printable(args.path)}: no existe", file=sys.stderr)
        return 2
    result = grade_paths([args.path], 1, hidden=False, assignment=args.assignment)[0]
    if result.error:
        print(f"error: {report.printable(result.error)}", file=sys.stderr)
        return 2
    print(report.table(result))
    print("\nEsta autoverificación usa solo puntos visibles. La nota final la pone el autograder del curso, "
          "que además prueba puntos aleatorios ocultos.")
    return 0


def command_demo():
    """`demo`: build the kit into a scratch course (the committed files are never rewritten), say whether the
    committed files are that build, then grade its solution, its blank release and the bundled examples."""
    import tempfile

    from .. import assignments, build
    from ..build.examples import write_filled
    from ..reports import text as report

    root = build.ROOT
    if not build.in_repository(root):
        print(build.NOT_A_REPOSITORY.replace("`build`", "`demo`"), file=sys.stderr)
        return 2
    with build.scratch_build(root) as course, tempfile.TemporaryDirectory() as folder:
        stale = build.compare(course, root)
        print("build: los archivos generados del repositorio están al día" if not stale else
              f"build: {len(stale)} archivo(s) generados no están al día (python -m autograder build --check)")
        shown = {}  # graded path -> the path the table shows
        for spec in assignments.every():  # each assignment's solution, blank release and bundled examples
            release = f"release/{spec.name}/{spec.name}.ipynb"
            shown.update({str(course / path): path for path in (f"solutions/{spec.name}.ipynb", release)})
            filled = write_filled([root / path for path in spec.examples], Path(folder) / spec.name, course / release)
            shown.update({str(path): answers for path, answers in zip(filled, spec.examples)})
        results = grade_paths(list(shown), os.cpu_count() or 1)
    for result in results:
        result.path = shown.get(result.path, result.path)
        print(report.table(result) + "\n")
    print(report.summary_table(results))
    return 0


def command_collect(args):
    """`collect`: one line per repository; exit 2 when some could not be collected."""
    from .. import assignments
    from .collect import collect

    assignment = args.assignment or assignments.DEFAULT
    if error := unknown_assignment(assignment):
        print(error, file=sys.stderr)
        return 2
    rows = collect(args.sources, args.out, assignment)
    for row in rows:
        flags = ([f"repositorio modificado: {'; '.join(row['modified_files'])}"] if row.get("modified_files") else []) \
            + ([row["note"]] if row.get("note") else []) + ([f"error: {row['error']}"] if row.get("error") else [])
        print(f"{row['id'] or '?':<24} {row.get('notebook') or '—':<28} {' · '.join(flags) or 'ok'}")
    return 2 if any(row.get("error") for row in rows) else 0


def command_sandbox():
    """`sandbox`: the confinement layers this machine enforces on student code, and why any is missing."""
    from ..sandbox.runner import SandboxError, shared_zygote

    try:
        zygote = shared_zygote()
    except SandboxError as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    print(f"Confinamiento del código de los alumnos en esta máquina ({zygote.system}):")
    for layer, (active, detail) in zygote.layers.items():
        print(f"  {LAYER_NAMES.get(layer, layer):<12} {'activa ' if active else 'FALTA  '} {detail}")
    held = zygote.applied.get("held", {}).get("detail", "")
    print(f"Prueba: un proceso confinado no pudo: {held or 'nada'}.")
    missing = zygote.missing()
    print("Todas las capas activas." if not missing else
          f"Faltan {len(missing)} capa(s): se corrige igual (con un aviso); `grade --strict` se niega a corregir.")
    return 0


LAYER_NAMES = {"filesystem": "archivos", "network": "red", "signals": "señales", "processes": "procesos",
               "syscalls": "syscalls", "privileges": "privilegios"}


def main(argv=None):
    """Entry point; returns the exit status."""
    from ..reports.text import terminal_streams

    terminal_streams()  # nothing a student wrote (a file name, an error) reaches the terminal as a control sequence
    args = parser().parse_args(as_paths(argv))
    if args.command == "build":
        from .. import build

        return build.main(check=args.check)
    if args.command == "grade":
        return command_grade(args)
    if args.command == "check":
        return command_check(args)
    if args.command == "sandbox":
        return command_sandbox()
    if args.command == "collect":
        return command_collect(args)
    if args.command == "merge-csv":
        from ..reports.text import merge_csv

        merge_csv(args.inputs, args.output)
        return 0
    return command_demo()
