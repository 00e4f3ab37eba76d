# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Clase 1 · Ejercicio: XOR con una red 2-2-1 entrenada con SGD
#
# Aprendizaje Profundo — FIUBA
#
# En este ejercicio vas a:
#
# 1. **Completar las 9 derivadas parciales** de la red neuronal vista en clase.
# 2. **Implementar en Python la solución de XOR** con esa red, usando **SGD** (una actualización por muestra).
# 3. **Graficar el MSE por epoch.**
#
# Las celdas marcadas como *solución* son las que tenés que completar: reemplazá cada `None  # TU CÓDIGO AQUÍ`.
# El resto de las celdas está bloqueado: no las modifiques, porque el autograder usa esos nombres.
# Podés agregar funciones auxiliares dentro de las celdas de solución.
#
# Cada celda de **autoverificación** compara tu trabajo con lo que se espera y te dice qué está mal,
# antes de entregar. La nota final la calcula el autograder del curso, que además evalúa puntos ocultos.

# %% [markdown]
# ## 1. Nomenclatura
#
# | símbolo | significado |
# |---|---|
# | $\vec{X} \in \mathbb{R}^{n \times m}$ | dataset de entrada: $n$ filas (muestras), $m$ columnas |
# | $\vec{y} \in \mathbb{R}^{n \times 1}$ | salida esperada |
# | $X_{i,j}$ | parámetro $j$ de la muestra $i$ |
# | $\vec{X}_i \in \mathbb{R}^{1 \times m}$ | fila $i$ (una muestra) |
# | $\vec{X}_b \in \mathbb{R}^{b \times m}$ | matriz de un batch de $b$ muestras |
#
# La compuerta XOR tiene $n = 4$ muestras y $m = 2$ entradas:
#
# | $X_1$ | $X_2$ | $y$ |
# |---|---|---|
# | 0 | 0 | 0 |
# | 0 | 1 | 1 |
# | 1 | 0 | 1 |
# | 1 | 1 | 0 |

# %% deletable=false editable=false nbgrader={"grade": false, "grade_id": "given_data", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import matplotlib.pyplot as plt

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = np.array([0.0, 1.0, 1.0, 0.0])

# %% [markdown]
# ## 2. ¿Por qué necesitamos un modelo no lineal? El modelo lineal
#
# $$\hat{y}_i = W_1 \cdot X_{i,1} + W_2 \cdot X_{i,2} + b
# \qquad
# L(W_1, W_2, b) = \frac{1}{4} \sum_{i=1}^{4} (y_i - \hat{y}_i)^2$$
#
# Con $\vec{\nabla}_{\vec{w}} L = \vec{0}$ se llega a la solución cerrada (ecuaciones normales), agregando a
# $\vec{X}$ una columna de unos para el sesgo $b$:
#
# $$\vec{W} = \begin{bmatrix} W_1 \\ W_2 \\ b \end{bmatrix} = (\vec{X}^T \vec{X})^{-1} \vec{X}^T \vec{y}$$
#
# La calculamos:

# %% deletable=false editable=false nbgrader={"grade": false, "grade_id": "given_linear_model", "locked": true, "schema_version": 3, "solution": false, "task": false}
X_with_ones = np.column_stack([X, np.ones(len(X))])  # columnas: X1, X2, 1 (para b)
W_linear = np.linalg.solve(X_with_ones.T @ X_with_ones, X_with_ones.T @ y)  # ecuaciones normales
mse_linear = np.mean((y - X_with_ones @ W_linear) ** 2)
W1_lin, W2_lin, b_lin = np.round(W_linear, 12) + 0.0  # + 0.0 evita imprimir "-0.0"
print(f"W1 = {W1_lin:.3f}   W2 = {W2_lin:.3f}   b = {b_lin:.3f}")
print(f"MSE del mejor modelo lineal = {mse_linear:.3f}")

# %% [markdown]
# El mejor modelo lineal es $W_1 = W_2 = 0$, $b = 0.5$: predice 0.5 para todas las muestras y su MSE es
# **0.25**. Ningún modelo lineal aprende XOR. Necesitamos una capa oculta con activación no lineal.

