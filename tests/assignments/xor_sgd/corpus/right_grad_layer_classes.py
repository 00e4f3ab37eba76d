# %% nbgrader={"grade_id": "gradients"}
class Linear:
    """z = w·entrada + b, con su backward."""

    def __init__(self, weights, bias):
        self.weights, self.bias = weights, bias

    def forward(self, inputs):
        self.inputs = inputs
        return sum(w * v for w, v in zip(self.weights, self.inputs)) + self.bias

    def backward(self, dL_dz):
        """(∂L/∂pesos, ∂L/∂b, ∂L/∂entradas)."""
        return [dL_dz * v for v in self.inputs], dL_dz, [dL_dz * w for w in self.weights]


class Sigmoid:
    """a = σ(z), con σ'(z) = a·(1 - a)."""

    def forward(self, z):
        self.a = sigmoid(z)
        return self.a

    def backward(self, dL_da):
        return dL_da * self.a * (1 - self.a)


def gradients(params, x, y):
    """Capas como objetos, cada una con su backward."""
    hidden = [Linear([params["W1_11"], params["W1_12"]], params["b1_1"]),
              Linear([params["W1_21"], params["W1_22"]], params["b1_2"])]
    activations = [Sigmoid(), Sigmoid()]
    output = Linear([params["W2_11"], params["W2_12"]], params["b2_1"])
    a = [act.forward(layer.forward([x[0], x[1]])) for layer, act in zip(hidden, activations)]
    y_hat = output.forward(a)
    (dW2_11, dW2_12), db2, dL_da = output.backward(-2 * (y - y_hat))
    grads = {"W2_11": dW2_11, "W2_12": dW2_12, "b2_1": db2}
    for j, (layer, act) in enumerate(zip(hidden, activations), start=1):
        (dw1, dw2), db, _ = layer.backward(act.backward(dL_da[j - 1]))
        grads.update({f"W1_{j}1": dw1, f"W1_{j}2": dw2, f"b1_{j}": db})
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
