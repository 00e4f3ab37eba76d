# %% nbgrader={"grade_id": "gradients"}
def sigma(z):
    """σ(z) = (1 + tanh(z/2)) / 2, la misma función que sigmoid."""
    return 0.5 * (1 + np.tanh(z / 2))


def sigma_prime(z):
    """σ'(z) = (1 - tanh²(z/2)) / 4."""
    return 0.25 * (1 - np.tanh(z / 2) ** 2)


def gradients(params, x, y):
    """Todo con tanh."""
    p = params
    z1 = p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"]
    z2 = p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"]
    y_hat = p["W2_11"] * sigma(z1) + p["W2_12"] * sigma(z2) + p["b2_1"]
    dy = 2 * (y_hat - y)
    d1 = dy * p["W2_11"] * sigma_prime(z1)
    d2 = dy * p["W2_12"] * sigma_prime(z2)
    return {"W1_11": d1 * x[0], "W1_12": d1 * x[1], "b1_1": d1, "W1_21": d2 * x[0], "W1_22": d2 * x[1],
            "b1_2": d2, "W2_11": dy * sigma(z1), "W2_12": dy * sigma(z2), "b2_1": dy}


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
