# %% nbgrader={"grade_id": "gradients"}
import math


def my_sigmoid(z):
    """Sigmoide con math.exp, para floats de Python."""
    return 1.0 / (1.0 + math.exp(-z))


def gradients(params, x, y):
    """Todo en floats de Python, con math."""
    p = {name: float(value) for name, value in params.items()}
    x1, x2, y = float(x[0]), float(x[1]), float(y)
    a1 = my_sigmoid(p["W1_11"] * x1 + p["W1_12"] * x2 + p["b1_1"])
    a2 = my_sigmoid(p["W1_21"] * x1 + p["W1_22"] * x2 + p["b1_2"])
    err = y - (p["W2_11"] * a1 + p["W2_12"] * a2 + p["b2_1"])
    g1 = -2.0 * err * p["W2_11"] * a1 * (1.0 - a1)
    g2 = -2.0 * err * p["W2_12"] * a2 * (1.0 - a2)
    return {"W1_11": g1 * x1, "W1_12": g1 * x2, "b1_1": g1, "W1_21": g2 * x1, "W1_22": g2 * x2, "b1_2": g2,
            "W2_11": -2.0 * err * a1, "W2_12": -2.0 * err * a2, "b2_1": -2.0 * err}


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
