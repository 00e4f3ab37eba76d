"""`grade PATH... --report DIR`: what the class got wrong, at a glance, from the same grading run.

    DIR/index.html          the class: summary, score histogram, pass rate per check, the diagnosed
                            mistakes ranked with a teaching hint, everyone's training curves, the students,
                            the submissions marked as manipulated or to review, the repositories whose
                            grader was modified (`collect`), identical answers
    DIR/cohort.json         the figures behind that page
    DIR/students/<page>     one submission: its checks, its curves against the reference, the numbers behind
                            its failed checks

A batch of several assignments gets one such report per assignment, in DIR/<assignment>/, and an index.
Every page is self-contained (images inline, no script, no network) and in Spanish, like everything the
instructor reads. Ids and pages follow reports/ids.py.
"""
import ast
import json
import statistics
from collections import defaultdict
from pathlib import Path

from .. import assignments
from ..engine.diagnoses import ENGINE_DIAGNOSES
from . import charts
from .ids import page_name, unique_ids

TEMPLATES = Path(__file__).resolve().parent / "templates" / "report"


def normalized_code(source):
    """The parsed code of a cell: comments, blank lines and formatting do not count."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.dump(ast.parse("\n".join(lines)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "".join(source.split())


def answer_key(submission, spec):
    """What a student wrote in the answer cells, as parsed code."""
    return tuple(normalized_code(submission.cell_source(grade_id)) for grade_id in spec.answer_cells)


def release_key(spec):
    """The answer key of the untouched release (students who changed nothing are not 'identical answers')."""
    from ..engine.grading import locked_release
    from ..engine.submission import Cell, Submission

    cells = tuple(Cell(source, grade_id, locked) for grade_id, source, locked in locked_release(spec.name))
    return answer_key(Submission("<release>", cells), spec) if cells else None


def identical_groups(ids, results, spec):
    """Groups (of 2 or more ids) whose answer cells are the same parsed code."""
    blank, groups = release_key(spec), defaultdict(list)
    for student, result in zip(ids, results):
        if result.submission is not None:
            key = answer_key(result.submission, spec)
            if key != blank:
                groups[key].append(student)
    return sorted((sorted(group) for group in groups.values() if len(group) > 1), key=lambda g: (-len(g), g))


def hints(spec):
    """diagnosis -> the instructor's one-line hint, from the assignment's table and the engine's."""
    return {code: diagnosis.hint for code, diagnosis in {**ENGINE_DIAGNOSES, **spec.diagnoses}.items()}


def summarize(results, spec, ids=None):
    """The figures of one assignment's class (cohort.json), plus what the pages need beside them."""
    ids = ids or unique_ids([r.path for r in results])
    order = [check.name for check in spec.checks]
    graded = [(student, result) for student, result in zip(ids, results) if not result.error]
    scores = {student: result.score for student, result in graded}
    checks = {name: {"passed": 0, "failed": 0} for name in order}
    mistakes = defaultdict(list)
    for student, result in graded:
        for check in result.checks:
            checks[check.name]["passed" if check.score == check.max_score else "failed"] += 1
            if check.score < check.max_score and check.diagnosis:
                mistakes[(check.name, check.diagnosis)].append(student)
    ranked = sorted(mistakes.items(), key=lambda item: (-len(item[1]), order.index(item[0][0]), item[0][1]))
    by_code = defaultdict(lambda: {"students": set(), "checks": []})
    for (name, code), students in ranked:
        by_code[code]["students"].update(students)
        by_code[code]["checks"].append(name)
    values = list(scores.values())
    return {
        "assignment": spec.name,
        "title": spec.title,
        "submissions": len(results),
        "graded": len(graded),
        "ungradable": [{"id": student, "error": result.error} for student, result in zip(ids, results) if result.error],
        "max_score": spec.max_score,
        "mean": round(statistics.fmean(values), 2) if values else None,
        "median": statistics.median(values) if values else None,
        "scores": scores,
        "checks": checks,
        "mistakes": [{"check": name, "diagnosis": code, "count": len(students), "students": sorted(students)}
                     for (name, code), students in ranked],
        "identical": identical_groups([s for s, _ in graded], [r for _, r in graded], spec),
        "manipulated": [{"id": student, "what": result.violations[0]} for student, result in zip(ids, results)
                        if result.violations],
        # Repositories whose grader, workflows or requirements the student edited (`collect`): their CI's verdict
        # was theirs to fake; the points are this run's.
        "modified": [{"id": student, "files": result.modified_files} for student, result in zip(ids, results)
                     if result.modified_files],
        "review": [{"id": student, "codes": sorted({f.code for f in result.review}), "what": result.review[0].text}
                   for student, result in zip(ids, results) if result.review],
        "internal_errors": [{"id": student, "error": result.internal_error} for student, result in zip(ids, results)
                            if result.internal_error],
        # The same mistakes by diagnosis: how many students made each, in which checks (what the page ranks).
        "diagnoses": sorted(({"diagnosis": code, "count": len(found["students"]), "students": sorted(found["students"]),
                              "checks": sorted(found["checks"], key=order.index)}
                             for code, found in by_code.items()),
                            key=lambda d: (-d["count"], d["diagnosis"] in spec.not_attempted, d["diagnosis"])),
    }


