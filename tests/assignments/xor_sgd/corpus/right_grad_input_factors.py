# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """∂L/∂θ = δ de la neurona · lo que multiplica a θ en z (x1, x2 o 1)."""
    p = params
    a1 = sigmoid(p["W1_11"] * x[0] + p["W1_12"] * x[1] + p["b1_1"])
    a2 = sigmoid(p["W1_21"] * x[0] + p["W1_22"] * x[1] + p["b1_2"])
    delta_out = 2 * (p["W2_11"] * a1 + p["W2_12"] * a2 + p["b2_1"] - y)
    delta_hidden = {1: delta_out * p["W2_11"] * a1 * (1 - a1), 2: delta_out * p["W2_12"] * a2 * (1 - a2)}
    factor = {"W1_11": (1, x[0]), "W1_12": (1, x[1]), "b1_1": (1, 1.0),
              "W1_21": (2, x[0]), "W1_22": (2, x[1]), "b1_2": (2, 1.0)}
    grads = {name: delta_hidden[unit] * value for name, (unit, value) in factor.items()}
    grads.update({"W2_11": delta_out * a1, "W2_12": delta_out * a2, "b2_1": delta_out})
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
