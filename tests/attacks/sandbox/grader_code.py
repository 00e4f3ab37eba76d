# Change the grader's own code in the course, so that later runs import it (a harmless comment here).
def _attack():
    with open("{COURSE}/autograder/grading.py", "a") as handle:
        handle.write("\n# pwned {MARKER}\n")


try:
    _attack()
except Exception:
    pass
