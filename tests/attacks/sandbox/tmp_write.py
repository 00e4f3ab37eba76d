# Write a file into /tmp itself, outside the grader's own temporary folder.
def _attack():
    with open("/tmp/xor-{MARKER}", "w") as handle:
        handle.write("{MARKER}\n")


try:
    _attack()
except Exception:
    pass