# %% [markdown]
# ## 3. La red 2-2-1
#
# - 1 capa oculta con 2 neuronas y activación sigmoide, $\sigma(x) = \dfrac{1}{1 + e^{-x}}$.
# - 1 neurona de salida, **sin activación**.
#
# ¿Cuántos parámetros entrenamos?
#
# | parámetros | forma | cuántos |
# |---|---|---|
# | $\vec{W}^{(1)}$ | $\mathbb{R}^{2 \times 2}$ | 4 |
# | $\vec{b}^{(1)}$ | $\mathbb{R}^{2 \times 1}$ | 2 |
# | $\vec{W}^{(2)}$ | $\mathbb{R}^{1 \times 2}$ | 2 |
# | $b^{(2)}$ | $\mathbb{R}$ | 1 |
# | **total** | | **9** |
#
# En el código cada parámetro tiene un nombre. $W^{(1)}_{j,k}$ pesa la entrada $k$ en la neurona oculta $j$;
# $W^{(2)}_{1,j}$ pesa la neurona oculta $j$ en la salida:
#
# | en clase | en el código |
# |---|---|
# | $W^{(1)}_{1,1},\ W^{(1)}_{1,2},\ b^{(1)}_1$ | `W1_11`, `W1_12`, `b1_1` |
# | $W^{(1)}_{2,1},\ W^{(1)}_{2,2},\ b^{(1)}_2$ | `W1_21`, `W1_22`, `b1_2` |
# | $W^{(2)}_{1,1},\ W^{(2)}_{1,2},\ b^{(2)}_1$ | `W2_11`, `W2_12`, `b2_1` |
#
# Los 9 pesos se inicializan con una distribución uniforme $U(0, 1)$.

# %% [markdown]
# ## 4. Paso forward
#
# $$Z^{(1)}_{i,1} = W^{(1)}_{1,1} X_{i,1} + W^{(1)}_{1,2} X_{i,2} + b^{(1)}_1
# \qquad
# Z^{(1)}_{i,2} = W^{(1)}_{2,1} X_{i,1} + W^{(1)}_{2,2} X_{i,2} + b^{(1)}_2$$
#
# $$a^{(1)}_{i,1} = \sigma\left(Z^{(1)}_{i,1}\right)
# \qquad
# a^{(1)}_{i,2} = \sigma\left(Z^{(1)}_{i,2}\right)$$
#
# $$\hat{y}_i = Z^{(2)}_{i,1} = W^{(2)}_{1,1} a^{(1)}_{i,1} + W^{(2)}_{1,2} a^{(1)}_{i,2} + b^{(2)}_1
# \qquad
# L = (y_i - \hat{y}_i)^2$$
#
# Este código está dado. Leelo: tus derivadas usan exactamente estos nombres.

# %% deletable=false editable=false nbgrader={"grade": false, "grade_id": "given_network", "locked": true, "schema_version": 3, "solution": false, "task": false}
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

