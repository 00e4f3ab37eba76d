# Fill the disk (bounded: 200 MB in 25 MB files) in the temp folder it is given and in the grader's TMPDIR,
# and leave the files behind.
def _attack():
    import os
    import tempfile

    block = b"\0" * (1 << 20)
    for number, folder in enumerate(("{TMPDIR}", tempfile.gettempdir())):
        for index in range(4):
            try:
                with open(os.path.join(folder, f"fill-{MARKER}-{number}{index}"), "wb") as handle:
                    for _ in range(25):
                        handle.write(block)
            except OSError:
                break


try:
    _attack()
except Exception:
    pass
