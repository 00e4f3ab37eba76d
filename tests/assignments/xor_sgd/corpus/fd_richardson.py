# %% nbgrader={"grade_id": "gradients"}
def central(params, x, y, name, h):
    """Diferencia centrada con paso h."""
    up, down = dict(params), dict(params)
    up[name] += h
    down[name] -= h
    return ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) / (2 * h)


def gradients(params, x, y):
    """Extrapolación de Richardson: (4·D(h/2) - D(h)) / 3 cancela el error de orden h²."""
    h = 1e-2
    return {name: (4 * central(params, x, y, name, h / 2) - central(params, x, y, name, h)) / 3
            for name in PARAM_NAMES}


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
