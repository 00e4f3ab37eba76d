"""`grade PATH... --report DIR`: what the class got wrong, at a glance, from the same grading run.

    DIR/index.html          the class: summary, score histogram, pass rate per check, the diagnosed
                            mistakes ranked with a teaching hint, everyone's training curves, the students,
                            identical answers
    DIR/cohort.json         the figures behind that page
    DIR/students/<id>.html  one submission: its checks, its curves against the reference, its wrong derivatives

Every page is self-contained (images inline, no script, no network) and in Spanish, like everything the
instructor reads. A student's id is the folder name in nbgrader's layout (submitted/<id>/… or
autograded/<id>/…), otherwise the file's stem.
"""
import ast
import json
import re
import statistics
from collections import defaultdict
from pathlib import Path

from . import charts
from .grading import CHECK_POINTS, MAX_SCORE

SOLUTION_CELLS = ("gradients", "train", "plot_mse")
TEMPLATES = Path(__file__).resolve().parent / "templates" / "report"
# One line for the instructor per recognised mistake: what to do about it in class.
HINTS = {
    "slide_typo": "copiaron el error de la diapositiva (W⁽¹⁾ donde va W⁽²⁾): repasarlo en la próxima clase",
    "sign_flipped": "signo cambiado: repasar ∂L/∂ŷ = −2·(y − ŷ) y la regla de la cadena desde la pérdida",
    "missing_factor_2": "falta el 2 que baja del cuadrado en L = (y − ŷ)²",
    "extra_factor_2": "un 2 de más: la derivada de (y − ŷ)² tiene un solo factor 2",
    "sign_and_factor_2": "derivan mal el cuadrado: ∂L/∂ŷ = −2·(y − ŷ)",
    "returns_zero": "devuelven 0: la derivada quedó sin hacer",
    "missing_sigma_prime": "olvidan σ′ al atravesar la activación: repasar la cadena ŷ → a → z → W",
    "sigma_instead_of_prime": "usan σ(z) en lugar de σ′(z) = σ(z)·(1 − σ(z))",
    "one_minus_sigma_instead_of_prime": "usan 1 − σ(z) en lugar de σ(z)·(1 − σ(z))",
    "z_instead_of_sigma": "aplican σ′ a z en vez de a σ(z): σ′(z) = σ(z)·(1 − σ(z)), no z·(1 − z)",
    "swapped_inputs": "confunden x1 y x2: cada peso multiplica su propia entrada",
    "bias_times_input": "multiplican el sesgo por una entrada: ∂z/∂b = 1",
    "output_bias_times_activation": "multiplican el sesgo de salida por una activación: ∂ŷ/∂b⁽²⁾ = 1",
    "other_derivative": "devuelven la derivada de otro parámetro: revisar qué variable deriva cada hueco",
    "finite_difference": "aproximaron numéricamente en lugar de derivar: conversar por qué se pide la derivada",
    "missing": "derivadas sin completar",
    "not_a_number": "devuelven algo que no es un número",
    "nan": "divisiones 0/0 o restas de infinitos: NaN",
    "gradients_raised": "su gradients lanza un error: probar la celda antes de entregar",
    "gradient_ascent": "suman el gradiente: repasar el signo de θ ← θ − α·∂L/∂θ",
    "output_layer_only": "actualizan solo la capa de salida: las 9 derivadas entran en la actualización",
    "ignores_lr": "el paso no usa el learning rate que recibe train",
    "batch_updates": "actualizan una vez por epoch: eso es descenso por gradiente en batch, no SGD",
    "calls_per_epoch": "no llaman a gradients una vez por muestra",
    "samples_per_epoch": "una epoch no recorre las 4 muestras una vez cada una",
    "wrong_init": "no empiezan de init_params(seed)",
    "initial_params_returned": "devuelven los parámetros iniciales: actualizan una copia",
    "returned_not_final": "devuelven parámetros que no son los del final del entrenamiento",
    "untrained_params": "train no entrena: no llama a gradients",
    "hardcoded_params": "train devuelve una solución sin entrenar (¿copiada?)",
    "no_gradients_calls": "train no usa gradients(params, x, y)",
    "train_raised": "su train lanza un error",
    "history_per_sample": "registran el error de cada muestra, no el MSE de cada epoch",
    "history_length": "mse_history no tiene un valor por epoch",
    "history_summed": "suman los errores en lugar de promediarlos: MSE = 1/4·Σ",
    "history_rmse": "registran la raíz del MSE",
    "history_before_epoch": "registran el MSE antes de actualizar la epoch",
    "history_not_mse": "mse_history no es el MSE de su propio entrenamiento",
    "history_nan": "mse_history tiene NaN o infinitos que el entrenamiento no tuvo",
    "history_not_numbers": "mse_history no es una lista de números",
    "params_not_trained": "los params devueltos no salen del entrenamiento",
    "diverges": "el entrenamiento diverge (MSE infinito o NaN)",
    "not_converged": "con lr = 0.3 y 2000 epochs no resuelven XOR",
    "no_history": "no dejan la variable global mse_history",
    "one_point": "mse_history de un solo valor",
    "no_figure": "la celda del gráfico no muestra ninguna figura",
    "partial_curve": "grafican solo parte de las epochs",
    "markers_only": "grafican puntos sueltos en lugar de una línea",
    "no_line": "usan scatter o barras en lugar de una curva",
    "other_series": "grafican otra cosa en lugar de mse_history",
    "not_evaluated": "no se pudo evaluar: la celda falló o no terminó (revisar errores y bucles infinitos)",
}


