# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """ŷ con la función forward dada; las activaciones con sigmoid."""
    y_hat = forward(params, x)
    a1 = sigmoid(params["W1_11"] * x[0] + params["W1_12"] * x[1] + params["b1_1"])
    a2 = sigmoid(params["W1_21"] * x[0] + params["W1_22"] * x[1] + params["b1_2"])
    dL = -2 * (y - y_hat)
    h1 = dL * params["W2_11"] * a1 * (1 - a1)
    h2 = dL * params["W2_12"] * a2 * (1 - a2)
    return dict(zip(PARAM_NAMES, [h1 * x[0], h1 * x[1], h1, h2 * x[0], h2 * x[1], h2, dL * a1, dL * a2, dL]))


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
