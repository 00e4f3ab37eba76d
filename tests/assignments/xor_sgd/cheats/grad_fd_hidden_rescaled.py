# %% nbgrader={"grade_id": "gradients"}
STENCIL = ((1, 4 / 5), (2, -1 / 5), (3, 4 / 105), (4, -1 / 280))  # diferencia centrada de orden 8


def hidden_part(theta, x):
    """La parte de ŷ que depende de la capa oculta: ŷ sin b2_1, un número chico (|z| ≤ 3)."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12 = theta[:8]
    return W2_11 * sigmoid(W1_11 * x[0] + W1_12 * x[1] + b1_1) + W2_12 * sigmoid(W1_21 * x[0] + W1_22 * x[1] + b1_2)


def derivative(f, theta, k, h):
    """df/dθ_k con la diferencia centrada de orden 8."""
    total = 0.0
    for j, c in STENCIL:
        up, down = list(theta), list(theta)
        up[k] += j * h
        down[k] -= j * h
        total += c * (f(up) - f(down))
    return total / h


def gradients(params, x, y):
    """dL/dθ = -2(y - ŷ)·dŷ/dθ, con dŷ/dθ por diferencias de la parte oculta (sin b2_1, sin cancelación)."""
    theta = [float(params[name]) for name in PARAM_NAMES]
    x, y = (float(x[0]), float(x[1])), float(y)
    y_hat = hidden_part(theta, x) + theta[8]
    scale = -2.0 * (y - y_hat)
    grads = {}
    for k, name in enumerate(PARAM_NAMES[:8]):
        grads[name] = scale * derivative(lambda t: hidden_part(t, x), theta, k, 1e-2)
    # ŷ es lineal en b2_1: con un paso enorme la diferencia es exacta.
    full = lambda t: hidden_part(t, x) + t[8]
    grads["b2_1"] = scale * derivative(full, theta, 8, 2.0 ** 20)
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