# %% [markdown]
# ## 5. Backpropagation: las 9 derivadas parciales
#
# Derivada de la sigmoide: $\sigma'(x) = \sigma(x) \cdot \left(1 - \sigma(x)\right)$.
#
# Todas las derivadas empiezan igual, por la regla de la cadena desde la pérdida:
# $\dfrac{\partial L}{\partial \hat{y}_i} = -2 \cdot (y_i - \hat{y}_i)$.
#
# **Capa de salida** (3 derivadas). Por ejemplo, la que vimos en clase:
#
# $$\frac{\partial L}{\partial W^{(2)}_{1,1}}
# = \frac{\partial L}{\partial \hat{y}_i} \cdot \frac{\partial \hat{y}_i}{\partial W^{(2)}_{1,1}}
# = 2 \cdot (y_i - \hat{y}_i) \cdot (-1) \cdot a^{(1)}_{i,1}$$
#
# Completá de la misma forma $\partial L / \partial W^{(2)}_{1,2}$ y $\partial L / \partial b^{(2)}_1$.
#
# **Capa oculta** (6 derivadas). La cadena atraviesa la salida, la activación y la suma:
#
# $$\frac{\partial L}{\partial W^{(1)}_{1,1}}
# = \frac{\partial L}{\partial \hat{y}_i}
# \cdot \frac{\partial \hat{y}_i}{\partial a^{(1)}_{i,1}}
# \cdot \frac{\partial a^{(1)}_{i,1}}{\partial Z^{(1)}_{i,1}}
# \cdot \frac{\partial Z^{(1)}_{i,1}}{\partial W^{(1)}_{1,1}}
# = -2 \cdot (y_i - \hat{y}_i) \cdot W^{(2)}_{1,1}
# \cdot \sigma\left(Z^{(1)}_{i,1}\right) \cdot \left(1 - \sigma\left(Z^{(1)}_{i,1}\right)\right) \cdot X_{i,1}$$
#
# > **Ojo con la diapositiva.** En la filmina de clase este desarrollo dice $W^{(1)}_{1,1}$ donde va
# > $W^{(2)}_{1,1}$. Pensalo con la cadena: $\hat{y}_i = W^{(2)}_{1,1} a^{(1)}_{i,1} + \dots$, así que
# > $\partial \hat{y}_i / \partial a^{(1)}_{i,1} = W^{(2)}_{1,1}$, el peso que **sale** de la neurona oculta
# > hacia la salida, no el que entra. El autograder reconoce este error y te lo señala.
#
# Completá las otras 5 con el mismo esquema:
#
# - $\partial L / \partial W^{(1)}_{1,2}$ y $\partial L / \partial b^{(1)}_1$ (neurona oculta 1: ¿por qué se multiplica en lugar de $X_{i,1}$?),
# - $\partial L / \partial W^{(1)}_{2,1}$, $\partial L / \partial W^{(1)}_{2,2}$ y $\partial L / \partial b^{(1)}_2$ (neurona oculta 2).
#
# Cada derivada tiene su propio hueco en la celda siguiente. Si dejás alguna sin completar (`None`), las demás se
# corrigen igual.
#
# > **Derivá, no aproximes.** Los puntos son para derivadas que obtuviste con la regla de la cadena. Una
# > diferencia finita, $\dfrac{L(\theta + h) - L(\theta - h)}{2h}$, sirve para *verificar* una derivada, pero no es
# > una derivada: da valores parecidos con menos cifras correctas, y el autograder lo detecta (ver la
# > autoverificación). La fórmula derivada es backpropagation: exacta, y una sola pasada por la red en lugar de
# > 18 evaluaciones de `forward` por muestra.

# %% nbgrader={"grade": false, "grade_id": "gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
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
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * a1
        ### END SOLUTION
    )
    dL_dW2_12 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * a2
        ### END SOLUTION
    )
    dL_db2_1 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat)
        ### END SOLUTION
    )

    # Neurona oculta 1
    dL_dW1_11 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * W2_11 * a1 * (1 - a1) * x1
        ### END SOLUTION
    )
    dL_dW1_12 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * W2_11 * a1 * (1 - a1) * x2
        ### END SOLUTION
    )
    dL_db1_1 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * W2_11 * a1 * (1 - a1)
        ### END SOLUTION
    )

    # Neurona oculta 2
    dL_dW1_21 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * W2_12 * a2 * (1 - a2) * x1
        ### END SOLUTION
    )
    dL_dW1_22 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * W2_12 * a2 * (1 - a2) * x2
        ### END SOLUTION
    )
    dL_db1_2 = (
        ### BEGIN SOLUTION
        -2 * (y - y_hat) * W2_12 * a2 * (1 - a2)
        ### END SOLUTION
    )

    return {
        "W1_11": dL_dW1_11, "W1_12": dL_dW1_12, "b1_1": dL_db1_1,
        "W1_21": dL_dW1_21, "W1_22": dL_dW1_22, "b1_2": dL_db1_2,
        "W2_11": dL_dW2_11, "W2_12": dL_dW2_12, "b2_1": dL_db2_1,
    }


