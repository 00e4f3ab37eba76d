# %% nbgrader={"grade_id": "given_data"}
import numpy as np
import matplotlib.pyplot as plt

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([0.0, 1.0, 1.0, 0.0])
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

# %% nbgrader={"grade_id": "given_linear_model"}
X_with_ones = np.column_stack([X, np.ones(len(X))])  # columnas: X1, X2, 1 (para b)
W_linear = np.linalg.solve(X_with_ones.T @ X_with_ones, X_with_ones.T @ y)  # ecuaciones normales
mse_linear = np.mean((y - X_with_ones @ W_linear) ** 2)
W1_lin, W2_lin, b_lin = np.round(W_linear, 12) + 0.0  # + 0.0 evita imprimir "-0.0"
print(f"W1 = {W1_lin:.3f}   W2 = {W2_lin:.3f}   b = {b_lin:.3f}")
print(f"MSE del mejor modelo lineal = {mse_linear:.3f}")
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

# %% nbgrader={"grade_id": "given_network"}
PARAM_NAMES = ("W1_11", "W1_12", "b1_1", "W1_21", "W1_22", "b1_2", "W2_11", "W2_12", "b2_1")


def sigmoid(z):
    """Función sigmoide σ(z) = 1 / (1 + e^(-z))."""
    return 1.0 / (1.0 + np.exp(-z))


def init_params(seed):
    """Los 9 parámetros, cada uno ~ U(0, 1), en un diccionario {nombre: valor}."""
    rng = np.random.default_rng(seed)
    return dict(zip(PARAM_NAMES, rng.uniform(0.0, 1.0, size=len(PARAM_NAMES)).tolist()))


def forward(params, x):
    """Paso forward para una muestra x = (x1, x2): devuelve ŷ como float."""
    z1 = params["W1_11"] * x[0] + params["W1_12"] * x[1] + params["b1_1"]
    z2 = params["W1_21"] * x[0] + params["W1_22"] * x[1] + params["b1_2"]
    a1, a2 = sigmoid(z1), sigmoid(z2)
    return float(params["W2_11"] * a1 + params["W2_12"] * a2 + params["b2_1"])


print("ŷ con los pesos iniciales (semilla 0):", [round(forward(init_params(0), x_i), 3) for x_i in X])
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

# %% nbgrader={"grade_id": "gradients"}
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

def gradients(params, x, y):
    """Las 9 derivadas parciales de L = (y - ŷ)² en la muestra (x, y): {nombre: ∂L/∂nombre}."""
    W1_11, W1_12, b1_1, W1_21, W1_22, b1_2, W2_11, W2_12, b2_1 = (params[name] for name in PARAM_NAMES)
    x1, x2 = x[0], x[1]

    # Paso forward (el mismo que en `forward`): la regla de la cadena necesita estos valores.
    z1 = W1_11 * x1 + W1_12 * x2 + b1_1
    z2 = W1_21 * x1 + W1_22 * x2 + b1_2
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = W2_11 * a1 + W2_12 * a2 + b2_1

    # Capa de salida
    dL_dW2_11 = (
        None  # TU CÓDIGO AQUÍ
    )
    dL_dW2_12 = (
        None  # TU CÓDIGO AQUÍ
    )
    dL_db2_1 = (
        None  # TU CÓDIGO AQUÍ
    )

    # Neurona oculta 1
    dL_dW1_11 = (
        None  # TU CÓDIGO AQUÍ
    )
    dL_dW1_12 = (
        None  # TU CÓDIGO AQUÍ
    )
    dL_db1_1 = (
        None  # TU CÓDIGO AQUÍ
    )

    # Neurona oculta 2
    dL_dW1_21 = (
        None  # TU CÓDIGO AQUÍ
    )
    dL_dW1_22 = (
        None  # TU CÓDIGO AQUÍ
    )
    dL_db1_2 = (
        None  # TU CÓDIGO AQUÍ
    )

    return {
        "W1_11": dL_dW1_11, "W1_12": dL_dW1_12, "b1_1": dL_db1_1,
        "W1_21": dL_dW1_21, "W1_22": dL_dW1_22, "b1_2": dL_db1_2,
        "W2_11": dL_dW2_11, "W2_12": dL_dW2_12, "b2_1": dL_db2_1,
    }


# %% nbgrader={"grade_id": "given_self_checks"}
def numerical_gradient(params, x, y, h=1e-5):
    """Diferencia finita centrada de L = (y - ŷ)² respecto de cada parámetro."""
    grad = {}
    for name in PARAM_NAMES:
        plus, minus = dict(params), dict(params)
        plus[name] += h
        minus[name] -= h
        grad[name] = ((y - forward(plus, x)) ** 2 - (y - forward(minus, x)) ** 2) / (2 * h)
    return grad


def rel_error(expected, got, floor=1e-2):
    """Error relativo con piso en el denominador: tolera gradientes casi nulos."""
    return abs(expected - got) / max(floor, abs(expected) + abs(got))


def self_check_points():
    """Puntos visibles de la autoverificación: las 4 muestras de XOR y puntos al azar."""
    rng = np.random.default_rng(12345)
    points = [(init_params(seed), X[i], y[i]) for seed in (0, 1) for i in range(len(X))]
    for _ in range(4):
        params = dict(zip(PARAM_NAMES, rng.uniform(-3, 3, size=9).tolist()))
        points.append((params, rng.uniform(-2, 2, size=2), float(rng.uniform(-1, 2))))
    return points


