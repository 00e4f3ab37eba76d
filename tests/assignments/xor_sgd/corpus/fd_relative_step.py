# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Paso relativo al tamaño de cada parámetro, como hacen las bibliotecas numéricas."""
    grads = {}
    for name in PARAM_NAMES:
        h = 1e-6 * max(1.0, abs(params[name]))
        up, down = dict(params), dict(params)
        up[name] = params[name] + h
        down[name] = params[name] - h
        step = up[name] - down[name]  # el paso que de verdad se representó
        grads[name] = ((y - forward(up, x)) ** 2 - (y - forward(down, x)) ** 2) / step
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