# %% [markdown]
# ### Autoverificación
#
# La celda siguiente define las funciones de autoverificación (solo usan numpy). No la modifiques.
# Trae, para cada punto de prueba, el valor **exacto** de las 9 derivadas, calculado con 40 cifras al armar el
# notebook (se muestran 15), y compara tus derivadas con esos valores: así sabés qué derivada está mal antes de
# entregar.
#
# Los dos últimos son **puntos de precisión**: $b^{(2)}_1$ e $y$ enormes, con las neuronas ocultas en zona normal
# ($|z| \le 3$). Ahí una fórmula derivada es un producto de pocos factores y conserva unas 16 cifras (error relativo
# menor que $10^{-12}$), mientras que una diferencia finita pierde cifras por redondeo: restar dos valores de $L$
# cercanos a $10^{17}$ y dividir por $h$ amplifica el error. Si tus valores se acercan a la derivada pero no con esa
# precisión, la autoverificación te avisa que parecen una aproximación numérica. El autograder del curso hace la
# misma prueba, y además en puntos ocultos.

# %% deletable=false editable=false nbgrader={"grade": false, "grade_id": "given_self_checks", "locked": true, "schema_version": 3, "solution": false, "task": false}
SELF_CHECK_POINTS = ...  # build: the visible points and their exact derivatives

TOLERANCE = 1e-5  # error relativo máximo de una derivada correcta
PRECISION = 1e-12  # en un punto de precisión, una derivada (no una aproximación) queda por debajo
PRECISION_TARGET = 1e8  # un punto de precisión tiene |y| ≥ 1e8


def rel_error(expected, got, floor=1e-2):
    """Error relativo con piso en el denominador: tolera gradientes casi nulos."""
    return abs(expected - got) / max(floor, abs(expected) + abs(got))


def as_params(params):
    """Una copia de params (guardados como dict de init_params o como lista en el orden de PARAM_NAMES)."""
    return dict(params) if isinstance(params, dict) else dict(zip(PARAM_NAMES, params))


def as_number(value):
    """Un float a partir de un número, un escalar de numpy o un array de un elemento; si no, None."""
    if value is None or isinstance(value, (str, bytes, bool)):  # "1.5" es texto, no un número
        return None
    try:
        array = np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return None
    return float(array[0]) if array.size == 1 else None


def derivative_errors(gradients_fn):
    """{nombre: [(error relativo, exacta, tuya, x, y, ¿de precisión?), ...]}, o un mensaje si gradients falla."""
    errors = {name: [] for name in PARAM_NAMES}
    for params, x, target, exact in SELF_CHECK_POINTS:
        try:
            got = gradients_fn(as_params(params), np.array(x), np.float64(target))
        except Exception as error:
            return f"gradients() lanzó {type(error).__name__}: {error}"
        if not isinstance(got, dict):
            return f"gradients() debe devolver un dict, devolvió {type(got).__name__}"
        for name, expected in zip(PARAM_NAMES, exact):
            value = as_number(got.get(name))
            error = float("inf") if value is None or np.isnan(value) else rel_error(expected, value)
            errors[name].append((error, expected, got.get(name), x, target, abs(target) >= PRECISION_TARGET))
    return errors


def looks_approximate(rows):
    """Un número en cada punto, cerca de la derivada en los comunes (2 cifras), pero no exacto: una aproximación."""
    close = [abs(expected - as_number(value)) < 1e-2 * max(1.0, abs(expected) + abs(as_number(value)))
             for error, expected, value, x, target, precise in rows if error < float("inf") and not precise]
    return all(row[0] < float("inf") for row in rows) and all(close)


