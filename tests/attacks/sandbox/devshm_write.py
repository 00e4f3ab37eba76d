# Write a file into /dev/shm (shared memory, visible to every process of the machine).
def _attack():
    with open("/dev/shm/xor-{MARKER}", "w") as handle:
        handle.write("{MARKER}\n")


try:
    _attack()
except Exception:
    pass
