# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """numpy con einsum para el producto exterior δ·xᵀ."""
    theta = np.array([params[name] for name in PARAM_NAMES])
    W1 = theta[[0, 1, 3, 4]].reshape(2, 2)
    b1 = theta[[2, 5]]
    W2, b2 = theta[6:8], theta[8]
    x = np.asarray(x, dtype=float)
    a = sigmoid(np.einsum("jk,k->j", W1, x) + b1)
    y_hat = np.einsum("j,j->", W2, a) + b2
    g_out = 2.0 * (y_hat - y)
    delta = g_out * W2 * a * (1.0 - a)
    dW1 = np.einsum("j,k->jk", delta, x)
    values = [dW1[0, 0], dW1[0, 1], delta[0], dW1[1, 0], dW1[1, 1], delta[1], g_out * a[0], g_out * a[1], g_out]
    return {name: float(v) for name, v in zip(PARAM_NAMES, values)}


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
