"""The one grading logic: read, restore the locked cells, read the source, interview in the sandbox, judge.

The command line, the nbgrader preprocessor, the Classroom step and the Classroom 50 autograder all call
`grade_many`. It names no exercise: each submission's assignment (asked for, or written in the notebook's
metadata by the build) says what to ask and how to judge.
"""
import contextlib
import json
import logging
import os
import signal
import threading
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import assignments
from ..sandbox.limits import Limits
from ..sandbox.questions import FAILURE_TEXTS
from . import analysis
from .assignment import Evidence
from .diagnoses import ENGINE_DIAGNOSES
from .submission import SubmissionError, from_notebook, load, release_cells, restore_locked
from .verdict import failed

LIMITS = Limits()
COURSE = Path(__file__).resolve().parents[2]  # the kit's repository, when it runs from one
log = logging.getLogger("autograder")


@dataclass
class Result:
    """The graded checks of one submission, or the reason it could not be read."""

    path: str
    assignment: str
    checks: list = field(default_factory=list)
    error: str = ""  # the file could not be read as a notebook
    evidence: Evidence = field(default=None, repr=False)  # what the grader learned (answers trimmed)
    submission: object = field(default=None, repr=False)  # the code cells that were graded
    restored: list = field(default_factory=list)  # locked cells the student had changed, graded as released
    violations: list = field(default_factory=list)  # what the notebook sent that nobody asked for
    review: list = field(default_factory=list)  # out-of-band constructs in its source (engine.analysis)
    internal_error: str = ""  # the grader's own failure (never the student's)
    collected: dict = None  # what the instructor's `collect` recorded: note, modified_files (or None)

    @property
    def score(self):
        return float(sum(check.score for check in self.checks))

    @property
    def max_score(self):
        return assignments.get(self.assignment).max_score if self.assignment in assignments.names() else 0.0

    @property
    def manipulated(self):
        return bool(self.violations)

    def curves(self):
        """(own, corrected) series for the charts (the assignment's curves, kept when the evidence was trimmed)."""
        return self.evidence.answers.get("curves", (None, None)) if self.evidence is not None else (None, None)

    def as_dict(self):
        """The JSON report: assignment, score, max_score, every check, and the flags an instructor must see."""
        report = {"assignment": self.assignment, "score": self.score, "max_score": self.max_score,
                  "checks": [c.as_dict() for c in self.checks], "manipulated": self.manipulated,
                  "violations": list(self.violations),
                  "review": [{"code": f.code, "cell": f.cell + 1, "line": f.line, "text": f.text} for f in self.review],
                  "restored": list(self.restored)}
        if self.error:
            report["error"] = self.error
        if self.internal_error:
            report["internal_error"] = self.internal_error
        if self.collected is not None:
            report["modified_files"] = self.collected["modified_files"]
            report["collect_note"] = self.collected["note"]
        return report

    @property
    def modified_files(self):
        """The repository's grader and workflow files the student edited (from `collect`), else []."""
        return self.collected["modified_files"] if self.collected else []


def why_unanswered(evidence, answer, grade_id):
    """Why a question about the cell `grade_id` got no usable answer: one Spanish sentence."""
    for index in sorted(evidence.cells):
        cell = evidence.cells[index]
        if cell["grade_id"] == grade_id and cell["error"]:
            error = cell["error"]
            place = f" ({error['where']})" if error.get("where") else ""
            # a run-time error's message already names its type ("ZeroDivisionError: …"); a SyntaxError's does not
            what = error["message"] if error["message"].startswith(error["type"]) else \
                f"{error['type']}: {error['message']}"
            return f"la celda '{grade_id}' falló: {what}{place}"
    for index, cell_id in enumerate(evidence.grade_ids):
        if cell_id == grade_id and str(index) in evidence.failures:
            return (f"la celda '{grade_id}' {FAILURE_TEXTS.get(evidence.failures[str(index)], 'falló')}; se corrigió el "
                    "resto del notebook sin ella")
    if answer.failure and answer.failure != "skipped":
        text = FAILURE_TEXTS.get(answer.failure, answer.failure)
        return f"{text}: {answer.error}" if answer.error else text
    if answer.failure == "error":
        return answer.error or "falló"
    for stage, reason in evidence.failures.items():
        if stage.isdigit():
            return f"la celda {int(stage) + 1} {FAILURE_TEXTS.get(reason, reason)}; no se llegó a preguntar"
    if grade_id not in evidence.grade_ids:
        return f"el notebook no tiene la celda '{grade_id}'"
    return FAILURE_TEXTS.get(answer.failure, "no se pudo evaluar")


def all_failed(spec, text, code):
    """Every check of the assignment failed, with one reason."""
    return [failed(check.name, check.points, text, diagnosis=code) for check in spec.checks]


def unreadable(path, message, name=assignments.DEFAULT):
    """A result for a file that is not a notebook: every check at 0, with the reason."""
    spec = assignments.get(name)
    return Result(path, name, all_failed(spec, ENGINE_DIAGNOSES["unreadable"].student + ".", "unreadable"), message)


