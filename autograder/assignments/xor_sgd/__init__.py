"""Class 1: XOR with a 2-2-1 network, its 9 derivatives derived by hand, per-sample SGD, the MSE plot.

    assignment.py  the declaration: checks and points, cells, interview, judges (read by the engine)
    given.py       the notebook's given code (data, parameter names, init_params)
    model.py       the grader's own network and its exact gradient (dual numbers, complex step)
    interview.py   the questions asked after the cells: gradients at points, train runs, the plot
    child.py       what runs in the sandbox: the question handlers and the plot cell's recorder
    training.py    reading a training run: the chain of steps, the per-epoch histories
    gradients.py   the 9 gradient checks          sgd.py   the 3 SGD checks     plot.py   the plot check
    diagnoses.py   every diagnosis: what the student reads and the instructor's hint
    charts.py      the reference curve and the training chart of the feedback and the reports
    selfcheck.py   the build's hook: the self-check's points and exact derivatives as literals
"""
