# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Las 18 evaluaciones de la pérdida de una vez, con una matriz de perturbaciones."""
    h = 1e-6
    theta = np.array([params[name] for name in PARAM_NAMES])
    T = np.vstack([theta + h * np.eye(9), theta - h * np.eye(9)])  # 18 × 9
    a1 = sigmoid(T[:, 0] * x[0] + T[:, 1] * x[1] + T[:, 2])
    a2 = sigmoid(T[:, 3] * x[0] + T[:, 4] * x[1] + T[:, 5])
    L = (y - (T[:, 6] * a1 + T[:, 7] * a2 + T[:, 8])) ** 2
    return dict(zip(PARAM_NAMES, (L[:9] - L[9:]) / (2 * h)))


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
