# %% nbgrader={"grade_id": "gradients"}
import cmath


def y_hat_complejo(theta, x):
    """Mi copia del forward, que acepta números complejos."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = theta
    z1 = W1_11 * x[0] + W1_12 * x[1] + b1_1
    z2 = W1_21 * x[0] + W1_22 * x[1] + b1_2
    a1 = 1 / (1 + cmath.exp(-z1))
    a2 = 1 / (1 + cmath.exp(-z2))
    return W2_11 * a1 + W2_12 * a2 + b2_1


def gradients(params, x, y):
    """Paso complejo: dL/dθ = Im L(θ + i·h) / h, sin restas, exacto a precisión de máquina."""
    theta = [float(params[name]) for name in PARAM_NAMES]
    x, y, h = (float(x[0]), float(x[1])), float(y), 1e-30
    grads = {}
    for k, name in enumerate(PARAM_NAMES):
        moved = [complex(value) for value in theta]
        moved[k] += 1j * h
        error = y - y_hat_complejo(moved, x)
        grads[name] = (error * error).imag / h
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
