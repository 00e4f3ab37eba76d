"""reports/text.py: Gradescope's results.json against its published fields, and shards that add up to the batch."""
import csv
import json
import shutil

import nbformat

from autograder import assignments
from autograder.assignments.xor_sgd.interview import plan_points
from conftest import ROOT, cli, corpus_file, student_notebook

CHECK_POINTS = assignments.get("xor_sgd").points

# https://gradescope-autograders.readthedocs.io/en/latest/specs/ (results.json)
TOP_LEVEL_FIELDS = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                    "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
               "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def test_gradescope_results_json_follows_the_published_fields(tmp_path):
    results = tmp_path / "results.json"
    done = cli("grade", corpus_file("wrong_slide_typo_W1_11.py"), "--format", "gradescope", "--output", results)
    assert done.returncode == 0, done.stderr
    report = json.loads(results.read_text())
    assert set(report) <= TOP_LEVEL_FIELDS and report["visibility"] in VISIBILITY
    assert report["stdout_visibility"] in VISIBILITY
    assert [t["name"] for t in report["tests"]] == list(CHECK_POINTS)
    for test in report["tests"]:
        assert set(test) <= TEST_FIELDS
        assert test["visibility"] in VISIBILITY and test["status"] in ("passed", "failed")
        assert isinstance(test["score"], float) and test["max_score"] == CHECK_POINTS[test["name"]]
    assert report["score"] == sum(t["score"] for t in report["tests"]) == 17
    failing = [t for t in report["tests"] if t["status"] == "failed"]
    assert [t["name"] for t in failing] == ["gradient:W1_11"] and "diapositiva" in failing[0]["output"]


def test_feedback_that_reveals_a_hidden_point_is_shown_after_publishing(tmp_path):
    # A derivative right on the 10 visible points and wrong elsewhere (what hard-coding the visible
    # points would give): only the hidden points catch it, and its feedback shows one of them.
    visible = [list(x) for _, x, _ in plan_points("0" * 64, hidden=False)]
    notebook = student_notebook("right_solution.py")
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gradients")
    cheat = cell.source.replace("    return {", f"    if [float(x[0]), float(x[1])] not in {visible}:\n"
                                               "        dL_dW2_11 = 0.0\n    return {", 1)
    assert cheat != cell.source
    cell.source = cheat
    submission = tmp_path / "visible_only.ipynb"
    nbformat.write(notebook, str(submission))
    cli("grade", submission, "--format", "gradescope", "--output", tmp_path / "results.json")
    tests = {t["name"]: t for t in json.loads((tmp_path / "results.json").read_text())["tests"]}
    assert tests["gradient:W2_11"]["status"] == "failed"
    assert tests["gradient:W2_11"]["visibility"] == "after_published"
    assert tests["gradient:W1_11"]["visibility"] == "visible"


def test_shards_together_equal_the_full_batch(tmp_path):
    batch = tmp_path / "batch"
    names = ["right_solution.py", "wrong_sign_W2_12.py", "plot_none.py", "sgd_history_sum.py",
             "wrong_none_b1_1.py", "right_linear_range.py", "plot_scatter.py"]
    for index, name in enumerate(names):
        folder = batch / f"alumno{index}" / "xor_sgd"
        folder.mkdir(parents=True)
        shutil.copy(corpus_file(name), folder / "xor_sgd.ipynb")
    assert cli("grade", batch, "--csv", tmp_path / "full.csv").returncode == 0
    shards = []
    for index in (1, 2, 3):
        shards.append(tmp_path / f"shard{index}.csv")
        assert cli("grade", batch, "--shard", f"{index}/3", "--csv", shards[-1]).returncode == 0
    assert cli("merge-csv", tmp_path / "merged.csv", *shards).returncode == 0
    full = list(csv.reader((tmp_path / "full.csv").open()))
    merged = list(csv.reader((tmp_path / "merged.csv").open()))
    assert merged == full and len(full) == len(names) + 1
    sizes = [len(list(csv.reader(s.open()))) - 1 for s in shards]
    assert sizes == [3, 2, 2]


