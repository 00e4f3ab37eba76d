"""What an assignment declares, once, for the engine: its checks, its questions, its judges, its diagnoses.

An assignment is a package under `autograder/assignments/<name>/` whose `ASSIGNMENT` is an `Assignment`.
The engine, the sandbox, the front ends and the reports read everything about an exercise from it.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckSpec:
    """One check: its name, its points, and the nbgrader test cell that reports it."""

    name: str
    points: int
    test_cell: str


@dataclass(frozen=True)
class Diagnosis:
    """A recognised mistake: what the student reads, and one line for the instructor's cohort report."""

    student: str
    hint: str


@dataclass(frozen=True)
class Evidence:
    """What the grader knows about one submission after its interview, all of it checked or its own.

    answers: what the assignment's interview returned (validated answers and the grader's own logs);
    cells: index -> {grade_id, error, outputs} of the cells that ran; failures: stage -> why it was cut;
    findings: derivation findings of the source (engine.analysis); review: out-of-band constructs;
    violations: what the notebook sent that nobody asked for (tampering); attribution: for each derived root,
    {key of its returned dict: the findings that reach that key's value}, or None when they cannot be told apart."""

    answers: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    findings: tuple = ()
    review: tuple = ()
    violations: tuple = ()
    grade_ids: tuple = ()  # the grade_id of every cell of the plan, by index
    attribution: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # the submission's own (effective) seconds: per stage, and total


@dataclass(frozen=True)
class Assignment:
    """Everything the engine needs about one exercise.

    interview(submission, hidden) is a generator of sandbox Questions that returns the answers dict;
    judge(evidence, why) returns one Check per CheckSpec, in order (why(answer, grade_id) says in Spanish why
    a question got no answer); curves(evidence) gives (own, corrected) series for the charts; chart(own,
    corrected) draws one student's (PNG bytes or None); class_chart(histories) the whole class's."""

    name: str
    title: str
    checks: tuple
    answer_cells: tuple
    child: str  # the module that runs inside the sandbox: cell hooks and question handlers
    interview: object
    judge: object
    diagnoses: dict
    derived: tuple = ()  # functions whose derivatives must be derived by hand (engine.analysis roots)
    curves: object = None
    chart: object = None
    class_chart: object = None
    picture_cell: str = ""  # the nbgrader test cell whose feedback shows the chart
    not_attempted: frozenset = frozenset()  # diagnoses that are work not done, ranked after real mistakes
    texts: dict = field(default_factory=dict)  # the reports' words for its curves (see reports/templates)
    cell_titles: dict = field(default_factory=dict)  # test cell -> its Spanish name in one-line summaries
    fill_source: object = None  # the build's hook: single source text -> text with build-time values filled in
    examples: tuple = ()  # answers files (relative to the repository) that the demo grades besides the solution

    @property
    def points(self):
        """check name -> points, in order."""
        return {spec.name: spec.points for spec in self.checks}

    @property
    def max_score(self):
        return float(sum(spec.points for spec in self.checks))

    @property
    def test_cells(self):
        """nbgrader test cell -> the names of the checks it reports, in order."""
        cells = {}
        for spec in self.checks:
            cells.setdefault(spec.test_cell, []).append(spec.name)
        return {cell: tuple(names) for cell, names in cells.items()}
