"""`python -m autograder`: see autograder.frontends.cli."""
import sys

from .frontends.cli import main

sys.exit(main())
