"""nbgrader configuration of the course. The course directory is this repository's root."""
from nbgrader.preprocessors import (
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput, ClearSolutions, ComputeChecksums, GetGrades, IgnorePattern, IncludeHeaderFooter,
    InstantiateTests, LimitOutput, LockCells, SaveAutoGrades, SaveCells,
)
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor

from autograder.nbgrader_plugin import PairWithScript, ResilientExecute, TrustedGrades

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

# Autograde: the kernel run keeps the student's outputs and plot for the feedback; the points come from
# the grading core (TrustedGrades), so nbgrader and `python -m autograder grade` agree on every notebook.
c.Autograde.autograde_preprocessors = [
    ResilientExecute, TrustedGrades, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata,
]
# An endless loop costs one cell timeout, even in a kernel that swallows the interrupt; a kernel the
# student's code kills ends that notebook's run only (ResilientExecute). Execute's settings apply to it.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = False

# nbgrader's default feedback shows the hidden tests; clear them before the HTML export.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
