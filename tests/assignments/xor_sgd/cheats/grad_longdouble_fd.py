# %% nbgrader={"grade_id": "gradients"}
LD = np.longdouble  # 64 bits de mantisa en x86: 3 cifras más que float64


def hidden_ld(theta, x):
    """ŷ sin b2_1, en long double."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12 = theta[:8]
    a1 = LD(1) / (LD(1) + np.exp(-(W1_11 * x[0] + W1_12 * x[1] + b1_1)))
    a2 = LD(1) / (LD(1) + np.exp(-(W1_21 * x[0] + W1_22 * x[1] + b1_2)))
    return W2_11 * a1 + W2_12 * a2


def central(theta, x, k, h):
    """(ŷ(θ + h) - ŷ(θ - h)) / 2h en long double; b2_1 se cancela, así que no entra."""
    up, down = list(theta), list(theta)
    up[k] += h
    down[k] -= h
    if k == 8:
        return LD(1)  # ŷ(b + h) - ŷ(b - h) = 2h exactamente
    return (hidden_ld(up, x) - hidden_ld(down, x)) / (2 * h)


def gradients(params, x, y):
    """Diferencias centradas en long double, con Richardson (h y h/2): L(θ+h) - L(θ-h) = (ŷ₋ - ŷ₊)(2y - ŷ₊ - ŷ₋)."""
    theta = [LD(float(params[name])) for name in PARAM_NAMES]
    xl, yl = (LD(float(x[0])), LD(float(x[1]))), LD(float(y))
    y_hat = hidden_ld(theta, xl) + theta[8]
    grads = {}
    for k, name in enumerate(PARAM_NAMES):
        h = LD(2.0 ** -10)
        dy_dtheta = (4 * central(theta, xl, k, h / 2) - central(theta, xl, k, h)) / 3
        grads[name] = float(-2 * (yl - y_hat) * dy_dtheta)
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
