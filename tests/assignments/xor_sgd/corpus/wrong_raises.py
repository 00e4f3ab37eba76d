# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Las 9 derivadas parciales de L = (y - ŷ)² en la muestra (x, y): {nombre: ∂L/∂nombre}."""
    z1 = params["W1_11"] * x[0] + params["W1_12"] * x[1] + params["b1_1"]
    z2 = params["W1_21"] * x[0] + params["W1_22"] * x[1] + params["b1_2"]
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = params["W2_11"] * a1 + params["W2_12"] * a2 + params["b2_1"]
    d = -2 * (y - y_hat)
    return {
        "W1_11": d * params["W2_11"] * a1 * (1 - a1) * x[0], "W1_12": d * params["W2_11"] * a1 * (1 - a1) * x[1],
        "b1_1": d * params["W2_11"] * a1 * (1 - a1),
        "W1_21": d * params["W2_12"] * a2 * (1 - a2) * x[0], "W1_22": d * params["W2_12"] * a2 * (1 - a2) * x[2],
        "b1_2": d * params["W2_12"] * a2 * (1 - a2),
        "W2_11": d * a1, "W2_12": d * a2, "b2_1": d,
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
