# %% nbgrader={"grade_id": "gradients"}
def sigmoid_prime(z):
    """σ'(z) = e^(-z) / (1 + e^(-z))²."""
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


def gradients(params, x, y):
    """σ'(z) con la exponencial, sin pasar por σ(z)."""
    p = params
    z1 = p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"]
    z2 = p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"]
    y_hat = p["W2_11"] * sigmoid(z1) + p["W2_12"] * sigmoid(z2) + p["b2_1"]
    g = -2 * (y - y_hat)
    h1 = g * p["W2_11"] * sigmoid_prime(z1)
    h2 = g * p["W2_12"] * sigmoid_prime(z2)
    return {"W1_11": h1 * x[0], "W1_12": h1 * x[1], "b1_1": h1,
            "W1_21": h2 * x[0], "W1_22": h2 * x[1], "b1_2": h2,
            "W2_11": g * sigmoid(z1), "W2_12": g * sigmoid(z2), "b2_1": g}


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
