"""What runs in the sandbox for the fake assignment: `double` at the points the question brings, nothing judged."""
from ...sandbox.child import as_number


def answer_double(child, data, link):
    """The student's double(x) at each point (None where it is not a number); an exception fails the question."""
    double = child.namespace.get("double")
    if not callable(double):
        raise NameError("no está definida la función double()")
    link.answer({"values": [as_number(double(x)) for x in data["points"]]})


HANDLERS = {"double": answer_double}