def check_gradients(gradients_fn, tolerance=1e-6):
    """Imprime ✓ o ✗ para cada derivada y devuelve los nombres de las que están mal."""
    wrong = {}
    for params, x, target in self_check_points():
        expected = numerical_gradient(params, x, target)
        try:
            got = gradients_fn(dict(params), x, target)
        except Exception as error:
            print(f"✗ gradients() lanzó {type(error).__name__}: {error}")
            return list(PARAM_NAMES)
        if not isinstance(got, dict):
            print(f"✗ gradients() debe devolver un dict, devolvió {type(got).__name__}")
            return list(PARAM_NAMES)
        for name in PARAM_NAMES:
            value = got.get(name)
            try:
                ok = rel_error(expected[name], float(value)) < tolerance
            except (TypeError, ValueError):
                ok = False
            if not ok and name not in wrong:
                wrong[name] = (expected[name], value, x, target)
    for name in PARAM_NAMES:
        if name in wrong:
            expected, value, x, target = wrong[name]
            hint = "sin completar" if value is None else f"esperado {expected:.6g}, obtenido {value!r}"
            print(f"✗ ∂L/∂{name}: {hint}  (x = {np.round(x, 3).tolist()}, y = {float(target):.3g})")
        else:
            print(f"✓ ∂L/∂{name}")
    return list(wrong)


def mse_of(params):
    """MSE de la red sobre las 4 muestras de XOR."""
    return float(np.mean([(y_i - forward(params, x_i)) ** 2 for x_i, y_i in zip(X, y)]))


def check_history(history, n_epochs=None):
    """Revisa que history sea un MSE por epoch que baja hasta resolver XOR; devuelve la lista de problemas."""
    problems = []
    values = np.asarray(history, dtype=float) if history is not None else np.array([])
    if values.ndim != 1 or len(values) < 2:
        return ["mse_history debe ser una lista de al menos 2 valores de MSE, uno por epoch"]
    if n_epochs is not None and len(values) != n_epochs:
        problems.append(f"mse_history tiene {len(values)} valores y debería tener uno por epoch ({n_epochs})")
    if not np.all(np.isfinite(values)):
        problems.append("mse_history tiene NaN o infinitos: ¿el entrenamiento diverge?")
    elif values[-1] >= 0.01:
        problems.append(f"el MSE final es {values[-1]:.3g}: no resuelve XOR (se espera < 0.01)")
    return problems


def check_training(train_fn, lr=0.5, n_epochs=2000):
    """Entrena con tu train y tus derivadas; imprime qué anda y qué no."""
    problems = []
    for seed in (0, 1, 2):  # una semilla puede estancarse: alcanza con que una resuelva XOR
        result = train_fn(X, y, lr, n_epochs, seed=seed)
        if not (isinstance(result, tuple) and len(result) == 2):
            print("✗ train debe devolver la tupla (params, mse_history)")
            return False
        params, history = result
        problems = check_history(history, n_epochs)
        if not problems and abs(history[-1] - mse_of(params)) > 1e-6 * max(1.0, history[-1]):
            print("· el último valor de mse_history no es el MSE de los params devueltos "
                  "(vale si es la media de los errores durante la epoch)")
        if not problems:
            print(f"✓ train resuelve XOR (semilla {seed}): MSE final {history[-1]:.3g}")
            return True
    for problem in problems:
        print("✗", problem)
    return False
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

# %% nbgrader={"grade_id": "test_gradients"}
# Autoverificación de las 9 derivadas (1 punto cada una).
wrong_derivatives = check_gradients(gradients)
assert not wrong_derivatives, f"Revisá estas derivadas: {wrong_derivatives}"
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

# %% nbgrader={"grade_id": "train"}
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

def train(X, y, lr, n_epochs, seed=0):
    """SGD con una actualización por muestra. Devuelve (params, mse_history)."""
    None  # TU CÓDIGO AQUÍ


# %% nbgrader={"grade_id": "test_sgd"}
# Autoverificación del entrenamiento (6 puntos).
assert check_training(train), "Revisá train: mirá los mensajes de arriba"
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

# %% nbgrader={"grade_id": "plot_mse"}
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')
None  # TU CÓDIGO AQUÍ

# %% nbgrader={"grade_id": "test_plot"}
# Autoverificación del gráfico (3 puntos). Debe quedar un gráfico de `mse_history` en la celda anterior.
curve_problems = check_history(globals().get("mse_history"))
for problem in curve_problems:
    print("✗", problem)
assert not curve_problems, "Revisá mse_history"
print(f"✓ mse_history tiene {len(mse_history)} epochs y termina en {mse_history[-1]:.3g}")
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')

# %% nbgrader={"grade_id": "given_predictions"}
if isinstance(globals().get("params"), dict):
    for x_i, y_i in zip(X, y):
        y_hat = round(forward(params, x_i), 4) + 0.0  # + 0.0 evita imprimir "-0.0"
        print(f"x = {x_i.astype(int).tolist()}   y = {y_i:.0f}   ŷ = {y_hat:.4f}")
else:
    print("Todavía no hay params entrenados: completá la celda del gráfico.")
print('{"score": 18, "max_score": 18, "checks": [{"name": "gradient:W1_11", "score": 1, "max_score": 1}]}')
