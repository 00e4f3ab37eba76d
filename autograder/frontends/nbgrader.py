"""nbgrader preprocessors that connect a real nbgrader course to the kit.

- `PairWithScript` (generate_assignment): marks the release notebook as paired with its jupytext
  percent script, so nbgrader's own output is exactly the committed release.
- `SandboxedGrading` (autograde, in place of nbgrader's Execute): the notebook runs once, in the kit's
  confined sandbox, never in a Jupyter kernel. Each code cell gets the outputs of that run (its text,
  its error, its figures as images), so the feedback shows what the student's code did; each test cell
  gets the grading core's verdicts: the checks' feedback on stdout, then the points as a plain float,
  which nbgrader reads as partial credit. Nothing is written to stderr, so a warning never zeroes a cell.
- `QuietOverwriteCells` (autograde, in place of OverwriteCells): restores a test cell's hidden tests
  without warning that its checksum changed, when the student's copy is the release's, untouched.
- `ClearHiddenTestsInFeedback` (generate_feedback): nbgrader's ClearHiddenTests, which also accepts the
  HTML exporter's `display_data_priority` setting instead of warning about it on every notebook.
- `MathToMathML` (generate_feedback): the formulas as MathML, for the Spanish feedback template
  (templates/feedback_es), which loads nothing from the network.
- `feedback_html` (a filter of that template): the markdown's HTML with only safe tags and attributes left,
  MathML included, so that no script a student writes in a markdown cell runs when the page is opened.
- `MoodleExport` (export, nbgrader's plugin API): the gradebook as a CSV for Moodle's grade import.
"""
import base64
import binascii
import glob
import os
import re
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.api import MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, OverwriteCells
from traitlets import Bool, Integer, List

from .. import assignments
from ..engine.grading import grade_many, locked_release
from ..engine.submission import SubmissionError, from_notebook, load, restore_locked
from ..reports import moodle

PAIRING = {"formats": "ipynb,py:percent"}
BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?", re.DOTALL | re.MULTILINE)


class PairWithScript(NbGraderPreprocessor):
    """Add jupytext pairing metadata to the student's notebook."""

    def preprocess(self, nb, resources):
        nb.metadata["jupytext"] = dict(PAIRING)
        return nb, resources


def png_or_none(text):
    """The base64 text of a real PNG image, or None: what reaches the feedback HTML is checked, not trusted."""
    if not isinstance(text, str) or len(text) > 4_000_000 or not BASE64.fullmatch(text):
        return None
    try:
        head = base64.b64decode(text[:16], validate=True)
    except (binascii.Error, ValueError):
        return None
    return text if head.startswith(PNG_SIGNATURE) else None


def cell_outputs(items, execution_count):
    """nbformat outputs from what the sandbox recorded for one cell (every field checked for its type)."""
    outputs = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        if item.get("stream") in ("stdout", "stderr") and isinstance(item.get("text"), str):
            outputs.append(new_output("stream", name=item["stream"], text=item["text"]))
        elif png_or_none(item.get("png")):
            alt = str(item.get("alt") or "Figura")[:200]
            outputs.append(new_output("display_data", data={"image/png": item["png"], "text/plain": alt},
                                      metadata={"image/png": {"alt": alt}}))
        elif isinstance(item.get("result"), str):
            outputs.append(new_output("execute_result", data={"text/plain": item["result"]},
                                      execution_count=execution_count))
        elif isinstance(item.get("error"), str):
            lines = [str(line) for line in item.get("traceback", [])] if isinstance(item.get("traceback"), list) else []
            outputs.append(new_output("error", ename=item["error"][:100], evalue=str(item.get("message", ""))[:300],
                                      traceback=lines[:20]))
    return outputs


def verdict_outputs(checks):
    """A test cell's outputs: one feedback line per check on stdout, then the points as a plain float."""
    lines = [f"{'✓' if c['score'] == c['max_score'] else '✗'} {c['name']} ({c['score']:g}/{c['max_score']:g}): "
             f"{c['feedback']}" for c in checks]
    points = float(sum(c["score"] for c in checks))
    return [new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
            new_output("execute_result", data={"text/plain": repr(points)}, execution_count=None)]


def training_picture(result, spec):
    """The picture of the assignment's picture cell: the student's curves against the reference."""
    png = spec.chart(*result.curves()) if spec.chart else None
    if png is None:
        return []
    alt = spec.texts.get("curves_alt", "Curvas de entrenamiento")
    return [new_output("display_data", data={"image/png": base64.b64encode(png).decode("ascii"), "text/plain": alt},
                       metadata={"image/png": {"alt": alt}})]


CLASS_RESULTS = {}  # submitted notebooks' pattern -> {answer_cells: Result}: the class, graded at its first notebook