@lru_cache(maxsize=None)
def locked_release(name):
    """The release's code cells of an assignment [(grade_id, source, locked)]: shipped with the package (the
    build writes them there, so an installed kit has them), else read from the course's release notebook."""
    shipped = Path(assignments.__file__).parent / name / "release_cells.json"
    if shipped.exists():
        return [tuple(cell) for cell in json.loads(shipped.read_text(encoding="utf-8"))]
    notebook = COURSE / "release" / name / f"{name}.ipynb"
    return release_cells(load(str(notebook))) if notebook.exists() else []


def choose(submission, asked):
    """The assignment of a submission: the one asked for, else the notebook's metadata, else the default."""
    name = asked or submission.assignment or assignments.DEFAULT
    if name not in assignments.names():
        raise SubmissionError(f"{submission.path}: asignación desconocida «{name[:60]}» "
                              f"(conocidas: {', '.join(assignments.names())})")
    return name


def plan_for(submission, name, outputs, spin=False):
    """What the sandbox runs for one submission: its cells (no question: those come after the cells). With
    spin, grader and child wait awake for each other's replies during a question's round trips: faster when
    there are idle cores for both, slower when they would take a core from another sandbox."""
    # nbgrader's test cells never run in the sandbox (they hold the notebook's own self-checks, and nbgrader puts
    # hidden tests back into them): their source is not sent either, so nothing can hide there.
    return {"assignment": name, "outputs": outputs, "spin": spin,
            "cells": [{"source": "" if cell.grade_id.startswith("test_") else cell.source, "grade_id": cell.grade_id}
                      for cell in submission.cells]}


def judged(spec, submission, observation, source, review):
    """The checks of one interviewed submission. A violation fails every check as manipulated; an exception
    in a judge is the grader's own error, logged, and never blamed on the student."""
    findings, attribution = source
    evidence = Evidence(answers=observation["answers"], cells=observation["cells"], failures=observation["failures"],
                        findings=tuple(findings), review=tuple(review), violations=tuple(observation["violations"]),
                        grade_ids=tuple(cell.grade_id for cell in submission.cells), attribution=attribution,
                        seconds=observation.get("seconds", {}))
    if evidence.violations:
        text = f"{ENGINE_DIAGNOSES['manipulated'].student}: {evidence.violations[0]}."
        return all_failed(spec, text, "manipulated"), evidence, ""
    if observation.get("internal_error"):
        text = f"{ENGINE_DIAGNOSES['internal_error'].student} ({observation['internal_error']})."
        return all_failed(spec, text, "internal_error"), evidence, observation["internal_error"]
    try:
        checks = spec.judge(evidence, lambda answer, grade_id: why_unanswered(evidence, answer, grade_id))
        if [c.name for c in checks] != [c.name for c in spec.checks]:
            raise RuntimeError("the judge returned other checks than the assignment declares")
        return checks, evidence, ""
    except Exception:
        log.error("internal error judging %s:\n%s", submission.path, traceback.format_exc())
        detail = traceback.format_exc().strip().splitlines()[-1][:200]
        return all_failed(spec, ENGINE_DIAGNOSES["internal_error"].student + ".", "internal_error"), evidence, detail


def trimmed(evidence, spec, outputs):
    """The evidence a Result keeps: the curves and the cells' errors (and outputs when asked), not the logs."""
    own, corrected = spec.curves(evidence) if spec.curves else (None, None)
    cells = {index: dict(cell, outputs=cell["outputs"] if outputs else None) for index, cell in evidence.cells.items()}
    return Evidence(answers={"curves": (own, corrected)}, cells=cells, failures=evidence.failures,
                    findings=evidence.findings, review=evidence.review, violations=evidence.violations,
                    grade_ids=evidence.grade_ids, attribution=evidence.attribution, seconds=evidence.seconds)


def collected(notebook):
    """What `collect` recorded beside a notebook (collect.json, written by the instructor's own command), or
    None when the notebook was not collected by it."""
    path = Path(notebook).parent / "collect.json"
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1_000_000:
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    files = record.get("modified_files")
    return {"modified_files": [str(f)[:300] for f in files[:200]] if isinstance(files, list) else [],
            "note": str(record.get("note", ""))[:500]}


