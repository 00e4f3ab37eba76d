"""Screenshots of what instructors and students see, for the README (docs/*.png).

    python docs/screenshots.py

Grades a class made of corpus submissions (one per student folder, as nbgrader lays them out) with
`--report`, runs the nbgrader cycle for one student, and photographs the pages in headless Chromium at
1280 px: the class report, one student's page, and the two test cells of the nbgrader feedback.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from autograder.build import tool_env  # noqa: E402
from autograder.build.examples import fill  # noqa: E402
from conftest import CORPUS, chromium  # noqa: E402

CLASS = sorted(p.name for p in CORPUS.glob("*.py") if p.name.startswith(("right_solution", "right_shuffle", "wrong_",
                                                                            "sgd_", "plot_", "fd_central_1e5")))


def write_class(folder):
    import nbformat

    for name in CLASS:
        target = folder / "submitted" / Path(name).stem / "xor_sgd" / "xor_sgd.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(fill(CORPUS / name), str(target))


def run(command, cwd):
    done = subprocess.run(command, cwd=cwd, env=tool_env(), capture_output=True, text=True)
    if done.returncode not in (0, 2):
        raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])


def feedback_page(scratch):
    """The nbgrader feedback HTML of one student with the slide's typo, from a real course cycle."""
    import nbformat

    course = scratch / "course"
    shutil.copytree(ROOT / "source" / "xor_sgd", course / "source" / "xor_sgd")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    run([*nbgrader, "generate_assignment", "xor_sgd", "--force"], course)
    target = course / "submitted" / "alumno" / "xor_sgd" / "xor_sgd.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(fill(CORPUS / "wrong_sign_W2_12.py"), str(target))
    run([*nbgrader, "autograde", "xor_sgd"], course)
    run([*nbgrader, "generate_feedback", "xor_sgd"], course)
    return course / "feedback" / "alumno" / "xor_sgd" / "xor_sgd.html"


def main():
    from playwright.sync_api import sync_playwright

    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        write_class(scratch)
        run([sys.executable, "-m", "autograder", "grade", str(scratch / "submitted"), "--report",
             str(scratch / "report"), "--jobs", "2"], ROOT)
        feedback = feedback_page(scratch)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 1500})
            page.goto((scratch / "report" / "index.html").as_uri())
            page.screenshot(path=str(docs / "report.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 2300},
                            full_page=True)
            page.goto((scratch / "report" / "students" / "wrong_slide_typo_W1_11.html").as_uri())
            page.screenshot(path=str(docs / "student.png"), full_page=True)
            page.goto(feedback.as_uri())
            for cell, name in (("test_gradients", "feedback-gradients.png"), ("test_sgd", "feedback-sgd.png")):
                box = page.locator(f"#{cell}").locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' code_cell ')][1]").bounding_box()
                page.screenshot(path=str(docs / name), full_page=True,
                                clip={"x": 0, "y": box["y"] - 10, "width": 1280, "height": box["height"] + 20})
            browser.close()
    for name in ("report.png", "student.png", "feedback-gradients.png", "feedback-sgd.png"):
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
