# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Escrita para un batch (b×2) con broadcasting; una muestra es un batch de 1."""
    X_b = np.atleast_2d(np.asarray(x, dtype=float))
    y_b = np.atleast_1d(np.asarray(y, dtype=float))
    W1 = np.array([[params["W1_11"], params["W1_21"]], [params["W1_12"], params["W1_22"]]])  # entradas × neuronas
    b1 = np.array([params["b1_1"], params["b1_2"]])
    W2 = np.array([params["W2_11"], params["W2_12"]])
    A = sigmoid(X_b @ W1 + b1)  # b × 2
    Y_hat = A @ W2 + params["b2_1"]  # b
    G = -2 * (y_b - Y_hat)  # b
    D = G[:, None] * W2 * A * (1 - A)  # b × 2
    dW1 = X_b.T @ D  # entradas × neuronas
    return {
        "W1_11": dW1[0, 0], "W1_12": dW1[1, 0], "b1_1": D[:, 0].sum(),
        "W1_21": dW1[0, 1], "W1_22": dW1[1, 1], "b1_2": D[:, 1].sum(),
        "W2_11": G @ A[:, 0], "W2_12": G @ A[:, 1], "b2_1": G.sum(),
    }


# %% nbgrader={"grade_id": "train"}
def train(X, y, lr, n_epochs, seed=0):
    """SGD con una actualización por muestra. Devuelve (params, mse_history)."""
    params = init_params(seed)
    mse_history = []
    for epoch in range(n_epochs):
        for x_i, y_i in zip(X, y):
            grads = gradients(params, x_i, y_i)
            for name in PARAM_NAMES:
                params[name] -= lr * grads[name]
        mse_history.append(float(np.mean([(y_i - forward(params, x_i)) ** 2 for x_i, y_i in zip(X, y)])))
    return params, mse_history


# %% nbgrader={"grade_id": "plot_mse"}
params, mse_history = train(X, y, lr=0.5, n_epochs=2000, seed=0)

plt.figure(figsize=(7, 4))
plt.plot(range(1, len(mse_history) + 1), mse_history)
plt.yscale("log")
plt.xlabel("Epoch")
plt.ylabel("MSE")
plt.title("MSE por epoch")
plt.show()