def prepare(index, item, assignment):
    """(submission, assignment name, restored cells, (findings, attribution), review) of one item, read and
    analysed outside the sandbox; or a Result for a file that cannot be read."""
    try:
        submission = load(item) if isinstance(item, (str, Path)) else item
        name = choose(submission, assignment)
        restored = []
        if isinstance(item, (str, Path)):
            submission, restored = restore_locked(submission, locked_release(name))
    except SubmissionError as error:  # an unknown assignment asked for is reported on the default's checks
        known = assignment if assignment in assignments.names() else assignments.DEFAULT
        return unreadable(str(item), str(error), known)
    spec = assignments.get(name)
    cells = list(submission.cells)
    try:
        with cpu_limit(ANALYSIS_SECONDS):
            findings = analysis.derivation_findings(cells, spec.derived) if spec.derived else []
            attribution = {root: analysis.attribute(cells, root, findings) for root in spec.derived}
            review = analysis.review_findings(cells)
    except (AnalysisTimeout, RecursionError, MemoryError):
        # Code too large or too tangled to read within the limit: the instructor reads it instead.
        findings, attribution = [], {root: None for root in spec.derived}
        review = [analysis.Finding("out_of_band", 0, 1, "código que no se pudo analizar a tiempo (demasiado grande o "
                                                        "enrevesado): revisar a mano")]
    return submission, name, restored, (findings, attribution), review


ANALYSIS_SECONDS = 20.0  # CPU seconds to read one notebook's source (typically 0.03)


class AnalysisTimeout(Exception):
    """The analysis of a notebook's source ran out of its CPU time."""


@contextlib.contextmanager
def cpu_limit(seconds):
    """Raise AnalysisTimeout in this block after `seconds` of this process's CPU time (a busy machine slows the
    wall clock, not this). Only where signals can be handled: the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise AnalysisTimeout()

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def grade_here(items, hidden, limits, outputs, strict, assignment, spin=False):
    """Grade the (index, item) pairs in this process, one sandbox at a time; yield (index, Result)."""
    from ..sandbox.runner import interview_many

    prepared, items_by_index = {}, dict(items)
    for index, item in items:
        found = prepare(index, item, assignment)
        if isinstance(found, Result):  # unreadable: what `collect` found in its repository still shows
            found.collected = collected(item) if isinstance(item, (str, Path)) else None
            yield index, found
        else:
            prepared[index] = found
    work = [(index, plan_for(sub, name, outputs, spin), assignments.get(name).interview(sub, hidden))
            for index, (sub, name, _, _, _) in prepared.items()]
    for index, observation in interview_many(work, 1, limits, strict):
        submission, name, restored, source, review = prepared.pop(index)
        spec = assignments.get(name)
        checks, evidence, internal = judged(spec, submission, observation, source, review)
        yield index, Result(submission.path, name, checks, evidence=trimmed(evidence, spec, outputs),
                            submission=submission, restored=restored, violations=list(evidence.violations),
                            review=list(review), internal_error=internal,
                            collected=collected(submission.path) if isinstance(items_by_index[index], (str, Path))
                            else None)


def grade_one(task):
    """A pool worker's job: grade one (index, item) with the batch's options; never raises for the item."""
    index, item, options = task
    try:
        return list(grade_here([(index, item)], **options))[0]  # to its end: the sandbox's folder is removed
    except Exception as error:
        if type(error).__name__ == "SandboxError":
            raise
        log.error("internal error grading %s:\n%s", item, traceback.format_exc())
        path = getattr(item, "path", str(item))
        name = options["assignment"] or getattr(item, "assignment", "") or assignments.DEFAULT
        spec = assignments.get(name if name in assignments.names() else assignments.DEFAULT)
        text = ENGINE_DIAGNOSES["internal_error"].student + "."
        return index, Result(path, spec.name, all_failed(spec, text, "internal_error"), internal_error=repr(error)[:200])


def fresh_worker():
    """A pool worker forked from the grader: it starts its own zygote instead of sharing the grader's."""
    from ..sandbox import runner

    runner._SHARED.clear()


def grade_many(items, jobs=1, hidden=True, limits=LIMITS, outputs=False, strict=False, assignment=None):
    """Grade (path or Submission) items, `jobs` at a time; yield (index, Result) in the order they finish.
    A file's locked cells are graded as released (what nbgrader does before autograde), missing or renamed
    ones put back; a Submission is graded as it is (its front end restored it). `assignment` forces one
    assignment for every item.

    With jobs > 1 the items are graded by a pool of grader processes, one submission each at a time: the
    grader serves every training run's requests itself, so one grader process per sandbox keeps the
    cores busy (a single grader would make the children take turns)."""
    items = list(enumerate(items))
    sandboxes = max(1, min(jobs, len(items)))
    options = dict(hidden=hidden, limits=limits, outputs=outputs, strict=strict, assignment=assignment,
                   spin=2 * sandboxes <= (os.cpu_count() or 1))
    if jobs <= 1 or len(items) <= 1:
        yield from grade_here(items, **options)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(items)), initializer=fresh_worker, maxtasksperchild=50) as pool:
        yield from pool.imap_unordered(grade_one, [(index, item, options) for index, item in items])


def grade(item, hidden=True, outputs=False, assignment=None):
    """Grade one path or Submission."""
    return next(grade_many([item], 1, hidden, outputs=outputs, assignment=assignment))[1]


def grade_notebook(notebook, path, **options):
    """Grade a notebook already in memory (nbformat node or JSON dict)."""
    return grade(from_notebook(notebook, path), **options)