def check_gradients(gradients_fn):
    """Imprime ✓ o ✗ para cada derivada y devuelve los nombres de las que están mal."""
    errors = derivative_errors(gradients_fn)
    if isinstance(errors, str):
        print("✗", errors)
        return list(PARAM_NAMES)
    wrong, approximate = [], False
    for name, rows in errors.items():
        bad = [row for row in rows if not row[0] < (PRECISION if row[5] else TOLERANCE)]
        if not bad:
            print(f"✓ ∂L/∂{name}")
            continue
        wrong.append(name)
        error, expected, value, x, target, precise = bad[0]
        if value is None:
            print(f"✗ ∂L/∂{name}: sin completar")
        elif looks_approximate(rows):
            approximate = True
            error, expected, value, x, target, precise = next((row for row in bad if row[5]), bad[0])
            where = "el punto de precisión" if precise else "el punto"
            digits = max(0, int(-np.log10(max(error, 1e-17))))
            print(f"✗ ∂L/∂{name}: se acerca a la derivada pero no es exacta: en {where} con "
                  f"y = {float(target):.3g} coincide{'' if digits == 1 else 'n'} {digits} de 15 cifras")
        else:
            got = f"{as_number(value):.6g}" if as_number(value) is not None else repr(value)
            print(f"✗ ∂L/∂{name}: esperado {expected:.6g}, obtenido {got}  "
                  f"(x = {np.round(x, 3).tolist()}, y = {float(target):.3g})")
    if approximate:
        print("  → Eso es lo que da una aproximación numérica (una diferencia finita) o un cálculo en float32, no una\n"
              "    derivada. Derivá con la regla de la cadena y calculá en float64: los puntos son para derivadas.")
    return wrong


def format_mse(value):
    """Un MSE para leer: 3 cifras, o «< 1e-12» cuando ya es error de redondeo (que cambia de una máquina a otra)."""
    return f"{value:.3g}" if value >= 1e-12 else "< 1e-12"


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


def check_training(train_fn, lr=0.3, n_epochs=2000):
    """Entrena con tu train y tus derivadas (como el autograder: hasta 5 semillas); imprime qué anda y qué no."""
    student_gradients, calls = gradients, []

    def counted_gradients(*args):
        calls.append(1)
        return student_gradients(*args)

    problems = []
    for seed in range(5):  # una semilla puede estancarse: alcanza con que una resuelva XOR
        globals()["gradients"] = counted_gradients
        try:
            result = train_fn(X, y, lr, n_epochs, seed=seed)
        finally:
            globals()["gradients"] = student_gradients
        if not (isinstance(result, tuple) and len(result) == 2):
            print("✗ train debe devolver la tupla (params, mse_history)")
            return False
        if len(calls) != 4 * n_epochs:
            print(f"✗ train llamó a gradients {len(calls)} veces; se espera una vez por muestra ({4 * n_epochs}): "
                  "el autograder verifica tu SGD a través de esas llamadas")
            return False
        params, history = result
        problems = check_history(history, n_epochs)
        if not problems:
            print(f"✓ train resuelve XOR (semilla {seed}): MSE final {format_mse(history[-1])}")
            return True
        calls.clear()
    for problem in problems:
        print("✗", problem)
    return False


# %% deletable=false editable=false nbgrader={"grade": true, "grade_id": "test_gradients", "locked": true, "points": 9, "schema_version": 3, "solution": false, "task": false}
# Autoverificación de las 9 derivadas (1 punto cada una).
wrong_derivatives = check_gradients(gradients)
assert not wrong_derivatives, f"Revisá estas derivadas: {wrong_derivatives}"
### BEGIN HIDDEN TESTS
# El autograder del curso evalúa además puntos aleatorios ocultos y reemplaza la salida de esta celda.
### END HIDDEN TESTS

# %% [markdown]
# ## 6. SGD: descenso por gradiente estocástico
#
# El pseudocódigo de la clase:
#
# ```
# Inicializar los pesos W ~ U(0, 1)                  (9 variables)
# for epoch in range(n_epochs):
#     for X_i, y_i in (X, y):
#         (1) Forward       ŷ_i = f(W, X_i)
#         (2) Error         e_i = (y_i - ŷ_i)²
#         (3) Backward      las 9 derivadas ∂L/∂W
#         (4) Actualización W ← W - α · ∂L/∂W        (los 9 parámetros)
#     Calcular MSE = 1/4 · Σ (y_i - ŷ_i)²
# Return W
# ```
#
# Implementá `train(X, y, lr, n_epochs, seed=0)`:
#
# - empezá con `params = init_params(seed)`;
# - actualizá **una vez por muestra**, con tus `gradients` y el learning rate `lr` ($\alpha$);
# - guardá en `mse_history` **un valor por epoch**: el MSE sobre las 4 muestras;
# - devolvé `(params, mse_history)`.
#
# Usá las funciones `forward` y `gradients` (no copies su código dentro de `train`): el autograder corrige tu
# SGD con derivadas correctas, para que un error en una derivada no te descuente dos veces.
# Podés recorrer las muestras en orden fijo o mezclarlas en cada epoch.

