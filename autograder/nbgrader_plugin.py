"""nbgrader preprocessors that connect a real nbgrader course to the kit.

- `PairWithScript` (generate_assignment): marks the release notebook as paired with its jupytext
  percent script, so nbgrader's own output is exactly the committed release.
"""
from nbgrader.preprocessors import NbGraderPreprocessor

PAIRING = {"formats": "ipynb,py:percent"}


class PairWithScript(NbGraderPreprocessor):
    """Add jupytext pairing metadata to the student's notebook."""

    def preprocess(self, nb, resources):
        nb.metadata["jupytext"] = dict(PAIRING)
        return nb, resources
