"""nbgrader configuration of the course. The course directory is this repository's root."""
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde
from nbgrader.preprocessors import (
    CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput, ClearSolutions, ComputeChecksums, Execute,
    GetGrades, IncludeHeaderFooter, InstantiateTests, LockCells, OverwriteCells, SaveCells,
)

import autograder
from autograder.frontends.nbgrader import (
    ClearHiddenTestsInFeedback, MathToMathML, MoodleExport, PairWithScript, QuietOverwriteCells, SandboxedGrading,
)

c = get_config()  # noqa: F821  (nbgrader provides get_config)

c.CourseDirectory.course_id = "aprendizaje-profundo"

# One stub for every solution region. Each derivative sits in its own `( ... )`, so an unfilled one
# evaluates to None and fails only its own check; nbgrader's default stub raises and would fail all nine.
c.ClearSolutions.code_stub = {"python": "None  # TU CÓDIGO AQUÍ"}
c.ClearSolutions.text_stub = "TU RESPUESTA AQUÍ"

# nbgrader's default pipeline, plus the jupytext pairing of the release notebook.
c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearOutput, CheckCellMetadata,
    ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme, ComputeChecksums, CheckCellMetadata,
    PairWithScript,
]

# Autograde: nbgrader's own pipelines, with two preprocessors of the kit in place of nbgrader's. The notebook
# runs once, in the kit's confined sandbox, never in a Jupyter kernel: SandboxedGrading writes every cell's
# outputs from that run and the test cells' verdicts from the grading core (so nbgrader and
# `python -m autograder grade` agree on every notebook). QuietOverwriteCells restores the hidden tests
# without nbgrader's false "checksum has changed" warning on untouched test cells.
c.Autograde.sanitize_preprocessors = [QuietOverwriteCells if p is OverwriteCells else p
                                      for p in Autograde.class_traits()["sanitize_preprocessors"].default()]
c.Autograde.autograde_preprocessors = [SandboxedGrading if p is Execute else p
                                       for p in Autograde.class_traits()["autograde_preprocessors"].default()]
# A server that must never run student code unconfined: refuse to grade where a layer is missing.
# c.SandboxedGrading.strict = True

# Feedback: nbgrader's default shows the hidden tests, so they are cleared before the HTML export; the page is
# the kit's Spanish template, self-contained (formulas as MathML, no script from a CDN).
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTestsInFeedback, MathToMathML, CSSHTMLHeaderPreprocessor]
c.HTMLExporter.template_name = "feedback_es"
c.HTMLExporter.extra_template_basedirs = [str(Path(autograder.__file__).parent / "reports" / "templates")]
# A student's markdown is theirs to write, HTML included: none of it may run in the page. nbconvert's sanitiser
# cleans what the template inherits (raw cells, HTML and SVG outputs, widgets); the kit's template cleans the
# markdown cells with `feedback_html`, which, unlike nbconvert's, keeps the formulas' MathML.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"feedback_html": "autograder.frontends.nbgrader.feedback_html"}

# Export: `nbgrader export` writes a CSV for Moodle's "Importar calificaciones desde CSV" (moodle.csv, or --to FILE).
c.ExportApp.plugin_class = MoodleExport
