# Write a file into the course folder by its absolute path.
def _attack():
    with open("{COURSE}/pwned-{MARKER}", "w") as handle:
        handle.write("{MARKER}\n")


try:
    _attack()
except Exception:
    pass
