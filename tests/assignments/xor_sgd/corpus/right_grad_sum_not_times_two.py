# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """El 2 de la derivada del cuadrado, escrito como una suma: -(y - ŷ) - (y - ŷ)."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = (params[name] for name in PARAM_NAMES)
    x1, x2 = x[0], x[1]
    a1 = sigmoid(W1_11 * x1 + W1_12 * x2 + b1_1)
    a2 = sigmoid(W1_21 * x1 + W1_22 * x2 + b1_2)
    e = y - (W2_11 * a1 + W2_12 * a2 + b2_1)
    dL_dyhat = -e - e
    s1 = (1 - a1) * a1
    s2 = (1 - a2) * a2
    return {
        "W1_11": dL_dyhat * W2_11 * s1 * x1, "W1_12": dL_dyhat * W2_11 * s1 * x2, "b1_1": dL_dyhat * W2_11 * s1,
        "W1_21": dL_dyhat * W2_12 * s2 * x1, "W1_22": dL_dyhat * W2_12 * s2 * x2, "b1_2": dL_dyhat * W2_12 * s2,
        "W2_11": dL_dyhat * a1, "W2_12": dL_dyhat * a2, "b2_1": dL_dyhat,
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
