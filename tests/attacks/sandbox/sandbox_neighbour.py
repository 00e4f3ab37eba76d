# Write into the sandbox folders of other submissions (the CLI's autograder-* folders in the grader's TMPDIR,
# nbgrader's autograded/<student>/ folders), for 2 s; report in the own feedback how many writes succeeded.
def _attack():
    import glob
    import os
    import time

    here = os.path.realpath(os.getcwd())
    wrote, deadline = set(), time.monotonic() + 2
    while time.monotonic() < deadline:
        for pattern in ("{TMPDIR}/*/", "{COURSE}/autograded/*/xor_sgd/"):
            for folder in glob.glob(pattern):
                if os.path.realpath(folder) == here or folder in wrote:
                    continue
                try:
                    with open(os.path.join(folder, "pwned-{MARKER}"), "w") as handle:
                        handle.write("{MARKER}\n")
                    wrote.add(folder)
                except OSError:
                    pass
        time.sleep(0.1)
    return len(wrote)


_wrote = 0
try:
    _wrote = _attack()
except Exception:
    pass
if _wrote:
    raise RuntimeError(f"NEIGHBOUR wrote into {_wrote} other sandbox folders")
