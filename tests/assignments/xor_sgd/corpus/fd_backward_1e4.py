# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Diferencia hacia atrás: (L(θ) - L(θ - h)) / h."""
    h = 1e-4
    L0 = (y - forward(params, x)) ** 2
    out = {}
    for name in PARAM_NAMES:
        p = params.copy()
        p[name] -= h
        out[name] = (L0 - (y - forward(p, x)) ** 2) / h
    return out


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
