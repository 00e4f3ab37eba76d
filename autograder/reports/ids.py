"""Who a submission belongs to, and the name of its page: injective, and safe on every file system.

The rule, for a notebook at PATH in a batch:
1. nbgrader's layout, `…/<student>/<assignment>/<notebook>` where <assignment> is a known assignment (as
   `submitted/`, `autograded/` and `collect --out` write it): the id is <student>, the folder's name;
2. otherwise the file's name without its suffix;
3. when two submissions of a batch would get the same id, all of them get their path instead (relative to
   the batch's common folder, without the suffix): no one keeps a name another file could take.
A page is `<id>.html` when the id is made only of letters, digits, `.`, `_` and `-` (and is short);
otherwise `<those characters>~<12 hex of its hash>.html`, which no plain id can be (it has no `~`).
"""
import hashlib
import os
import re
from collections import Counter
from pathlib import PurePath

from .. import assignments

PLAIN = re.compile(r"[A-Za-z0-9._-]{1,80}")


def student_id(path):
    """The student of one submission, by itself (rules 1 and 2)."""
    parts = PurePath(str(path)).parts
    if len(parts) >= 3 and parts[-2] in assignments.NAMES:
        return parts[-3]
    return PurePath(str(path)).stem or str(path)


def unique_ids(paths):
    """One id per path, in order, never shared (rule 3)."""
    ids = [student_id(path) for path in paths]
    counts = Counter(ids)
    if all(count == 1 for count in counts.values()):
        return ids
    common = os.path.commonpath([os.path.abspath(str(p)) for p in paths]) if len(paths) > 1 else ""
    fixed = []
    for path, student in zip(paths, ids):
        if counts[student] == 1:
            fixed.append(student)
            continue
        relative = os.path.relpath(os.path.abspath(str(path)), common) if common else str(path)
        fixed.append(str(PurePath(relative).with_suffix("")))
    return fixed if len(set(fixed)) == len(fixed) else [f"{student}#{index + 1}" for index, student in enumerate(fixed)]


def page_name(student):
    """The page of a student: the id itself when it is plain, else a safe form plus its hash (injective)."""
    if PLAIN.fullmatch(student) and student not in (".", ".."):
        return f"{student}.html"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", student)[:60].lstrip(".") or "_"
    return f"{safe}~{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}.html"
