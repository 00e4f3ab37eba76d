"""A student's repository, as the graders that run in it see it: where the notebook is, and the feedback
they show there (GitHub's job summary, a Classroom 50 release). Small on purpose: it ships with the grader
that runs in student repositories, and holds no build code."""
import math
import os
from pathlib import Path

SKIPPED = {".git", ".autograder", ".github", "__pycache__", ".ipynb_checkpoints", "node_modules"}
MAX_MARKDOWN = 60_000  # characters of feedback (GitHub refuses release bodies over 125,000, summaries over 1 MiB)


class NoNotebook(Exception):
    """The repository has no notebook to grade; the message says why, in Spanish."""


def notebooks(folder):
    """The .ipynb files of a repository (not in hidden or tool folders, never through a symlink), sorted."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith(".")
                   and not os.path.islink(os.path.join(root, d))]
        found += [Path(root) / name for name in files if name.endswith(".ipynb")]
    return sorted(found)


def find_notebook(folder, assignment):
    """(path, note) of the notebook to grade: `<assignment>.ipynb` at the root, or else the repository's only
    notebook, with a note saying so. NoNotebook when there is none, several, or a symlink."""
    folder = Path(folder)
    expected = folder / f"{assignment}.ipynb"
    if expected.is_symlink():
        raise NoNotebook(f"{expected.name} es un enlace simbólico: se corrige el archivo del repositorio, no otro.")
    if expected.is_file():
        return expected, ""
    others = [path for path in notebooks(folder) if not path.is_symlink()]
    if len(others) == 1:
        return others[0], (f"No se encontró {expected.name}; se corrigió el único notebook del repositorio, "
                           f"{others[0].relative_to(folder)}. Guardalo como {expected.name} en la raíz.")
    if not others:
        raise NoNotebook(f"No se encontró {expected.name} en la raíz del repositorio (ni otro notebook).")
    names = ", ".join(str(path.relative_to(folder)) for path in others[:5])
    raise NoNotebook(f"No se encontró {expected.name} y el repositorio tiene varios notebooks ({names}): guardá tu "
                     f"trabajo como {expected.name} en la raíz.")


def cell(text):
    """Text for one cell of a Markdown table: one line, no table or HTML syntax of its own."""
    text = " ".join(str(text).split())
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "'")):
        text = text.replace(old, new)
    return text


def sparkline(series, width=60):
    """A curve in text, on a log scale (what shows in any Markdown page): ▁▂▃▄▅▆▇█ per bucket of epochs."""
    values = [math.log10(v) for v in series if isinstance(v, float) and math.isfinite(v) and v > 0]
    if len(values) < 2:
        return ""
    step = max(1, math.ceil(len(values) / width))
    buckets = [sum(values[i:i + step]) / len(values[i:i + step]) for i in range(0, len(values), step)]
    low, high = min(buckets), max(buckets)
    bars = "▁▂▃▄▅▆▇█"
    return "".join(bars[int((b - low) / (high - low) * 7) if high > low else 0] for b in buckets)


def markdown(result, note="", chart=""):
    """The Spanish feedback of one result as Markdown: total, notes, one row per check, the curve."""
    lines = [f"### {result.score:g}/{result.max_score:g} puntos", ""]
    for text in ([note] if note else []) + ([f"⚠️ Error: {result.error}"] if result.error else []):
        lines += [cell(text), ""]
    if result.restored:
        lines += [cell("Se corrigieron como en el enunciado las celdas bloqueadas que cambiaste o borraste: "
                       + ", ".join(result.restored) + "."), ""]
    lines += ["| | chequeo | puntos | devolución |", "|---|---|---|---|"]
    for check in result.checks:
        mark = "✅" if check.score == check.max_score else "❌"
        lines.append(f"| {mark} | `{cell(check.name)}` | {check.score:g}/{check.max_score:g} | {cell(check.feedback)} |")
    own, _ = result.curves()
    line = sparkline(own or [])
    if line:
        lines += ["", f"Tu curva de entrenamiento (escala log, de la primera a la última epoch): `{line}`"]
    if chart:
        lines += ["", chart]
    text = "\n".join(lines) + "\n"
    return text if len(text) <= MAX_MARKDOWN else text[:MAX_MARKDOWN] + "\n\n(devolución recortada)\n"
