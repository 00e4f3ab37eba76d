# %% nbgrader={"grade_id": "gradients"}
def output_layer(params, a1, a2, y):
    """ŷ y ∂L/∂ŷ."""
    y_hat = params["W2_11"] * a1 + params["W2_12"] * a2 + params["b2_1"]
    return y_hat, -2 * (y - y_hat)


def hidden_delta(dL_dyhat, w_out, a):
    """∂L/∂z de una neurona oculta: ∂L/∂ŷ · w_salida · σ'(z), con σ'(z) = a·(1 - a)."""
    return dL_dyhat * w_out * a * (1 - a)


def gradients(params, x, y):
    """Backpropagation con una función por capa."""
    a1 = sigmoid(params["W1_11"] * x[0] + params["W1_12"] * x[1] + params["b1_1"])
    a2 = sigmoid(params["W1_21"] * x[0] + params["W1_22"] * x[1] + params["b1_2"])
    _, delta_out = output_layer(params, a1, a2, y)
    delta1 = hidden_delta(delta_out, params["W2_11"], a1)
    delta2 = hidden_delta(delta_out, params["W2_12"], a2)
    return {"W1_11": delta1 * x[0], "W1_12": delta1 * x[1], "b1_1": delta1,
            "W1_21": delta2 * x[0], "W1_22": delta2 * x[1], "b1_2": delta2,
            "W2_11": delta_out * a1, "W2_12": delta_out * a2, "b2_1": delta_out}


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
