"""assignments/xor_sgd/plot.py: verdicts on recorded figures and traces (the corpus runs real figures end to end)."""
import numpy as np

from autograder.assignments.xor_sgd import plot
from autograder.assignments.xor_sgd import model as network
from autograder.engine.assignment import Evidence
from autograder.sandbox.questions import Answer


def training(n_epochs=50, lr=0.5, seed=0):
    """What the recorder keeps of a plot cell that calls a correct train: (calls (K, 21), history)."""
    theta = np.array([network.init_params(seed)[n] for n in network.PARAM_NAMES])
    calls, history = [], []
    for _ in range(n_epochs):
        for x, y in zip(network.X_XOR, network.Y_XOR):
            grad = np.array(network.exact_gradient(list(theta), list(x), y))
            calls.append([*theta, *x, y, *grad])
            theta = theta - lr * grad
        history.append(float(network.mse_batch(theta[None])[0]))
    return np.array(calls), np.array(history)


CALLS, HISTORY = training()


def evidence(history, lines, calls=CALLS, returned=HISTORY, xlabel="Epoch", ylabel="MSE", yscale="log"):
    """The plot question's answer: figures, the global mse_history, and the recorder's trace."""
    axes = {"xlabel": xlabel, "ylabel": ylabel, "title": "t", "yscale": yscale, "collections": 0,
            "lines": [{"y": np.asarray(y, dtype=float), "linestyle": style} for y, style in lines or []]}
    trains = [] if returned is None else [{"start": 0, "end": len(calls), "params": [0.0] * 9,
                                           "history": np.asarray(returned, dtype=float)}]
    data = {"figures": [{"axes": [axes], "suptitle": ""}] if lines is not None else [],
            "history": None if history is None else np.asarray(history, dtype=float), "history_type": "list",
            "calls": np.asarray(calls, dtype=float).reshape(-1, 21), "trains": trains}
    return Evidence(answers={"plot": Answer(data=data)})


def verdict(evidence):
    return plot.judge(evidence, lambda answer, grade_id: "no respondió")[0]


def test_the_curve_passes_on_any_scale():
    assert verdict(evidence(HISTORY, [(HISTORY, "-")])).score == 3
    assert verdict(evidence(HISTORY, [(HISTORY, "-")], yscale="linear")).score == 3


def test_log_of_the_curve_passes_with_advice():
    check = verdict(evidence(HISTORY, [(np.log10(HISTORY), "-")]))
    assert check.score == 3 and "set_yscale" in check.feedback


def test_missing_labels_are_advised_not_penalised():
    check = verdict(evidence(HISTORY, [(HISTORY, "-")], xlabel="", ylabel=""))
    assert check.score == 3 and "Poné nombre" in check.feedback


def test_failures():
    assert verdict(evidence(HISTORY, None)).score == 0  # no figure
    assert "solo con marcadores" in verdict(evidence(HISTORY, [(HISTORY, "None")])).feedback
    assert "10 de los 50" in verdict(evidence(HISTORY, [(HISTORY[::5], "-")])).feedback
    assert "un solo punto" in verdict(evidence(HISTORY[:1], [(HISTORY[:1], "-")])).feedback
    assert verdict(evidence(HISTORY, [([1, 2, 3], "-")])).score == 0  # something else


def test_a_made_up_curve_earns_nothing():
    made_up = np.geomspace(0.3, 1e-6, 50)
    check = verdict(evidence(made_up, [(made_up, "-")], calls=np.zeros((0, 21)), returned=None))
    assert check.score == 0 and check.diagnosis == "not_from_training"
    check = verdict(evidence(made_up, [(made_up, "-")], returned=None))  # a real training, but not this curve
    assert check.score == 0 and check.diagnosis == "not_from_training"


def test_a_nan_line_earns_nothing():
    nan = np.array([np.nan, np.nan])
    check = verdict(evidence(nan, [(nan, "-")], returned=nan))
    assert check.score == 0 and check.diagnosis == "no_finite_curve"


def test_a_wrong_history_that_train_returned_is_plotted_faithfully():
    """sgd:history's mistake (a summed MSE) is not the plot's: the plot of it keeps its points."""
    summed = 4 * HISTORY
    assert verdict(evidence(summed, [(summed, "-")], returned=summed)).score == 3


def test_a_loop_written_in_the_plot_cell_is_a_training_too():
    """No call of train: the curve must be a per-epoch reading of the recorded calls."""
    assert verdict(evidence(HISTORY, [(HISTORY, "-")], returned=None)).score == 3


def test_calls_that_do_not_start_from_the_initialisation_are_not_a_training():
    calls = CALLS.copy()
    calls[:, :9] += 5.0  # the same steps from somewhere else
    check = verdict(evidence(HISTORY, [(HISTORY, "-")], calls=calls))
    assert check.score == 0 and "U(0, 1)" in check.feedback


def frozen(n_epochs=50, seed=0):
    """A loop that calls gradients but never changes θ (it updates a copy): its calls and its faithful history."""
    calls, _ = training(n_epochs=1, lr=0.0, seed=seed)
    calls = np.tile(calls, (n_epochs, 1))
    return calls, np.full(n_epochs, float(network.mse_batch(calls[:1, :9])[0]))


def test_a_made_up_curve_that_train_returned_without_steps_earns_nothing():
    """Calling gradients without ever stepping is not a training: what train returns then must be read off it."""
    calls, _ = frozen()
    made_up = np.geomspace(0.3, 1e-6, 50)
    check = verdict(evidence(made_up, [(made_up, "-")], calls=calls, returned=made_up))
    assert check.score == 0 and check.diagnosis == "not_from_training"


def test_a_loop_that_never_steps_keeps_the_plot_of_its_faithful_history():
    """Updating a copy is sgd:updates' mistake; the flat curve it records is still its MSE, plotted."""
    calls, flat = frozen()
    assert verdict(evidence(flat, [(flat, "-")], calls=calls, returned=flat)).score == 3


def test_one_value_per_call_must_be_the_losses_along_the_calls():
    """A per-sample history is read off the calls too: the MSE after each step passes, made-up values do not."""
    after = np.vstack([CALLS[1:, :9], CALLS[-1:, :9]])
    per_sample = network.mse_batch(after)
    per_sample[-1] = 1e-9  # θ after the last call is not recorded: its value is not read
    assert verdict(evidence(per_sample, [(per_sample, "-")], returned=None)).score == 3
    made_up = np.geomspace(0.3, 1e-6, len(CALLS))
    check = verdict(evidence(made_up, [(made_up, "-")], returned=None))
    assert check.score == 0 and check.diagnosis == "not_from_training"


def test_a_history_with_the_initial_mse_first_is_read_off_the_calls():
    initial = float(network.mse_batch(CALLS[:1, :9])[0])
    longer = np.concatenate([[initial], HISTORY])
    assert verdict(evidence(longer, [(longer, "-")], returned=None)).score == 3
    shifted = longer * 1.01
    assert verdict(evidence(shifted, [(shifted, "-")], returned=None)).score == 0
