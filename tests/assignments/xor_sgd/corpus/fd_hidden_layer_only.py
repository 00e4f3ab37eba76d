# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """La capa de salida derivada a mano; la capa oculta con diferencias finitas."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = (params[name] for name in PARAM_NAMES)
    a1 = sigmoid(W1_11 * x[0] + W1_12 * x[1] + b1_1)
    a2 = sigmoid(W1_21 * x[0] + W1_22 * x[1] + b1_2)
    y_hat = W2_11 * a1 + W2_12 * a2 + b2_1
    grads = {"W2_11": -2 * (y - y_hat) * a1, "W2_12": -2 * (y - y_hat) * a2, "b2_1": -2 * (y - y_hat)}
    h = 1e-6
    for name in PARAM_NAMES[:6]:
        up, down = dict(params), dict(params)
        up[name] += h
        down[name] -= h
        grads[name] = ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) / (2 * h)
    return grads


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
