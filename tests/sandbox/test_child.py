"""sandbox/child.py: what each cell shows (text, figures, a final value, an error) is recorded as Jupyter would."""
import base64
import io

import matplotlib.image
import pytest

from autograder.engine.grading import grade
from autograder.engine.submission import Cell, Submission

CELLS = [
    "print('hola')\nimport sys\nprint('cuidado', file=sys.stderr)\nprint('chau')",
    "import matplotlib.pyplot as plt\nplt.plot([3, 1, 2])\nplt.title('curva')\nplt.show()\nprint('después')",
    "x = 6 * 7\nx",
    "x;",
    "%matplotlib inline\n!ls\ny = 1",
    "def f():\n    return 1 / 0\n\nf()",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])",  # left open: shown at the end
    "print('x' * 100_000)",
]


@pytest.fixture(scope="module")
def outputs():
    submission = Submission("<cells>", tuple(Cell(source) for source in CELLS))
    cells = grade(submission, outputs=True).evidence.cells
    return [cells[index]["outputs"] for index in range(len(CELLS))]


def kinds(items):
    return [next(key for key in ("stream", "png", "result", "error") if key in item) for item in items]


def test_streams_keep_their_order_and_names(outputs):
    assert outputs[0] == [{"stream": "stdout", "text": "hola\n"}, {"stream": "stderr", "text": "cuidado\n"},
                          {"stream": "stdout", "text": "chau\n"}]


def test_a_shown_figure_is_a_real_png_in_its_place(outputs):
    assert kinds(outputs[1]) == ["png", "stream"]
    image = matplotlib.image.imread(io.BytesIO(base64.b64decode(outputs[1][0]["png"])), format="png")
    assert image.shape[0] > 100 and image.shape[1] > 100
    assert kinds(outputs[6]) == ["result", "png"]  # the Line2D list, then the figure left open


def test_the_last_expression_is_the_result_unless_silenced(outputs):
    assert outputs[2] == [{"result": "42"}]
    assert outputs[3] == [] and outputs[4] == []  # `;` silences; magics and shell escapes do nothing


def test_an_error_has_a_traceback_in_the_students_own_cell(outputs):
    (error,) = outputs[5]
    assert error["error"] == "ZeroDivisionError" and error["message"] == "ZeroDivisionError: division by zero"
    assert any("línea 2: return 1 / 0" in line for line in error["traceback"])


def test_huge_output_is_cut(outputs):
    (stream,) = outputs[7]
    assert len(stream["text"]) < 60_000 and "recortada" in stream["text"]


@pytest.mark.parametrize("text", ["abc", "<missing>"])
def test_a_text_mse_history_is_called_text(text):
    """A string left in mse_history is reported as a str, whatever it says (not taken for a missing variable)."""
    submission = Submission("<cells>", (Cell(f"mse_history = {text!r}", "plot_mse"),))
    check = next(c for c in grade(submission).checks if c.name == "plot:mse_curve")
    assert check.feedback == "Después de la celda plot_mse, mse_history es str, no una lista de números."
    assert check.diagnosis == "no_history"
