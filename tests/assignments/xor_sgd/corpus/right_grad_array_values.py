# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Cada derivada como un array de numpy de un elemento."""
    theta = {name: np.array([value], dtype=np.float64) for name, value in params.items()}
    x1, x2 = np.float64(x[0]), np.float64(x[1])
    a1 = sigmoid(theta["W1_11"] * x1 + theta["W1_12"] * x2 + theta["b1_1"])
    a2 = sigmoid(theta["W1_21"] * x1 + theta["W1_22"] * x2 + theta["b1_2"])
    y_hat = theta["W2_11"] * a1 + theta["W2_12"] * a2 + theta["b2_1"]
    d = -2 * (y - y_hat)
    d1 = d * theta["W2_11"] * a1 * (1 - a1)
    d2 = d * theta["W2_12"] * a2 * (1 - a2)
    return {"W1_11": d1 * x1, "W1_12": d1 * x2, "b1_1": d1, "W1_21": d2 * x1, "W1_22": d2 * x2, "b1_2": d2,
            "W2_11": d * a1, "W2_12": d * a2, "b2_1": d}


# %% nbgrader={"grade_id": "train"}
def train(X, y, lr, n_epochs, seed=0):
    """SGD con una actualización por muestra. Devuelve (params, mse_history)."""
    params = init_params(seed)
    mse_history = []
    for epoch in range(n_epochs):
        for x_i, y_i in zip(X, y):
            grads = gradients(params, x_i, y_i)
            for name in PARAM_NAMES:
                params[name] -= lr * float(np.squeeze(grads[name]))  # mis derivadas son arrays de un elemento
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
