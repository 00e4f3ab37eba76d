"""nbgrader configuration of the course. The course directory is this repository's root."""
from nbgrader.preprocessors import (
    CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput, ClearSolutions, ComputeChecksums,
    IncludeHeaderFooter, InstantiateTests, LockCells, SaveCells,
)

from autograder.nbgrader_plugin import PairWithScript

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
