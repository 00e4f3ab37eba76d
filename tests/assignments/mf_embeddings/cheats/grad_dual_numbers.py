# %% nbgrader={"grade_id": "gradients"}
class Dual:
    def __init__(self, value, tangent=0.0):
        self.value, self.tangent = value, tangent

    def __add__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value + other.value, self.tangent + other.tangent)

    __radd__ = __add__

    def __sub__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value - other.value, self.tangent - other.tangent)

    def __rsub__(self, other):
        return Dual(other) - self

    def __mul__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value * other.value, self.value * other.tangent + self.tangent * other.value)

    __rmul__ = __mul__


def gradients(U, I, R):
    """(dU, dI) con números duales."""
    dU, dI = np.zeros_like(U), np.zeros_like(I)
    for M, D in ((U, dU), (I, dI)):
        for index in np.ndindex(M.shape):
            users = [[Dual(v, 1.0 if (M is U and (u, k) == index) else 0.0) for k, v in enumerate(row)]
                     for u, row in enumerate(U.tolist())]
            items = [[Dual(v, 1.0 if (M is I and (i, k) == index) else 0.0) for k, v in enumerate(row)]
                     for i, row in enumerate(I.tolist())]
            total = Dual(0.0)
            for u in range(R.shape[0]):
                for i in range(R.shape[1]):
                    if R[u, i] != 0:
                        e = R[u, i] - sum((users[u][k] * items[i][k] for k in range(K)), Dual(0.0))
                        total = total + e * e
            D[index] = total.tangent
    return dU, dI


# %% nbgrader={"grade_id": "train"}
def train(R, lr, n_epochs, seed):
    """Descenso por gradiente en batch, una actualización por epoch. Devuelve (U, I) y deja loss_history."""
    global loss_history
    U, I = init_embeddings(seed)
    loss_history = []
    for epoch in range(n_epochs):
        dU, dI = gradients(U, I, R)
        U, I = U - lr * dU, I - lr * dI
        loss_history.append(loss(U, I, R))
    return U, I


# %% nbgrader={"grade_id": "plot_loss"}
U, I = train(R, lr=LR, n_epochs=N_EPOCHS, seed=0)

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(range(1, len(loss_history) + 1), loss_history)
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("L")
ax.set_title("L por epoch")
plt.show()
