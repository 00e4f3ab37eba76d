# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y, h=1e-3):
    """Diferencia finita centrada de la pérdida."""
    grads = {}
    for name in PARAM_NAMES:
        plus, minus = dict(params), dict(params)
        plus[name] += h
        minus[name] -= h
        grads[name] = ((y - forward(plus, x)) ** 2 - (y - forward(minus, x)) ** 2) / (2 * h)
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
