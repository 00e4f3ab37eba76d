# %% nbgrader={"grade_id": "gradients"}
def my_loss(theta, x, y):
    """Mi copia de la red: theta en el orden de PARAM_NAMES."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = theta
    a1 = 1 / (1 + np.exp(-(W1_11 * x[0] + W1_12 * x[1] + b1_1)))
    a2 = 1 / (1 + np.exp(-(W1_21 * x[0] + W1_22 * x[1] + b1_2)))
    return (y - (W2_11 * a1 + W2_12 * a2 + b2_1)) ** 2


def gradients(params, x, y):
    """Diferencias centradas sobre mi propia copia de la red."""
    theta = [params[name] for name in PARAM_NAMES]
    eps = 1e-6
    grads = {}
    for k, name in enumerate(PARAM_NAMES):
        up, down = list(theta), list(theta)
        up[k] += eps
        down[k] -= eps
        grads[name] = (my_loss(up, x, y) - my_loss(down, x, y)) / (2 * eps)
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
