"""Reports of graded submissions for terminals and files: the Spanish table, JSON, CSV, Gradescope."""
import csv
import json
import sys
import textwrap

from .. import assignments


def points(value):
    """A score without a useless '.0'."""
    return f"{value:g}"


def flags(result):
    """The lines an instructor must not miss: manipulation, code to review, locked cells put back, errors."""
    lines = []
    if result.error:
        lines.append(f"Error: {result.error}")
    if result.internal_error:
        lines.append(f"Error interno del autograder (no del alumno): {result.internal_error}")
    if result.violations:
        lines.append(f"MANIPULADO: {result.violations[0]}")
    for finding in result.review[:3]:
        lines.append(f"Revisar a mano: {finding.text} (celda {finding.cell + 1}, línea {finding.line})")
    if result.restored:
        lines.append("Aviso: se corrigieron como en el enunciado las celdas bloqueadas que cambiaste o borraste: "
                     + ", ".join(result.restored))
    return lines


def table(result, width=100):
    """One row per check (name, points, feedback), then the total: what a student or instructor reads."""
    lines = [f"Notebook: {result.path}"] + [f"  {line}" for line in flags(result)]
    name_width = max([len(check.name) for check in result.checks] or [10]) + 2
    indent = " " * (name_width + 10)
    for check in result.checks:
        mark = "✓" if check.score == check.max_score else "✗"
        head = f"  {mark} {check.name:<{name_width}}{points(check.score):>3}/{points(check.max_score):<4}"
        body = textwrap.wrap(check.feedback, width - len(indent)) or [""]
        lines.append(head + body[0])
        lines.extend(indent + line for line in body[1:])
    lines.append(f"  Total: {points(result.score)}/{points(result.max_score)} puntos")
    return "\n".join(lines)


def summary_table(results):
    """One row per submission: score and which checks failed."""
    rows = [f"{'Notebook':<48} {'Puntos':>8}  Chequeos que fallan"]
    for result in results:
        failing = [c.name for c in result.checks if c.score < c.max_score]
        shown = "—" if not failing else ", ".join(failing) if len(failing) <= 4 else f"{len(failing)} chequeos"
        if result.manipulated:
            shown = "MANIPULADO"
        rows.append(f"{result.path[-48:]:<48} {points(result.score):>4}/{points(result.max_score):<3}  {shown}")
    return "\n".join(rows)


def to_json(results):
    """One JSON object for one result, a list of them (with paths) for several."""
    if len(results) == 1:
        return json.dumps(results[0].as_dict(), ensure_ascii=False)
    return json.dumps([dict(path=r.path, **r.as_dict()) for r in results], ensure_ascii=False)


def gradescope(result):
    """Gradescope's results.json: one test per check; feedback that shows a hidden point is shown after publishing."""
    tests = [{"name": c.name, "score": c.score, "max_score": c.max_score,
              "status": "passed" if c.score == c.max_score else "failed", "output": c.feedback,
              "visibility": "after_published" if c.hidden else "visible"} for c in result.checks]
    output = result.error or "\n".join(flags(result) + [f"{result.score:g}/{result.max_score:g} puntos"])
    report = {"score": result.score, "output": output, "visibility": "visible", "stdout_visibility": "hidden",
              "tests": tests}
    return json.dumps(report, ensure_ascii=False, indent=1)


def check_columns(results):
    """The check columns of a CSV: every check of the assignments in the batch, in the registry's order."""
    present = {result.assignment for result in results}
    columns = []
    for spec in assignments.every():
        if spec.name in present:
            columns += [check.name for check in spec.checks if check.name not in columns]
    return columns


def write_csv(results, path):
    """One row per submission, broken ones included: path, assignment, score, max_score, each check's score,
    the flags (manipulated, review), error."""
    columns = check_columns(results)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "assignment", "score", "max_score", *columns, "manipulated", "review", "error"])
        for result in results:
            scores = {c.name: points(c.score) for c in result.checks}
            review = "; ".join(sorted({finding.code for finding in result.review}))
            writer.writerow([result.path, result.assignment, points(result.score), points(result.max_score),
                             *(scores.get(name, "") for name in columns), "sí" if result.manipulated else "",
                             review, result.error or result.internal_error])


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

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.active = total > 1 and stream.isatty()

    def step(self):
        self.done += 1
        if self.active:
            filled = int(30 * self.done / self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