def short_checks(names):
    """Check names, short: a group of more than three checks with one prefix is counted (e.g. 'derivada: 9 chequeos')."""
    groups = defaultdict(list)
    for name in names:
        prefix, _, rest = name.partition(":")
        groups[prefix].append(rest or prefix)
    parts = [f"{prefix}: {len(rests)} chequeos" if len(rests) > 3 else f"{prefix}: {', '.join(rests)}"
             for prefix, rests in groups.items()]
    return "; ".join(parts)


def environment():
    """The Jinja2 environment of the report's templates (autoescaping on: ids and feedback are untrusted text)."""
    import jinja2

    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                   trim_blocks=True, lstrip_blocks=True)
    templates.globals["short_checks"] = short_checks
    return templates


def write_report(results, folder, ids=None):
    """Write the report of a grading run (one per assignment when several); return the figures (a dict for
    one assignment, {assignment: figures} for several). ids: the students' ids (reports/ids.py), when the
    caller already gave them elsewhere (the CSV, the JSON); else computed here by the same rule."""
    folder = Path(folder)
    ids = ids or unique_ids([result.path for result in results])
    by_assignment = defaultdict(list)
    for result, student in zip(results, ids):
        by_assignment[result.assignment].append((result, student))
    names = [name for name in assignments.names() if name in by_assignment]
    if len(names) <= 1:
        spec = assignments.get(names[0] if names else assignments.DEFAULT)
        return write_one(results, folder, spec, ids)
    figures = {name: write_one([r for r, _ in by_assignment[name]], folder / name, assignments.get(name),
                               [s for _, s in by_assignment[name]]) for name in names}
    page = environment().get_template("batch.html.j2").render(figures=figures)
    write_page(folder / "index.html", page)
    return figures


def write_page(path, text):
    """Write a page or cohort.json; a file name's undecodable bytes are written out (\\udcff), never a crash."""
    path.write_text(text, encoding="utf-8", errors="backslashreplace")


def write_one(results, folder, spec, ids):
    """index.html, cohort.json and students/<page> for one assignment's results."""
    (folder / "students").mkdir(parents=True, exist_ok=True)
    figures = summarize(results, spec, ids)
    write_page(folder / "cohort.json", json.dumps(figures, ensure_ascii=False, indent=1))
    templates = environment()
    rows = []
    for student, result in zip(ids, results):
        own, corrected = result.curves()
        png = spec.chart(own, corrected) if spec.chart else None
        failing = [c for c in result.checks if c.score < c.max_score]
        rows.append({"id": student, "page": f"students/{page_name(student)}", "score": result.score,
                     "error": result.error, "failing": [c.name for c in failing], "manipulated": result.manipulated,
                     "modified": bool(result.modified_files), "review": bool(result.review),
                     "diagnoses": sorted({c.diagnosis for c in failing if c.diagnosis}),
                     "own": own})
        page = templates.get_template("student.html.j2").render(
            student=student, result=result, spec=spec, hints=hints(spec),
            picture=charts.data_uri(png) if png else None, details=[c for c in failing if c.details])
        write_page(folder / "students" / page_name(student), page)
    graded_rows = [row for row in rows if not row["error"]]
    pictures = {
        "histogram": charts.data_uri(charts.score_histogram(figures["scores"].values(), spec.max_score)),
        "checks": charts.data_uri(charts.pass_rates({n: (c["passed"], c["failed"]) for n, c in figures["checks"].items()})),
        "curves": charts.data_uri(spec.class_chart([row["own"] for row in graded_rows if row["own"]]))
        if spec.class_chart else None,
    }
    page = templates.get_template("index.html.j2").render(
        figures=figures, rows=rows, pictures=pictures, hints=hints(spec), spec=spec,
        pages={row["id"]: row["page"] for row in rows})
    write_page(folder / "index.html", page)
    return figures