def answer_cells(submission):
    """What a notebook's grade depends on: its code cells' grade_ids, and the sources of those that run."""
    return tuple((cell.grade_id, "" if cell.grade_id.startswith("test_") else cell.source) for cell in submission.cells)


class SandboxedGrading(NbGraderPreprocessor):
    """Run the notebook once in the sandbox: the cells' outputs from that run, the test cells' from the verdicts.

    nbgrader hands over one notebook at a time; at the first one, the whole class's submitted notebooks of
    the same assignment (those `autograde` was asked for) are graded `jobs` at a time, as nbgrader's own
    sanitizing leaves them (locked cells as in the source notebook), and each later notebook takes its
    result. A notebook whose cells differ from that prediction is graded on its own: the result is always
    that of the very cells nbgrader stores."""

    strict = Bool(False, help="Refuse to grade unless every confinement layer is enforced on this machine."
                  ).tag(config=True)
    jobs = Integer(os.cpu_count() or 1, help="Notebooks graded at once.").tag(config=True)

    def class_results(self, resources, name):
        """The results of every submitted notebook of this assignment, graded once."""
        info, coursedir = resources["nbgrader"], CourseDirectory(config=self.config)
        folder = coursedir.format_path(coursedir.submitted_directory, coursedir.student_id, info["assignment"])
        pattern = os.path.join(folder, f"{info['notebook']}.ipynb")
        if pattern not in CLASS_RESULTS:
            excluded = {s.strip() for s in coursedir.student_id_exclude.split(",") if s.strip()}
            submissions = []
            for path in sorted(glob.glob(pattern)):
                if Path(path).parts[-3] in excluded:
                    continue
                try:
                    submissions.append(restore_locked(load(path), locked_release(name))[0])
                except SubmissionError:
                    continue  # nbgrader reports it; it is graded on its own if it comes
            graded = grade_many(submissions, self.jobs, outputs=True, strict=self.strict, assignment=name)
            CLASS_RESULTS[pattern] = {answer_cells(submissions[index]): result for index, result in graded}
        return CLASS_RESULTS[pattern]

    def preprocess(self, nb, resources):
        name = resources["nbgrader"]["assignment"]  # nbgrader's own assignment name says which one
        if name not in assignments.names():
            raise ValueError(f"the kit has no assignment {name!r} (it has: {', '.join(assignments.names())})")
        spec = assignments.get(name)
        submission, _ = restore_locked(from_notebook(nb, resources.get("unique_key", "notebook")), locked_release(name))
        result = self.class_results(resources, name).get(answer_cells(submission))
        if result is None:
            result = next(grade_many([submission], 1, outputs=True, strict=self.strict, assignment=name))[1]
        checks = {check.name: check.as_dict() for check in result.checks}
        seen = result.evidence.cells if result.evidence else {}
        test_cells = spec.test_cells
        count = 0
        code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
        # The graded cells are the notebook's, plus any locked cell it lost (put back): map them to its cells.
        present = {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in code_cells}
        graded = [index for index, cell in enumerate(submission.cells) if not cell.locked or cell.grade_id in present]
        for index, cell in enumerate(code_cells):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            ran = seen.get(graded[index]) if index < len(graded) else None
            if grade_id in test_cells or ran:
                count += 1
                cell.execution_count = count
            if grade_id in test_cells:
                cell.outputs = verdict_outputs([checks[check] for check in test_cells[grade_id]])
                if grade_id == spec.picture_cell:
                    cell.outputs[1:1] = training_picture(result, spec)
            else:
                cell.outputs = cell_outputs(ran.get("outputs") if isinstance(ran, dict) else None, count)
                if not ran:
                    cell.execution_count = None
        return nb, resources


class QuietOverwriteCells(OverwriteCells):
    """OverwriteCells, minus its false alarm on test cells with hidden tests (nbgrader #1961): the student's
    copy of such a cell lacks the hidden tests by design, so it differs from the source's checksum."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and cell.metadata.get("nbgrader", {}).get("locked"):
            try:
                source = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id).source
            except Exception:  # a cell the gradebook does not know: nbgrader's own handling reports it
                source = None
            if source and HIDDEN_TESTS.search(source) and cell.source.strip() == HIDDEN_TESTS.sub("", source).strip():
                cell.source = source  # the release's cell, untouched: put the hidden tests back silently
        return super().preprocess_cell(cell, resources, cell_index)


MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$(?!\$)", re.DOTALL)


def latex_to_mathml(match):
    """One $…$ (inline) or $$…$$ (block) formula as MathML, which browsers draw without any script."""
    from latex2mathml.converter import convert

    block, inline = match.group(1), match.group(2)
    try:
        if block is not None:
            return "\n\n" + convert(block.strip(), display="block") + "\n\n"
        return convert(inline.strip())
    except Exception:  # a formula the converter does not know stays as it was written
        return match.group(0)


class FeedbackPreprocessor(NbGraderPreprocessor):
    """A preprocessor of generate_feedback. The HTML exporter configures display_data_priority on each of them,
    and nbgrader declares it without config=True, so traitlets would warn on every notebook."""

    display_data_priority = List(NbGraderPreprocessor.class_traits()["display_data_priority"].default()).tag(config=True)


class MathToMathML(FeedbackPreprocessor):
    """The markdown's formulas as MathML (generate_feedback): the page needs no MathJax from a CDN."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = MATH.sub(latex_to_mathml, cell.source)
        return cell, resources


