# %% nbgrader={"grade_id": "gradients"}
import sympy as sp

_s = sp.symbols(" ".join(PARAM_NAMES) + " x1 x2 t")
_W1_11, _W1_12, _b1_1, _W1_21, _W1_22, _b1_2, _W2_11, _W2_12, _b2_1, _x1, _x2, _t = _s
_a1 = 1 / (1 + sp.exp(-(_W1_11 * _x1 + _W1_12 * _x2 + _b1_1)))
_a2 = 1 / (1 + sp.exp(-(_W1_21 * _x1 + _W1_22 * _x2 + _b1_2)))
_L = (_t - (_W2_11 * _a1 + _W2_12 * _a2 + _b2_1)) ** 2
_dL = sp.lambdify(_s, [sp.diff(_L, v) for v in _s[:9]], "math")  # sympy deriva por mí


def gradients(params, x, y):
    """Las 9 derivadas de sympy.diff, evaluadas en float."""
    valores = [float(params[name]) for name in PARAM_NAMES] + [float(x[0]), float(x[1]), float(y)]
    return dict(zip(PARAM_NAMES, (float(v) for v in _dL(*valores))))

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
