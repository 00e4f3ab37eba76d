"""Reports of graded submissions for terminals and files: the Spanish table, JSON, CSV, Gradescope."""
import csv
import json
import re
import sys
import textwrap

from .. import assignments

# What must never reach a terminal or a spreadsheet as it is: C0 and C1 controls and DEL (escape sequences:
# OSC 52 writes the clipboard, CSI moves the cursor or clears the screen), bidi and line-separator marks
# (which reorder what a line shows), and lone surrogates (undecodable bytes of a file name).
UNSAFE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
CONTROL = re.compile(f"[\x00-\x1f{UNSAFE}]")
CONTROL_BUT_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f{UNSAFE}]")  # keeps \n and \t
JSON_RAW = re.compile(f"[{UNSAFE}]")  # json.dumps(ensure_ascii=False) escapes only \x00-\x1f
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is a formula to a spreadsheet (OWASP)
NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def written_out(match):
    """One unsafe character as text: \\n, \\x1b, \\u202e."""
    char = match.group()
    return NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text):
    """Text a student controls (a file name, an error message), with every control character written out."""
    return CONTROL.sub(written_out, str(text))


def csv_cell(text):
    """A CSV cell a student controls: printable, and never read as a formula (a leading ' makes it text)."""
    text = printable(text)
    return "'" + text if text.startswith(FORMULA) else text


def json_text(value, **options):
    """JSON that keeps accents readable but escapes every control character (json leaves C1 and DEL raw)."""
    return JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, **options))


