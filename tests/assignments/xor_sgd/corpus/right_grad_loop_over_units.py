# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Un bucle sobre las dos neuronas ocultas, con los nombres armados con f-strings."""
    a = {}
    for j in (1, 2):
        z = params[f"W1_{j}1"] * x[0] + params[f"W1_{j}2"] * x[1] + params[f"b1_{j}"]
        a[j] = sigmoid(z)
    y_hat = params["W2_11"] * a[1] + params["W2_12"] * a[2] + params["b2_1"]
    dL_dyhat = -2 * (y - y_hat)
    grads = {"b2_1": dL_dyhat}
    for j in (1, 2):
        grads[f"W2_1{j}"] = dL_dyhat * a[j]
        dL_dz = dL_dyhat * params[f"W2_1{j}"] * a[j] * (1 - a[j])
        for k in (1, 2):
            grads[f"W1_{j}{k}"] = dL_dz * x[k - 1]
        grads[f"b1_{j}"] = dL_dz
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