# What the feedback's markdown may keep: text markup, tables, inline images, and the MathML that latex2mathml
# writes. No <script>, <style>, <svg>, <iframe>, <form>, no event handler, no javascript: link.
TEXT_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
             "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
             "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
MATHML_ATTRIBUTES = {"math": {"display", "xmlns"}, "mo": {"stretchy", "fence", "form", "separator", "lspace",
                                                          "rspace", "largeop", "movablelimits", "symmetric"},
                     "mover": {"accent"}, "munder": {"accentunder"}, "munderover": {"accent", "accentunder"},
                     "mspace": {"width", "height", "depth"}, "mstyle": {"displaystyle", "scriptlevel", "mathvariant"},
                     "mi": {"mathvariant"}, "mn": {"mathvariant"}, "mtext": {"mathvariant"},
                     "mfrac": {"linethickness"}, "mtable": {"columnalign", "rowspacing", "columnspacing"},
                     "mtd": {"columnalign"}, "mpadded": {"width", "height", "depth", "lspace", "voffset"}}
MATHML_TAGS = set(MATHML_ATTRIBUTES) | {"mrow", "msup", "msub", "msubsup", "msqrt", "mroot", "mtr", "mphantom"}


def feedback_attribute(tag, name, value):
    """Whether an attribute stays: links (not data:), inline images only (data:image/), MathML's layout, and
    class and id (the headings' anchors)."""
    if tag == "a":
        return name == "title" or name == "href" and not value.strip().lower().startswith("data:")
    if tag == "img":
        return name in ("alt", "title", "width", "height") or name == "src" and value.startswith("data:image/")
    return name in ("class", "id") or name in MATHML_ATTRIBUTES.get(tag, ())


def feedback_html(html):
    """The HTML of a markdown cell (or a comment) of the feedback, sanitised: nbconvert's own sanitiser
    (HTMLExporter.sanitize_html, `clean_html`) would also remove the MathML of the formulas."""
    import bleach
    from markupsafe import Markup

    return Markup(bleach.clean(str(html), tags=TEXT_TAGS | MATHML_TAGS, attributes=feedback_attribute,
                               protocols={"http", "https", "mailto", "data"}, strip_comments=True))


class ClearHiddenTestsInFeedback(FeedbackPreprocessor, ClearHiddenTests):
    """ClearHiddenTests for generate_feedback (nbgrader's feedback would show the hidden tests)."""


class MoodleExport(ExportPlugin):
    """`nbgrader export` to a CSV for Moodle's grade import (reports/moodle.py): one grade and one feedback
    column per assignment, the roster's email when every student has one, `-` for no submission.
    Configured in nbgrader_config.py; `--to FILE` (default moodle.csv), `--assignment`, `--student` as usual."""

    def export(self, gradebook):
        """Write the CSV from the gradebook (nbgrader calls this)."""
        chosen, students = set(map(str, self.assignment)), set(map(str, self.student))
        roster = {s.id: {"first_name": s.first_name or "", "last_name": s.last_name or "", "email": s.email or ""}
                  for s in gradebook.students if not students or s.id in students}
        columns = []
        for assignment in gradebook.assignments:
            if chosen and assignment.name not in chosen:
                continue
            spec = assignments.get(assignment.name) if assignment.name in assignments.names() else None
            grades = {}
            for student in roster:
                try:
                    submission = gradebook.find_submission(assignment.name, student)
                except MissingEntry:
                    continue
                grades[student] = moodle_grade(submission, spec)
            columns.append((spec.title if spec else assignment.name, grades))
        destination = self.to or "moodle.csv"
        moodle.write(destination, columns, roster)
        self.log.info("Moodle CSV written to %s (%d students, %d assignments)", destination, len(roster), len(columns))


def moodle_grade(submission, spec):
    """One submission of the gradebook as a Moodle Grade: its score, and the points per graded test cell."""
    cells = {grade.name: grade for notebook in submission.notebooks for grade in notebook.grades}
    titles = spec.cell_titles if spec else {}
    parts = [(titles.get(name, name), cells[name].score or 0.0, cells[name].max_score) for name in
             (spec.test_cells if spec else sorted(cells)) if name in cells]
    score = max(0.0, submission.score - (submission.late_submission_penalty or 0.0))
    return moodle.Grade(score, submission.max_score, moodle.summary(score, submission.max_score, parts))
