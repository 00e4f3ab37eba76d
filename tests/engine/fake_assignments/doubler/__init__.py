"""A fake assignment for the engine's tests (registered through AUTOGRADER_ASSIGNMENTS_PATH): `double(x)` = 2x."""