class TerminalStream:
    """A text stream that writes control characters out, keeping newlines and tabs: whatever the CLI prints,
    no escape sequence a student wrote reaches the instructor's terminal."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        return self.stream.write(CONTROL_BUT_LAYOUT.sub(written_out, text))

    def __getattr__(self, name):
        return getattr(self.stream, name)


def terminal_streams():
    """Put sys.stdout and sys.stderr behind TerminalStream (once)."""
    if not isinstance(sys.stdout, TerminalStream):
        sys.stdout = TerminalStream(sys.stdout)
    if not isinstance(sys.stderr, TerminalStream):
        sys.stderr = TerminalStream(sys.stderr)


def points(value):
    """A score without a useless '.0'."""
    return f"{value:g}"


def flags(result):
    """The lines an instructor must not miss: manipulation, code to review, locked cells put back, errors."""
    lines = []
    if result.error:
        lines.append(f"Error: {printable(result.error)}")
    if result.internal_error:
        lines.append(f"Error interno del autograder (no del alumno): {printable(result.internal_error)}")
    if result.violations:
        lines.append(f"MANIPULADO: {printable(result.violations[0])}")
    if result.modified_files:
        lines.append(f"Repositorio modificado: {printable('; '.join(result.modified_files))}")
    for finding in result.review[:3]:
        lines.append(f"Revisar a mano: {printable(finding.text)} (celda {finding.cell + 1}, línea {finding.line})")
    if result.restored:
        lines.append("Aviso: se corrigieron como en el enunciado las celdas bloqueadas que cambiaste o borraste: "
                     + printable(", ".join(result.restored)))
    return lines


def table(result, width=100):
    """One row per check (name, points, feedback), then the total: what a student or instructor reads."""
    lines = [f"Notebook: {printable(result.path)}"] + [f"  {line}" for line in flags(result)]
    name_width = max([len(check.name) for check in result.checks] or [10]) + 2
    indent = " " * (name_width + 10)
    for check in result.checks:
        mark = "✓" if check.score == check.max_score else "✗"
        head = f"  {mark} {check.name:<{name_width}}{points(check.score):>3}/{points(check.max_score):<4}"
        body = [printable(line) for line in textwrap.wrap(check.feedback, width - len(indent))] or [""]
        lines.append(head + body[0])
        lines.extend(indent + line for line in body[1:])
    lines.append(f"  Total: {points(result.score)}/{points(result.max_score)} puntos")
    return "\n".join(lines)


def summary_table(results, widest=72):
    """One row per submission: score and which checks failed. A path longer than `widest` keeps its end
    (the file's name), after an ellipsis."""
    paths = [printable(result.path) for result in results]
    width = max([8, *(min(len(path), widest) for path in paths)])
    rows = [f"{'Notebook':<{width}} {'Puntos':>8}  Chequeos que fallan"]
    for result, path in zip(results, paths):
        failing = [c.name for c in result.checks if c.score < c.max_score]
        shown = "—" if not failing else ", ".join(failing) if len(failing) <= 4 else f"{len(failing)} chequeos"
        if result.manipulated:
            shown = "MANIPULADO"
        if result.modified_files:
            shown += " · repositorio modificado"
        path = path if len(path) <= width else "…" + path[-(width - 1):]
        rows.append(f"{path:<{width}} {points(result.score):>4}/{points(result.max_score):<3}  {shown}")
    return "\n".join(rows)


def to_json(results, ids=None):
    """One JSON object for one result, a list of them (with paths and ids, reports/ids.py) for several."""
    if len(results) == 1:
        return json_text(results[0].as_dict())
    ids = ids or batch_ids(results)
    return json_text([dict(path=r.path, id=student, **r.as_dict()) for r, student in zip(results, ids)])


def batch_ids(results):
    """The students of a batch's results (reports/ids.py)."""
    from .ids import unique_ids

    return unique_ids([result.path for result in results])


def gradescope(result):
    """Gradescope's results.json: one test per check; feedback that shows a hidden point is shown after publishing."""
    tests = [{"name": c.name, "score": c.score, "max_score": c.max_score,
              "status": "passed" if c.score == c.max_score else "failed", "output": c.feedback,
              "visibility": "after_published" if c.hidden else "visible"} for c in result.checks]
    output = result.error or "\n".join(flags(result) + [f"{result.score:g}/{result.max_score:g} puntos"])
    report = {"score": result.score, "output": output, "visibility": "visible", "stdout_visibility": "hidden",
              "tests": tests}
    return json_text(report, indent=1)


def check_columns(results):
    """The check columns of a CSV: every check of the assignments in the batch, in the registry's order."""
    present = {result.assignment for result in results}
    columns = []
    for spec in assignments.every():
        if spec.name in present:
            columns += [check.name for check in spec.checks if check.name not in columns]
    return columns


def write_csv(results, path, ids=None):
    """One row per submission, broken ones included: path, id (reports/ids.py), assignment, score, max_score,
    each check's score, the flags (manipulated, review, modified_files: the repository's grader files the
    student edited, `;`-separated, from `collect`), error. What a student controls (path, id, file names,
    error) is written as text a spreadsheet never runs; the grader's numbers stay plain."""
    columns = check_columns(results)
    ids = ids or batch_ids(results)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "id", "assignment", "score", "max_score", *columns, "manipulated", "review",
                         "modified_files", "error"])
        for result, student in zip(results, ids):
            scores = {c.name: points(c.score) for c in result.checks}
            review = "; ".join(sorted({finding.code for finding in result.review}))
            modified = csv_cell(";".join(result.modified_files))
            writer.writerow([csv_cell(result.path), csv_cell(student), result.assignment, points(result.score),
                             points(result.max_score), *(scores.get(name, "") for name in columns),
                             "sí" if result.manipulated else "", review,
                             modified, csv_cell(result.error or result.internal_error)])


def merge_csv(inputs, output):
    """One CSV from several shards' CSVs: one header, rows sorted by path (as the full batch writes them)."""
    header, rows = None, []
    for path in inputs:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            this_header = next(reader)
            if header is not None and this_header != header:
                raise ValueError(f"{path}: columns differ from the other CSVs")
            header = this_header
            rows.extend(reader)
    with open(output, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(sorted(rows, key=lambda row: row[0]))


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total, stream=None):
        stream = stream or sys.stderr
        # The bar is the grader's own text, redrawn with \r: it goes to the terminal itself, not filtered.
        self.total, self.done = total, 0
        self.stream = stream.stream if isinstance(stream, TerminalStream) else stream
        self.active = total > 1 and self.stream.isatty()

    def step(self):
        self.done += 1
        if self.active:
            filled = int(30 * self.done / self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
