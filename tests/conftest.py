"""Shared fixtures: the repository root, and the instructor solution's functions loaded from its notebook."""
import json
import os
import sys
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "assignments" / "xor_sgd" / "corpus"
CHEATS = ROOT / "tests" / "assignments" / "xor_sgd" / "cheats"


def run_cells(path, grade_ids=None):
    """Execute the code cells of a notebook (all, or only those with the given grade_ids) in a fresh namespace."""
    matplotlib.use("Agg")
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    namespace = {"__name__": "__main__"}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_ids is None or grade_id in grade_ids:
            exec(compile("".join(cell["source"]), f"<{grade_id or 'cell'}>", "exec"), namespace)
    return namespace


@pytest.fixture(scope="session")
def solution():
    """The namespace of the instructor solution's given code and its gradients/train cells."""
    return run_cells(ROOT / "solutions" / "xor_sgd.ipynb",
                     {"given_data", "given_network", "gradients", "train"})


def cli(*args, cwd=ROOT, timeout=600, env=None):
    """Run `python -m autograder ...` as a real subprocess (env: extra variables); return the CompletedProcess."""
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def make_venv(folder, *requirements):
    """A fresh virtualenv with only the given pip requirements; returns its python."""
    import subprocess
    import venv

    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements], check=True, timeout=900)
    return python


_FILLED = {}


def corpus_file(name):
    """A corpus submission (answers only, tests/corpus/NAME) filled into the current release: an .ipynb path."""
    import tempfile

    from autograder.build.examples import write_filled

    if name not in _FILLED:
        folder = Path(tempfile.mkdtemp(prefix="corpus-"))
        _FILLED[name] = write_filled([CORPUS / name], folder)[0]
    return _FILLED[name]


def student_notebook(name):
    """The current release notebook with a corpus submission's answers in place."""
    from autograder.build.examples import fill

    return fill(CORPUS / name)


def chromium():
    """The path of a Chromium (or Chrome) to drive with Playwright. CI must have one (.ci/run installs Debian's);
    elsewhere the browser tests are skipped when there is none."""
    import shutil

    for candidate in (os.environ.get("XOR_CHROMIUM"), "chromium", "chromium-browser", "google-chrome",
                      "google-chrome-stable"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    if os.environ.get("CI"):
        pytest.fail("CI has no Chromium: .ci/run installs Debian's chromium")
    pytest.skip("no Chromium on this machine (apt-get install chromium)")


class PageVisit:
    """What a real browser saw on one page: every request it tried, console errors, images, layout, the DOM."""

    def __init__(self, browser, url, width=1280):
        self.requests, self.errors = [], []
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.route("**/*", self.only_local)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def only_local(self, route):
        """A page must need nothing from the network: any other request is recorded and refused."""
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def images(self):
        """(alt, decoded width) of every <img>."""
        return self.page.evaluate("[...document.images].map(i => [i.alt, i.complete ? i.naturalWidth : 0])")

    def overflow(self):
        """How many pixels the page is wider than the window (0: no horizontal scroll)."""
        return self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    def words_split_across_lines(self, selector):
        """The texts of the elements (one text each) that take more lines than they have words: a name cut in two."""
        return self.page.eval_on_selector_all(selector, """nodes => nodes.filter(n => {
            const range = document.createRange();
            range.selectNodeContents(n);
            return range.getClientRects().length > n.textContent.trim().split(/\\s+/).length;
        }).map(n => n.textContent.trim())""")

    def texts(self, selector):
        return self.page.eval_on_selector_all(selector, "nodes => nodes.map(n => n.textContent.trim())")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, driven by Playwright (no browser download: the machine's own Chromium)."""
    path = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        yield launched
        launched.close()
