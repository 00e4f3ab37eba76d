"""The README's two commands: .ci/run and the maintainers' workflow run exactly the test command."""
import re

from conftest import ROOT


def readme_commands():
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text())[:2]


def test_readme_starts_with_the_main_job_and_the_test_command():
    main_job, tests = readme_commands()
    assert "-m autograder demo" in main_job and "pytest" in tests
    assert (ROOT / "README.md").read_text().index(main_job) < 600


def test_ci_and_workflow_run_the_readme_test_command():
    _, tests = readme_commands()
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests in (ROOT / ".github" / "workflows" / "tests.yml").read_text()
