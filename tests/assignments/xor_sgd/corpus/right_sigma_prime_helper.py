# %% nbgrader={"grade_id": "gradients"}
def sigmoid_prime_from_activation(a):
    """σ'(z) escrita en función de a = σ(z)."""
    return a * (1 - a)


def gradients(params, x, y):
    """Las 9 derivadas parciales de L = (y - ŷ)² en la muestra (x, y): {nombre: ∂L/∂nombre}."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = (params[name] for name in PARAM_NAMES)
    x1, x2 = x[0], x[1]
    z1 = W1_11 * x1 + W1_12 * x2 + b1_1
    z2 = W1_21 * x1 + W1_22 * x2 + b1_2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = W2_11 * a1 + W2_12 * a2 + b2_1

    dL_dyhat = -2 * (y - y_hat)
    delta1 = dL_dyhat * W2_11 * sigmoid_prime_from_activation(a1)
    delta2 = dL_dyhat * W2_12 * sigmoid_prime_from_activation(a2)
    return {
        "W1_11": delta1 * x1, "W1_12": delta1 * x2, "b1_1": delta1,
        "W1_21": delta2 * x1, "W1_22": delta2 * x2, "b1_2": delta2,
        "W2_11": dL_dyhat * a1, "W2_12": dL_dyhat * a2, "b2_1": dL_dyhat,
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
plt.semilogy(mse_history)
plt.xlabel("Epoch")
plt.ylabel("MSE")
plt.title("Entrenamiento XOR")
