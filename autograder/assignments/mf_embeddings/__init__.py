"""Class 1, second exercise: user and item embeddings (matrix factorisation) learned by full-batch descent.

    assignment.py  the declaration: checks and points, cells, interview, judges (read by the engine)
    given.py       the notebook's given code (R, K, LR, N_EPOCHS, init_embeddings, loss)
    model.py       the grader's own loss and its exact derivatives (dual numbers, on floats or Fractions)
    interview.py   the questions asked after the cells: derivatives at points, the train run, the plot
    child.py       what runs in the sandbox: the question handlers and the plot cell's recorder
    training.py    reading a training run: the chain of steps, the per-epoch histories
    gradients.py   the 2 derivative checks     descent.py   the 3 descent checks     plot.py   the plot check
    diagnoses.py   every diagnosis: what the student reads and the instructor's hint
    charts.py      the reference curve and the training chart of the feedback and the reports
    selfcheck.py   the build's hook: the given data, the self-check's points and thresholds, the points check
"""
