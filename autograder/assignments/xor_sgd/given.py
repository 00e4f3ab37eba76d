"""The exercise's given code, as the notebook gives it: the data, the parameter names and their
initialisation. Shared by the grader's model and by the child (it holds no answer)."""
import numpy as np

PARAM_NAMES = ("W1_11", "W1_12", "b1_1", "W1_21", "W1_22", "b1_2", "W2_11", "W2_12", "b2_1")
X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0.0, 1.0, 1.0, 0.0])


def init_params(seed):
    """The 9 parameters drawn U(0,1) with numpy's default_rng(seed), as the notebook does."""
    values = np.random.default_rng(seed).uniform(0.0, 1.0, size=len(PARAM_NAMES))
    return dict(zip(PARAM_NAMES, values.tolist()))