# Not misconceptions but work not done, or code that did not run: ranked after real mistakes of the same count.
NOT_ATTEMPTED = {"missing", "no_history", "train_raised", "gradients_raised", "not_evaluated", "not_a_number"}


def student_id(path):
    """The student of a submission: the folder after submitted/ or autograded/ (nbgrader), else the file's stem."""
    parts = Path(path).parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in ("submitted", "autograded") and index + 2 < len(parts):
            return parts[index + 1]
    return Path(str(path).split(":")[0]).stem


def unique_ids(results):
    """One id per result, in order; a repeated id gets -2, -3, …"""
    seen, ids = defaultdict(int), []
    for result in results:
        base = student_id(result.path)
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def page_name(student):
    """A file name for a student's page that is safe on every file system."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", student)[:80] + ".html"


def normalized_code(source):
    """The parsed code of a cell: comments, blank lines and formatting do not count."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.dump(ast.parse("\n".join(lines)))
    except SyntaxError:
        return "".join(source.split())


def answer_key(submission):
    """What a student wrote in the solution cells, as parsed code."""
    return tuple(normalized_code(submission.cell_source(grade_id)) for grade_id in SOLUTION_CELLS)


def release_key():
    """The answer key of the untouched release (students who changed nothing are not 'identical answers')."""
    from .examples import RELEASE
    from .submission import load

    return answer_key(load(str(RELEASE))) if RELEASE.exists() else None


def identical_groups(ids, results):
    """Groups (of 2 or more ids) whose solution cells are the same parsed code."""
    blank, groups = release_key(), defaultdict(list)
    for student, result in zip(ids, results):
        if result.submission is not None:
            key = answer_key(result.submission)
            if key != blank:
                groups[key].append(student)
    return sorted((sorted(group) for group in groups.values() if len(group) > 1), key=lambda g: (-len(g), g))


