# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """σ'(z) = 1 / (4·cosh²(z/2))."""
    p = params
    z = [p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"], p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"]]
    a = [sigmoid(z[0]), sigmoid(z[1])]
    y_hat = p["W2_11"] * a[0] + p["W2_12"] * a[1] + p["b2_1"]
    e = -2 * (y - y_hat)
    d = [e * p["W2_11"] / (4 * np.cosh(z[0] / 2) ** 2), e * p["W2_12"] / (4 * np.cosh(z[1] / 2) ** 2)]
    return {"W1_11": d[0] * x[0], "W1_12": d[0] * x[1], "b1_1": d[0],
            "W1_21": d[1] * x[0], "W1_22": d[1] * x[1], "b1_2": d[1],
            "W2_11": e * a[0], "W2_12": e * a[1], "b2_1": e}


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
