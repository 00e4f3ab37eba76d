# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Listas de Python: W1 como lista de filas, sumas con zip."""
    W1 = [[params["W1_11"], params["W1_12"]], [params["W1_21"], params["W1_22"]]]
    b1 = [params["b1_1"], params["b1_2"]]
    W2 = [params["W2_11"], params["W2_12"]]
    b2 = params["b2_1"]
    a = [sigmoid(sum(w * xi for w, xi in zip(row, x)) + b) for row, b in zip(W1, b1)]
    y_hat = sum(w * aj for w, aj in zip(W2, a)) + b2
    dy = -2 * (y - y_hat)
    delta = [dy * W2[j] * a[j] * (1 - a[j]) for j in range(2)]
    dW1 = [[delta[j] * x[k] for k in range(2)] for j in range(2)]
    return {
        "W1_11": dW1[0][0], "W1_12": dW1[0][1], "b1_1": delta[0],
        "W1_21": dW1[1][0], "W1_22": dW1[1][1], "b1_2": delta[1],
        "W2_11": dy * a[0], "W2_12": dy * a[1], "b2_1": dy,
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
