# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Cada derivada como un solo producto largo, con los factores de cada paso repetidos a mano."""
    p, x1, x2 = params, x[0], x[1]
    s1 = sigmoid(p["W1_11"] * x1 + p["W1_12"] * x2 + p["b1_1"])
    s2 = sigmoid(p["W1_21"] * x1 + p["W1_22"] * x2 + p["b1_2"])
    r = y - (p["W2_11"] * s1 + p["W2_12"] * s2 + p["b2_1"])
    return {
        "W1_11": (-1.0) * 2.0 * r * 1.0 * p["W2_11"] * s1 * (1.0 - s1) * 1.0 * x1 * 1.0,
        "W1_12": (-1.0) * 2.0 * r * 1.0 * p["W2_11"] * s1 * (1.0 - s1) * 1.0 * x2 * 1.0,
        "b1_1": (-1.0) * 2.0 * r * 1.0 * p["W2_11"] * s1 * (1.0 - s1) * 1.0 * 1.0,
        "W1_21": (-1.0) * 2.0 * r * 1.0 * p["W2_12"] * s2 * (1.0 - s2) * 1.0 * x1 * 1.0,
        "W1_22": (-1.0) * 2.0 * r * 1.0 * p["W2_12"] * s2 * (1.0 - s2) * 1.0 * x2 * 1.0,
        "b1_2": (-1.0) * 2.0 * r * 1.0 * p["W2_12"] * s2 * (1.0 - s2) * 1.0 * 1.0,
        "W2_11": (-1.0) * 2.0 * r * 1.0 * s1,
        "W2_12": (-1.0) * 2.0 * r * 1.0 * s2,
        "b2_1": (-1.0) * 2.0 * r * 1.0,
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
