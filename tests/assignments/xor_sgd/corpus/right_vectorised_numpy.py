# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Las 9 derivadas con numpy: W1 (2x2), b1 (2), W2 (2), b2."""
    W1 = np.array([[params["W1_11"], params["W1_12"]], [params["W1_21"], params["W1_22"]]])
    b1 = np.array([params["b1_1"], params["b1_2"]])
    W2 = np.array([params["W2_11"], params["W2_12"]])
    b2 = params["b2_1"]
    x = np.asarray(x, dtype=float)

    z = W1 @ x + b1
    a = sigmoid(z)
    y_hat = W2 @ a + b2

    d_out = -2 * (y - y_hat)
    dW2 = d_out * a
    db2 = d_out
    delta = d_out * W2 * a * (1 - a)
    dW1 = np.outer(delta, x)
    db1 = delta
    return {
        "W1_11": dW1[0, 0], "W1_12": dW1[0, 1], "b1_1": db1[0],
        "W1_21": dW1[1, 0], "W1_22": dW1[1, 1], "b1_2": db1[1],
        "W2_11": dW2[0], "W2_12": dW2[1], "b2_1": db2,
    }


# %% nbgrader={"grade_id": "train"}
def to_arrays(p):
    W1 = np.array([[p["W1_11"], p["W1_12"]], [p["W1_21"], p["W1_22"]]], dtype=float)
    b1 = np.array([p["b1_1"], p["b1_2"]], dtype=float)
    W2 = np.array([p["W2_11"], p["W2_12"]], dtype=float)
    return W1, b1, W2, float(p["b2_1"])


def to_dict(W1, b1, W2, b2):
    return {"W1_11": float(W1[0, 0]), "W1_12": float(W1[0, 1]), "b1_1": float(b1[0]),
            "W1_21": float(W1[1, 0]), "W1_22": float(W1[1, 1]), "b1_2": float(b1[1]),
            "W2_11": float(W2[0]), "W2_12": float(W2[1]), "b2_1": float(b2)}


def train(X, y, lr, n_epochs, seed=0):
    """SGD con una actualización por muestra. Devuelve (params, mse_history)."""
    W1, b1, W2, b2 = to_arrays(init_params(seed))
    mse_history = []
    for epoch in range(n_epochs):
        for i in range(len(X)):
            g = gradients(to_dict(W1, b1, W2, b2), X[i], y[i])
            W1 = W1 - lr * np.array([[g["W1_11"], g["W1_12"]], [g["W1_21"], g["W1_22"]]])
            b1 = b1 - lr * np.array([g["b1_1"], g["b1_2"]])
            W2 = W2 - lr * np.array([g["W2_11"], g["W2_12"]])
            b2 = b2 - lr * g["b2_1"]
        A = sigmoid(X @ W1.T + b1)
        y_pred = A @ W2 + b2
        mse_history.append(float(np.mean((y - y_pred) ** 2)))
    return to_dict(W1, b1, W2, b2), mse_history


# %% nbgrader={"grade_id": "plot_mse"}
params, mse_history = train(X, y, lr=0.5, n_epochs=2000, seed=0)

plt.figure(figsize=(7, 4))
plt.plot(range(1, len(mse_history) + 1), mse_history)
plt.yscale("log")
plt.xlabel("Epoch")
plt.ylabel("MSE")
plt.title("MSE por epoch")
plt.show()
