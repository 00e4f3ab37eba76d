"""The grader's end of the child's channel: hostile bytes in, bounded messages out.

Everything a submission writes is read here, and nothing it writes can cost the grader more than a bounded
amount of memory and linear time: lines are cut out of one growing buffer without copying it again, a line
longer than `max_line` or a run that sends more than `max_total` bytes is refused, and a line is either a
serve request (`S` + hex doubles) or one JSON object; any parser error (RecursionError from deep nesting
included) makes it malformed. Shapes are then checked by the small validators below, which also bound
every string and list they accept.
"""
import base64
import json
import math
import struct

import numpy as np


class Malformed(ValueError):
    """A message that is not what the protocol allows."""


class Overflow(Exception):
    """The child sent more than the limits allow."""


class LineReader:
    """Complete lines out of a stream of chunks, bounded per line and in total."""

    def __init__(self, max_line, max_total):
        self.buffer, self.scanned = bytearray(), 0
        self.max_line, self.max_total, self.received = max_line, max_total, 0

    def feed(self, data):
        """Add a chunk; return the complete lines it finished (without their newline). Overflow on limits."""
        self.received += len(data)
        if self.received > self.max_total:
            raise Overflow("total")
        self.buffer += data
        lines, start = [], 0
        while (end := self.buffer.find(b"\n", max(start, self.scanned))) >= 0:
            lines.append(bytes(self.buffer[start:end]))
            start = end + 1
        del self.buffer[:start]  # one move per chunk, not per line: linear in what was received
        self.scanned = len(self.buffer)
        if len(self.buffer) > self.max_line or any(len(line) > self.max_line for line in lines):
            raise Overflow("line")
        return lines


def parse(line):
    """A line as ('serve', floats) or ('json', dict); Malformed otherwise."""
    if line.startswith(b"S"):
        try:
            raw = bytes.fromhex(line[1:].decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            raise Malformed("petición ilegible") from None
        if len(raw) % 8 or len(raw) > 8 * 1024:
            raise Malformed("petición de tamaño inválido")
        return "serve", struct.unpack(f"<{len(raw) // 8}d", raw)
    try:
        message = json.loads(line)
    except Exception:  # ValueError, RecursionError from deep nesting, MemoryError...: never the grader's problem
        raise Malformed("una línea que no es JSON") from None
    if not isinstance(message, dict):
        raise Malformed("un mensaje que no es un objeto")
    return "json", message


# --- validators: each returns the clean value or raises Malformed -------------------------------------------
def integer(value, low=0, high=2**31):
    """An int (not a bool) within [low, high]."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise Malformed(f"se esperaba un entero, llegó {type(value).__name__}")
    return value


def text(value, limit=1000, optional=False):
    """A str of at most `limit` characters (cut), or None when optional."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise Malformed(f"se esperaba texto, llegó {type(value).__name__}")
    return value[:limit].encode("utf-8", "replace").decode("utf-8")  # JSON may carry lone surrogates: no printer can


def number(value):
    """A float: a JSON number (Python's JSON also reads NaN and Infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Malformed(f"se esperaba un número, llegó {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float
        raise Malformed("un número fuera de rango") from None


def floats64(value, limit):
    """A float64 array from base64 text (how children send long series), of at most `limit` values."""
    if not isinstance(value, str) or len(value) > (limit * 8 + 2) * 4 // 3 + 4:
        raise Malformed("una serie codificada demasiado larga")
    try:
        raw = base64.b64decode(value, validate=True)
    except (ValueError, TypeError):
        raise Malformed("una serie mal codificada") from None
    if len(raw) % 8:
        raise Malformed("una serie mal codificada")
    return np.frombuffer(raw, dtype="<f8").astype(float)


def numbers(value, length=None, limit=200_000):
    """A list of floats (exactly `length` of them when given)."""
    if not isinstance(value, list) or len(value) > limit or (length is not None and len(value) != length):
        raise Malformed("se esperaba una lista de números")
    return [number(item) for item in value]


def series(value, limit=200_000):
    """A list of floats, or None (the child could not read one)."""
    return None if value is None else numbers(value, limit=limit)


def mapping(value, keys):
    """A dict with only the given keys (all optional): key -> validator."""
    if not isinstance(value, dict) or set(value) - set(keys):
        raise Malformed("un objeto con claves inesperadas")
    return {key: keys[key](value[key]) for key in value}


def listing(value, item, limit):
    """A list of at most `limit` items, each checked by `item`."""
    if not isinstance(value, list) or len(value) > limit:
        raise Malformed("se esperaba una lista acotada")
    return [item(element) for element in value]


def figures(value, limit):
    """The figures of a cell as sandbox/child.packed_figures sends them: at most 50 figures, axes and lines,
    each line's y values as floats64 of at most `limit` values, texts bounded."""
    def line(item):
        return mapping(item, {"y": lambda v: floats64(v, limit), "linestyle": lambda v: text(v, 20)})

    def axes(item):
        return mapping(item, {key: lambda v: text(v, 200) for key in ("xlabel", "ylabel", "title")}
                       | {"yscale": lambda v: text(v, 20), "lines": lambda v: listing(v, line, 50),
                          "collections": integer})

    def figure(item):
        return mapping(item, {"axes": lambda v: listing(v, axes, 50), "suptitle": lambda v: text(v, 200)})

    return listing(value, figure, 50)


def finite(values):
    """Whether every float is finite."""
    return all(math.isfinite(v) for v in values)