def summarize(results):
    """The figures of the class (cohort.json), plus what the pages need beside them."""
    ids = unique_ids(results)
    graded = [(student, result) for student, result in zip(ids, results) if not result.error]
    scores = {student: result.score for student, result in graded}
    checks = {name: {"passed": 0, "failed": 0} for name in CHECK_POINTS}
    mistakes = defaultdict(list)
    for student, result in graded:
        for check in result.checks:
            checks[check.name]["passed" if check.score == check.max_score else "failed"] += 1
            if check.score < check.max_score and check.diagnosis:
                mistakes[(check.name, check.diagnosis)].append(student)
    ranked = sorted(mistakes.items(), key=lambda item: (-len(item[1]), list(CHECK_POINTS).index(item[0][0]), item[0][1]))
    by_code = defaultdict(lambda: {"students": set(), "checks": []})
    for (name, code), students in ranked:
        by_code[code]["students"].update(students)
        by_code[code]["checks"].append(name)
    values = list(scores.values())
    return {
        "submissions": len(results),
        "graded": len(graded),
        "ungradable": [{"id": student, "error": result.error} for student, result in zip(ids, results) if result.error],
        "max_score": MAX_SCORE,
        "mean": round(statistics.fmean(values), 2) if values else None,
        "median": statistics.median(values) if values else None,
        "scores": scores,
        "checks": checks,
        "mistakes": [{"check": name, "diagnosis": code, "count": len(students), "students": sorted(students)}
                     for (name, code), students in ranked],
        "identical": identical_groups([s for s, _ in graded], [r for _, r in graded]),
        # The same mistakes by diagnosis: how many students made each, in which checks (what the page ranks).
        "diagnoses": sorted(({"diagnosis": code, "count": len(found["students"]), "students": sorted(found["students"]),
                              "checks": sorted(found["checks"], key=list(CHECK_POINTS).index)}
                             for code, found in by_code.items()),
                            key=lambda d: (-d["count"], d["diagnosis"] in NOT_ATTEMPTED, d["diagnosis"])),
    }


def short_checks(names):
    """Check names, short: 'gradient: W1_11, W1_12; sgd:updates'."""
    gradients = [name.split(":")[1] for name in names if name.startswith("gradient:")]
    others = [name for name in names if not name.startswith("gradient:")]
    parts = ([f"las {len(gradients)} derivadas" if len(gradients) > 3 else "gradient: " + ", ".join(gradients)]
             if gradients else []) + others
    return "; ".join(parts)


def environment():
    """The Jinja2 environment of the report's templates (autoescaping on: ids and feedback are untrusted text)."""
    import jinja2

    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                   trim_blocks=True, lstrip_blocks=True)
    templates.globals["short_checks"] = short_checks
    return templates


def write_report(results, folder):
    """Write index.html, cohort.json and students/<id>.html for one grading run; return the figures."""
    folder = Path(folder)
    (folder / "students").mkdir(parents=True, exist_ok=True)
    figures = summarize(results)
    (folder / "cohort.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    templates = environment()
    ids = unique_ids(results)
    rows = []
    for student, result in zip(ids, results):
        own, corrected = result.curves()
        png = charts.training_curves(own, corrected)
        failing = [c for c in result.checks if c.score < c.max_score]
        rows.append({"id": student, "page": f"students/{page_name(student)}", "score": result.score,
                     "error": result.error, "failing": [c.name for c in failing],
                     "diagnoses": sorted({c.diagnosis for c in failing if c.diagnosis}), "own": own})
        wrong_derivatives = [c for c in failing if c.name.startswith("gradient:") and c.details]
        page = templates.get_template("student.html.j2").render(
            student=student, result=result, max_score=MAX_SCORE, hints=HINTS,
            picture=charts.data_uri(png) if png else None, wrong_derivatives=wrong_derivatives)
        (folder / "students" / page_name(student)).write_text(page, encoding="utf-8")
    graded_rows = [row for row in rows if not row["error"]]
    pictures = {
        "histogram": charts.data_uri(charts.score_histogram(figures["scores"].values(), MAX_SCORE)),
        "checks": charts.data_uri(charts.pass_rates({n: (c["passed"], c["failed"]) for n, c in figures["checks"].items()})),
        "curves": charts.data_uri(charts.class_curves([row["own"] for row in graded_rows if row["own"]])),
    }
    page = templates.get_template("index.html.j2").render(
        figures=figures, rows=rows, pictures=pictures, hints=HINTS, max_score=MAX_SCORE,
        pages={row["id"]: row["page"] for row in rows})
    (folder / "index.html").write_text(page, encoding="utf-8")
    return figures
