"""A CSV for Moodle's "Importar calificaciones desde CSV" (grade/import/csv), written from grades.

What Moodle's importer accepts, as its code reads a file (gradeimport_csv's load_data.php, lib/csvlib.class.php):

- a header row, then one row per student with exactly as many fields; UTF-8 (a BOM is stripped), commas as the
  separator (the form's default), quoting as in RFC 4180; a backslash before a quote changes the parsing, so
  none is written;
- an identifier column the teacher maps to username, email or ID number (a blank or unknown one fails the
  whole import, so every row has one);
- a grade is a plain number with a decimal point (at most 5 decimals, within the item's range), or `-`
  for no grade; feedback is free text, mapped to "Retroalimentación para <ítem>";
- Moodle 5.1 prefixes `'` to any cell that starts with `=`, `+`, `-` or `@` (only a lone `-` is kept): no
  cell written here starts with one.

Each assignment gets a grade column (its title, which also names a new grade item) and a feedback column
with a one-line Spanish summary. A student of the roster without a grade gets `-` ("sin entrega").
"""
import csv
import io
from dataclasses import dataclass

ID, EMAIL = "usuario", "email"
MAX_FEEDBACK = 500  # characters: a line in the gradebook, not the full feedback (that is the student's page)
FORMULA = ("=", "+", "-", "@")


@dataclass
class Grade:
    """One student's grade in one assignment: points (None: no grade), maximum, and the one-line summary."""

    score: float
    max_score: float
    feedback: str


def read_roster(path):
    """nbgrader's roster CSV (id,first_name,last_name,email): {id: {first_name, last_name, email}}, in order."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "id" not in rows[0]:
        raise ValueError(f"{path}: el roster necesita una columna 'id' (formato de nbgrader: id,first_name,last_name,email)")
    roster = {}
    for row in rows:
        student = (row.get("id") or "").strip()
        if student:
            roster[student] = {key: (row.get(key) or "").strip() for key in ("first_name", "last_name", "email")}
    return roster


def number(score, max_score):
    """A grade as Moodle parses it: a decimal point, at most 5 decimals, inside [0, max]; `-` for none."""
    if score is None:
        return "-"
    value = round(min(max(float(score), 0.0), float(max_score)), 5) + 0.0  # + 0.0: never "-0"
    return f"{value:.5f}".rstrip("0").rstrip(".")


def one_line(text):
    """Text for one cell: one line, no control characters or backslashes, no leading formula character."""
    text = " ".join("".join(c if c.isprintable() else " " for c in str(text)).split()).replace("\\", "/")
    text = text[:MAX_FEEDBACK]
    return "'" + text if text.startswith(FORMULA) else text


def summary(score, max_score, parts, note=""):
    """The feedback line: total, then each part as 'label got/max' (parts: [(label, got, max)]), then a note."""
    line = f"{score:g}/{max_score:g} puntos"
    if parts:
        line += ": " + " · ".join(f"{label} {got:g}/{most:g}" for label, got, most in parts)
    return one_line(line + "." + (f" {note}" if note else ""))


def table(columns, roster=None):
    """The CSV text. columns: [(title, {student id: Grade})]; roster: {id: {email, ...}} or None. Rows: the
    roster's students in its order, then any other graded student, sorted."""
    roster = roster or {}
    students = list(roster) + sorted({s for _, grades in columns for s in grades} - set(roster))
    with_email = bool(roster) and all(roster.get(s, {}).get("email") for s in students)
    header = [ID] + ([EMAIL] if with_email else [])
    for title, _ in columns:
        header += [one_line(title), one_line(f"Retroalimentación: {title}")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for student in students:
        row = [one_line(student)] + ([one_line(roster[student]["email"])] if with_email else [])
        for _, grades in columns:
            grade = grades.get(student)
            row += [number(grade.score, grade.max_score), one_line(grade.feedback)] if grade else ["-", "Sin entrega."]
        writer.writerow(row)
    return buffer.getvalue()


def write(path, columns, roster=None):
    """Write the CSV (UTF-8 with a BOM, which Moodle strips and spreadsheets use to read the accents)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(table(columns, roster))


def notes(result):
    """What the instructor must know beside the points, in a few words."""
    found = (["notebook manipulado: 0 en todo"] if result.manipulated else []) + \
        (["puntos retenidos hasta la revisión de la cátedra"] if result.review else []) + \
        ([f"repositorio modificado ({len(result.modified_files)} archivos)"] if result.modified_files else [])
    text = "; ".join(found)
    return text[:1].upper() + text[1:] + "." if text else ""


def grade_of(result, spec):
    """One graded submission as a Moodle Grade: the points per test cell, or no grade after a grader error."""
    if result.internal_error:
        return Grade(None, spec.max_score, "Error interno del autograder: esta entrega se corrige a mano.")
    scores = {check.name: check.score for check in result.checks}
    parts = [(spec.cell_titles.get(cell, cell), sum(scores.get(n, 0.0) for n in names),
              sum(spec.points[n] for n in names)) for cell, names in spec.test_cells.items()]
    note = f"No se pudo leer el notebook: {result.error}" if result.error else notes(result)
    return Grade(result.score, spec.max_score, summary(result.score, spec.max_score, parts, note))


def columns_of(results, ids):
    """[(assignment title, {student id: Grade})] for a batch, one column per assignment, in NAMES order."""
    from .. import assignments

    columns = []
    for spec in assignments.every():
        grades = {student: grade_of(result, spec) for result, student in zip(results, ids)
                  if result.assignment == spec.name}
        if grades:
            columns.append((spec.title, grades))
    return columns
