# Write into the grader's HOME (by its path and through ~), e.g. a shell start-up file.
def _attack():
    import os

    for folder in ("{HOME}", os.path.expanduser("~")):
        try:
            with open(os.path.join(folder, ".profile-{MARKER}"), "w") as handle:
                handle.write("echo {MARKER}\n")
        except OSError:
            pass


try:
    _attack()
except Exception:
    pass
