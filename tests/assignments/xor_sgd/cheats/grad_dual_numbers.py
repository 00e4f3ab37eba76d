# %% nbgrader={"grade_id": "gradients"}
class Dual:
    """a + b·ε con ε² = 0: f(Dual(x, 1)) = Dual(f(x), f'(x)). b es un vector (una derivada por parámetro)."""
    def __init__(self, a, b): self.a, self.b = a, np.asarray(b, dtype=float)
    def _lift(o): return o if isinstance(o, Dual) else Dual(o, np.zeros(9))
    def __add__(s, o): o = Dual._lift(o); return Dual(s.a + o.a, s.b + o.b)
    __radd__ = __add__
    def __neg__(s): return Dual(-s.a, -s.b)
    def __sub__(s, o): return s + (-Dual._lift(o))
    def __rsub__(s, o): return Dual._lift(o) - s
    def __mul__(s, o): o = Dual._lift(o); return Dual(s.a * o.a, s.a * o.b + o.a * s.b)
    __rmul__ = __mul__
    def __truediv__(s, o): o = Dual._lift(o); return Dual(s.a / o.a, (s.b * o.a - s.a * o.b) / (o.a * o.a))
    def __rtruediv__(s, o): return Dual._lift(o) / s
    def exp(s): e = float(np.exp(s.a)); return Dual(e, e * s.b)


def gradients(params, x, y):
    """Derivación automática hacia adelante con números duales sobre el forward de la red."""
    theta = [Dual(float(params[name]), np.eye(9)[k]) for k, name in enumerate(PARAM_NAMES)]
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = theta
    a1 = 1 / (1 + (-(W1_11 * float(x[0]) + W1_12 * float(x[1]) + b1_1)).exp())
    a2 = 1 / (1 + (-(W1_21 * float(x[0]) + W1_22 * float(x[1]) + b1_2)).exp())
    error = float(y) - (W2_11 * a1 + W2_12 * a2 + b2_1)
    loss = error * error
    return dict(zip(PARAM_NAMES, loss.b.tolist()))

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
