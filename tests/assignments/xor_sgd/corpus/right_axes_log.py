# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Las 9 derivadas parciales de L = (y - ŷ)² en la muestra (x, y): {nombre: ∂L/∂nombre}."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = (params[name] for name in PARAM_NAMES)
    x1, x2 = x[0], x[1]

    # Paso forward (el mismo que en `forward`): la regla de la cadena necesita estos valores.
    z1 = W1_11 * x1 + W1_12 * x2 + b1_1
    z2 = W1_21 * x1 + W1_22 * x2 + b1_2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = W2_11 * a1 + W2_12 * a2 + b2_1

    # Capa de salida
    dL_dW2_11 = (
        -2 * (y - y_hat) * a1
    )
    dL_dW2_12 = (
        -2 * (y - y_hat) * a2
    )
    dL_db2_1 = (
        -2 * (y - y_hat)
    )

    # Neurona oculta 1
    dL_dW1_11 = (
        -2 * (y - y_hat) * W2_11 * a1 * (1 - a1) * x1
    )
    dL_dW1_12 = (
        -2 * (y - y_hat) * W2_11 * a1 * (1 - a1) * x2
    )
    dL_db1_1 = (
        -2 * (y - y_hat) * W2_11 * a1 * (1 - a1)
    )

    # Neurona oculta 2
    dL_dW1_21 = (
        -2 * (y - y_hat) * W2_12 * a2 * (1 - a2) * x1
    )
    dL_dW1_22 = (
        -2 * (y - y_hat) * W2_12 * a2 * (1 - a2) * x2
    )
    dL_db1_2 = (
        -2 * (y - y_hat) * W2_12 * a2 * (1 - a2)
    )

    return {
        "W1_11": dL_dW1_11, "W1_12": dL_dW1_12, "b1_1": dL_db1_1,
        "W1_21": dL_dW1_21, "W1_22": dL_dW1_22, "b1_2": dL_db1_2,
        "W2_11": dL_dW2_11, "W2_12": dL_dW2_12, "b2_1": dL_db2_1,
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
params, mse_history = train(X, y, lr=0.5, n_epochs=2000, seed=1)
fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(mse_history, color="tab:red", label="SGD")
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("MSE")
ax.set_title("MSE por epoch")
ax.legend()
fig.tight_layout()
