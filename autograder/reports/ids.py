"""Who a submission belongs to, and the name of its page: injective, and safe on every file system.

The rule, for a notebook at PATH in a batch:
1. nbgrader's layout, `…/<student>/<assignment>/<notebook>` where <assignment> is a known assignment (as
   `submitted/`, `autograded/` and `collect --out` write it): the id is <student>, the folder's name;
2. otherwise the file's name without its suffix;
3. when two submissions of a batch would get the same id, all of them get their path instead (relative to
   the batch's common folder, without the suffix; if that is still shared, with the suffix; then numbered by
   their place in the batch): no one keeps a name another file could take.
Control characters in a name are written out (`\\x1b`), so an id is safe to print, to put in a CSV or a page.
A page is `<id>.html` when the id is made only of lowercase letters, digits, `.`, `_` and `-` (short, and not
a name Windows reserves); otherwise `<those characters>~<12 hex of its hash>.html`, which no plain id can be
(it has a `~`). Plain pages differ in more than case, so they stay apart on case-insensitive file systems too.
"""
import hashlib
import os
import re
from collections import Counter
from pathlib import PurePath

from .. import assignments
from .text import printable

PLAIN = re.compile(r"[a-z0-9._-]{1,80}")
RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")  # device names on Windows


def student_id(path):
    """The student of one submission, by itself (rules 1 and 2)."""
    parts = PurePath(os.path.normpath(str(path))).parts
    if len(parts) >= 3 and parts[-2] in assignments.names():
        return printable(parts[-3])
    return printable(PurePath(str(path)).stem or str(path))


def unique_ids(paths):
    """One id per path, in order, never shared (rule 3)."""
    paths = [str(path) for path in paths]
    common = os.path.commonpath([os.path.abspath(p) for p in paths]) if len(paths) > 1 else ""
    names = []  # each path's names, from the shortest to one that no other path can have
    for index, path in enumerate(paths):
        relative = os.path.relpath(os.path.abspath(path), common) if common else path
        bare = PurePath(relative).with_suffix("") if PurePath(relative).name else relative
        names.append([student_id(path), printable(bare), printable(relative),
                      f"{printable(relative)}#{index + 1}"])
    level = [0] * len(paths)
    while True:
        ids = [options[at] for options, at in zip(names, level)]
        counts = Counter(ids)
        shared = [index for index, student in enumerate(ids) if counts[student] > 1 and level[index] < 3]
        if not shared:  # the numbered names differ in their number, so a clash always has a shorter name in it
            return ids
        for index in shared:
            level[index] += 1


def page_name(student):
    """The page of a student: the id itself when it is plain, else a safe form plus its hash (injective)."""
    if PLAIN.fullmatch(student) and student not in (".", "..") and not RESERVED.fullmatch(student):
        return f"{student}.html"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", student)[:60].lstrip(".") or "_"
    return f"{safe}~{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}.html"
