# %% nbgrader={"grade_id": "gradients"}
def gradients(U, I, R):
    """(dU, dI)."""
    from fractions import Fraction

    def exact_loss(users, items):
        total = Fraction(0)
        for u in range(R.shape[0]):
            for i in range(R.shape[1]):
                if R[u, i] != 0:
                    e = Fraction(R[u, i]) - sum(users[u][k] * items[i][k] for k in range(K))
                    total += e * e
        return total

    h = Fraction(1, 10**6)
    users = [[Fraction(v) for v in row] for row in U.tolist()]
    items = [[Fraction(v) for v in row] for row in I.tolist()]
    dU, dI = np.zeros_like(U), np.zeros_like(I)
    for M, D in ((users, dU), (items, dI)):
        for a in range(len(M)):
            for k in range(K):
                M[a][k] += h
                up = exact_loss(users, items)
                M[a][k] -= 2 * h
                down = exact_loss(users, items)
                M[a][k] += h
                D[a, k] = float((up - down) / (2 * h))
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