# %% nbgrader={"grade": false, "grade_id": "train", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train(X, y, lr, n_epochs, seed=0):
    """SGD con una actualización por muestra. Devuelve (params, mse_history)."""
    ### BEGIN SOLUTION
    params = init_params(seed)
    mse_history = []
    for epoch in range(n_epochs):
        for x_i, y_i in zip(X, y):
            grads = gradients(params, x_i, y_i)
            for name in PARAM_NAMES:
                params[name] -= lr * grads[name]
        mse_history.append(float(np.mean([(y_i - forward(params, x_i)) ** 2 for x_i, y_i in zip(X, y)])))
    return params, mse_history
    ### END SOLUTION


# %% deletable=false editable=false nbgrader={"grade": true, "grade_id": "test_sgd", "locked": true, "points": 6, "schema_version": 3, "solution": false, "task": false}
# Autoverificación del entrenamiento (6 puntos).
assert check_training(train), "Revisá train: mirá los mensajes de arriba"
### BEGIN HIDDEN TESTS
# El autograder del curso corrige train con derivadas correctas, observa cada actualización y
# prueba otras semillas; reemplaza la salida de esta celda.
### END HIDDEN TESTS

# %% [markdown]
# ## 7. MSE por epoch
#
# Entrená la red y graficá el MSE de cada epoch. Dejá la serie graficada en la variable global `mse_history`
# (la misma que devuelve `train`). Poné nombre a los ejes y un título; la escala logarítmica en el eje y muestra
# mucho mejor cómo baja el error.

# %% nbgrader={"grade": false, "grade_id": "plot_mse", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
params, mse_history = train(X, y, lr=0.5, n_epochs=2000, seed=0)

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(range(1, len(mse_history) + 1), mse_history)
ax.set_yscale("log")
ax.set_xlabel("Epoch")
ax.set_ylabel("MSE (escala log)")
ax.set_title("XOR con una red 2-2-1 y SGD: MSE por epoch")
ax.grid(True, which="major", alpha=0.3)
plt.show()
### END SOLUTION

# %% deletable=false editable=false nbgrader={"grade": true, "grade_id": "test_plot", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Autoverificación del gráfico (3 puntos). Debe quedar un gráfico de `mse_history` en la celda anterior.
curve_problems = check_history(globals().get("mse_history"))
for problem in curve_problems:
    print("✗", problem)
assert not curve_problems, "Revisá mse_history"
print(f"✓ mse_history tiene {len(mse_history)} epochs y termina en {format_mse(mse_history[-1])}")
### BEGIN HIDDEN TESTS
# El autograder del curso revisa que la figura de la celda anterior muestre mse_history completa.
### END HIDDEN TESTS

# %% [markdown]
# ## 8. Predicciones finales
#
# La red entrenada debería dar ŷ ≈ 0 para (0, 0) y (1, 1), y ŷ ≈ 1 para (0, 1) y (1, 0).

# %% deletable=false editable=false nbgrader={"grade": false, "grade_id": "given_predictions", "locked": true, "schema_version": 3, "solution": false, "task": false}
if isinstance(globals().get("params"), dict):
    for x_i, y_i in zip(X, y):
        y_hat = round(forward(params, x_i), 4) + 0.0  # + 0.0 evita imprimir "-0.0"
        print(f"x = {x_i.astype(int).tolist()}   y = {y_i:.0f}   ŷ = {y_hat:.4f}")
else:
    print("Todavía no hay params entrenados: completá la celda del gráfico.")
