"""How a notebook's derivatives were obtained, read from its source without running it.

The grader's numbers catch float64 finite differences; methods exact in floating point (complex step, dual
numbers, differences in high precision, library autodiff, symbolic differentiation) leave no trace in them,
so they are read here from the cells' ASTs, parsed as the sandbox runs them (IPython's rewriting included).
`derivation_findings` looks at the code reachable from the functions it is given, `review_findings` at
constructs anywhere in the student's cells that act outside the normal call path (threads, descriptors,
hooks, introspection of frames, closures or bound methods), `attribute` at which keys of the dict a function
returns each finding can reach (so a derivative derived by hand keeps its points next to one that is not).
A cell that runs but cannot be read, or a notebook too big to read in bounded time, is a finding itself.
Nothing here names an exercise.

parse.py: the cells as the sandbox runs them, bounded and parsed once per notebook; reach.py: bindings and
reachability; derivation.py and quotients.py: what reached code does; review.py: out-of-band constructs;
attribute.py: which key a finding concerns; common.py: the tables and helpers they share.
"""
from .attribute import attribute
from .common import CODES, TEXTS, Finding
from .derivation import derivation_findings
from .review import review_findings

__all__ = ["CODES", "TEXTS", "Finding", "attribute", "derivation_findings", "review_findings"]
