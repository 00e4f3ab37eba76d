# %% nbgrader={"grade_id": "gradients"}
from decimal import Decimal, localcontext
from fractions import Fraction


def exp_fraction(z):
    """e^z como fracción (50 cifras): Fraction no tiene exp."""
    with localcontext() as context:
        context.prec = 50
        return Fraction((Decimal(z.numerator) / Decimal(z.denominator)).exp())


def loss_fraction(theta, x, y):
    """L = (y - ŷ)² en aritmética racional exacta (salvo la exponencial)."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = theta
    a1 = 1 / (1 + exp_fraction(-(W1_11 * x[0] + W1_12 * x[1] + b1_1)))
    a2 = 1 / (1 + exp_fraction(-(W1_21 * x[0] + W1_22 * x[1] + b1_2)))
    error = y - (W2_11 * a1 + W2_12 * a2 + b2_1)
    return error * error


def gradients(params, x, y):
    """Diferencias centradas en fracciones exactas: (L(θ + h) - L(θ - h)) / 2h sin error de redondeo."""
    theta = [Fraction(float(params[name])) for name in PARAM_NAMES]
    xf, yf = (Fraction(float(x[0])), Fraction(float(x[1]))), Fraction(float(y))
    h = Fraction(1, 10 ** 20)
    grads = {}
    for k, name in enumerate(PARAM_NAMES):
        up, down = list(theta), list(theta)
        up[k] += h
        down[k] -= h
        grads[name] = float((loss_fraction(up, xf, yf) - loss_fraction(down, xf, yf)) / (2 * h))
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
