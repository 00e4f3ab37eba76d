# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """σ'(z) = σ(z)·σ(-z), porque 1 - σ(z) = σ(-z)."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = (params[name] for name in PARAM_NAMES)
    z1 = W1_11 * x[0] + W1_12 * x[1] + b1_1
    z2 = W1_21 * x[0] + W1_22 * x[1] + b1_2
    y_hat = W2_11 * sigmoid(z1) + W2_12 * sigmoid(z2) + b2_1
    dL_dyhat = -2 * (y - y_hat)
    dL_dz1 = dL_dyhat * W2_11 * sigmoid(z1) * sigmoid(-z1)
    dL_dz2 = dL_dyhat * W2_12 * sigmoid(z2) * sigmoid(-z2)
    return {
        "W1_11": dL_dz1 * x[0], "W1_12": dL_dz1 * x[1], "b1_1": dL_dz1,
        "W1_21": dL_dz2 * x[0], "W1_22": dL_dz2 * x[1], "b1_2": dL_dz2,
        "W2_11": dL_dyhat * sigmoid(z1), "W2_12": dL_dyhat * sigmoid(z2), "b2_1": dL_dyhat,
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