def test_bad_shard_is_refused():
    done = cli("grade", ROOT / "release", "--shard", "4/3")
    assert done.returncode == 2 and "between 1 and N" in done.stderr


def test_control_characters_are_written_out_for_terminals_spreadsheets_and_json():
    import io

    from autograder.reports.text import TerminalStream, csv_cell, json_text, printable

    attack = "a\x1b]52;c;eA==\x07\x1b[2J\x9b31m\u202e\udcff\r\nb"
    assert printable(attack) == "a\\x1b]52;c;eA==\\x07\\x1b[2J\\x9b31m\\u202e\\udcff\\r\\nb"
    stream = io.StringIO()
    TerminalStream(stream).write("tabla:\t" + attack + "\n")
    assert stream.getvalue() == "tabla:\ta\\x1b]52;c;eA==\\x07\\x1b[2J\\x9b31m\\u202e\\udcff\\r\nb\n"
    assert json.loads(json_text({"x": attack})) == {"x": attack}  # JSON escapes them, and reads back the same
    assert all(ord(c) < 0x7f or ord(c) > 0x9f for c in json_text(attack))
    for formula in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(formula)[0] not in "=+-@\t\r", formula
    assert csv_cell("ana") == "ana" and csv_cell("'=x") == "'=x"


def test_the_csv_has_an_id_column_and_its_student_cells_are_text(tmp_path):
    from autograder.engine.grading import unreadable
    from autograder.reports.text import write_csv

    results = [unreadable(path, f"{path}: roto") for path in ("e/=1+1.ipynb", "f/=1+1.ipynb", "e/ana.ipynb")]
    write_csv(results, tmp_path / "notas.csv")
    rows = list(csv.DictReader((tmp_path / "notas.csv").open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["e/=1+1", "f/=1+1", "ana"]  # rule 3: the same name in two folders
    assert [row["score"] for row in rows] == ["0", "0", "0"]
    write_csv(results[:1], tmp_path / "uno.csv")
    (row,) = csv.DictReader((tmp_path / "uno.csv").open(encoding="utf-8"))
    assert row["id"] == "'=1+1" and row["error"] == "e/=1+1.ipynb: roto"


def test_the_modified_files_of_a_collected_repository_are_a_column_and_a_flag(tmp_path):
    from autograder.engine.grading import unreadable
    from autograder.reports.text import flags, write_csv

    edited, clean = unreadable("a/x.ipynb", "roto"), unreadable("b/x.ipynb", "roto")
    edited.collected = {"modified_files": ["=HYPERLINK(\"http://x\")", ".autograder/grade.py"], "note": ""}
    write_csv([edited, clean], tmp_path / "notas.csv", ["ana", "beto"])
    rows = {row["id"]: row for row in csv.DictReader((tmp_path / "notas.csv").open(encoding="utf-8"))}
    assert rows["ana"]["modified_files"] == "'=HYPERLINK(\"http://x\");.autograder/grade.py"  # text, no formula
    assert rows["beto"]["modified_files"] == ""
    assert "Repositorio modificado: =HYPERLINK(\"http://x\"); .autograder/grade.py" in flags(edited)
    assert not any("modificado" in line for line in flags(clean))


def test_the_summary_table_shows_whole_paths_up_to_its_width_and_keeps_the_file_name():
    from autograder.engine.grading import unreadable
    from autograder.reports.text import summary_table

    short, long = unreadable("a.ipynb", "x"), unreadable("/" + "carpeta/" * 20 + "ana_lopez.ipynb", "x")
    lines = summary_table([short, long], widest=40).splitlines()
    assert len({line.index("Puntos") if i == 0 else None for i, line in enumerate(lines)} - {None}) == 1
    assert lines[1].startswith("a.ipynb ") and lines[2].startswith("…") and "ana_lopez.ipynb" in lines[2]
    assert all(len(line.split("  ")[0]) <= 40 + 9 for line in lines[1:])
    assert "tests/assignments/x/corpus/wrong_slide_typo_W1_11.py" in summary_table(
        [unreadable("tests/assignments/x/corpus/wrong_slide_typo_W1_11.py", "x")])
