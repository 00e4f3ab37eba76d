# %% nbgrader={"grade_id": "gradients"}
def gradients(U, I, R):
    """(dU, dI)."""
    dU, dI = np.zeros_like(U), np.zeros_like(I)
    for u in range(U.shape[0]):
        seen = R[u] != 0
        e = R[u, seen] - I[seen] @ U[u]
        dU[u] = -2 * e @ I[seen]
    for i in range(I.shape[0]):
        seen = R[:, i] != 0
        e = R[seen, i] - U[seen] @ I[i]
        dI[i] = -2 * e @ U[seen]
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
