"""The build's hook: the notebook's self-check holds the visible points and their exact derivatives as
literals (computed with 40-digit Decimal, so every machine prints the same digits), not a function that
computes gradients."""
from . import model
from .interview import plan_points

# The line of the single source that the build replaces with SELF_CHECK_POINTS.
MARKER = "SELF_CHECK_POINTS = ...  # build: the visible points and their exact derivatives"


def decimal_literal(value):
    """A Decimal as a Python float literal with 15 significant digits."""
    if value == 0:
        return "0.0"
    mantissa, exponent = format(value, ".14e").split("e")
    return f"{mantissa}e{int(exponent):+03d}"


def self_check_source():
    """SELF_CHECK_POINTS: the visible points and their exact derivatives, as Python literals."""
    lines = ["SELF_CHECK_POINTS = [  # (params, x, y, las 9 derivadas exactas en el orden de PARAM_NAMES)"]
    for index, (theta, x, y) in enumerate(plan_points("0", hidden=False)):
        params = f"init_params({index // 4})" if index < 8 else repr(theta)
        exact = [decimal_literal(value) for value in model.exact_gradient_decimal(theta, x, y)]
        lines.append(f"    ({params}, {tuple(x)!r}, {y!r},")
        lines += [f"     ({', '.join(exact[:3])},", f"      {', '.join(exact[3:6])},",
                  f"      {', '.join(exact[6:])})),"]
    lines.append("]")
    return "\n".join(lines)


def fill(source_text):
    """The single source's text with the marker line replaced by SELF_CHECK_POINTS (exactly one marker)."""
    lines = source_text.split("\n")
    if lines.count(MARKER) != 1:
        raise RuntimeError(f"expected one line {MARKER!r} in the single source, found {lines.count(MARKER)}")
    lines[lines.index(MARKER)] = self_check_source()
    return "\n".join(lines)
