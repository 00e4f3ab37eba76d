# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
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
# # Clase 1 · Ejercicio 2: embeddings de usuarios y películas con descenso por gradiente
#
# Aprendizaje Profundo — FIUBA
#
# En clase vimos un sistema de recomendación: cada usuario $u$ y cada película $i$ tienen un **embedding**, un
# vector denso $U_u$ o $I_i$, y la calificación que el usuario le daría a la película se predice con su producto
# interno $U_u \cdot I_i$. Los embeddings se aprenden minimizando, **solo sobre las calificaciones observadas**,
#
# $$L(U, I) = \sum_{u,i:\ R_{u,i} \neq 0} \left(R_{u,i} - U_u \cdot I_i\right)^2$$
#
# En este ejercicio vas a:
#
# 1. **Derivar a mano** $\partial L / \partial U$ y $\partial L / \partial I$.
# 2. **Entrenar los embeddings** con descenso por gradiente (una actualización por epoch, con todo $R$).
# 3. **Graficar $L$ por epoch.**
#
# Las celdas marcadas como *solución* son las que tenés que completar: reemplazá cada `None  # TU CÓDIGO AQUÍ`.
# El resto de las celdas está bloqueado: no las modifiques, porque el autograder usa esos nombres.
# Podés agregar funciones auxiliares dentro de las celdas de solución.
#
# Cada celda de **autoverificación** compara tu trabajo con lo que se espera y te dice qué está mal, antes de
# entregar. La nota final la calcula el autograder del curso, que además evalúa puntos ocultos.

# %% [markdown]
# ## 1. Los datos
#
# $R \in \mathbb{R}^{6 \times 5}$: 6 usuarios (filas) calificaron 5 películas (columnas) con 0.5 a 5 estrellas.
# Un **0 significa que el usuario no vio la película**: no es una calificación, es un dato que falta, y no entra
# en $L$. Justamente lo que queremos es predecir esos huecos.
#
# Cada embedding tiene $K = 2$ componentes: $U \in \mathbb{R}^{6 \times 2}$ (una fila por usuario) e
# $I \in \mathbb{R}^{5 \times 2}$ (una fila por película). La matriz de predicciones es $\hat{R} = U I^T$.

# %% deletable=false editable=false nbgrader={"cell_type": "code", "checksum": "3dba85ef4faad267d7424dcba974b0fe", "grade": false, "grade_id": "given_data", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np
import matplotlib.pyplot as plt

R = np.array([  # calificaciones de 6 usuarios (filas) a 5 películas (columnas); 0 = sin calificar
    [0.0, 3.0, 4.0, 3.5, 2.5],
    [4.0, 1.0, 5.0, 3.0, 4.5],
    [1.0, 0.0, 3.0, 2.5, 0.0],
    [2.0, 3.0, 0.0, 0.0, 3.5],
    [1.0, 4.0, 5.0, 4.5, 0.0],
    [0.0, 2.0, 0.0, 3.5, 4.0],
])
K = 2  # dimensión de los embeddings
LR, N_EPOCHS = 0.02, 500  # learning rate y epochs de la celda del gráfico


def init_embeddings(seed):
    """(U, I): embeddings iniciales ~ U(0, 1), U de 6×K e I de 5×K (primero U, después I)."""
    rng = np.random.default_rng(seed)
    U = rng.uniform(0.0, 1.0, size=(R.shape[0], K))
    I = rng.uniform(0.0, 1.0, size=(R.shape[1], K))
    return U, I


def loss(U, I, R):
    """L = Σ sobre R_ui ≠ 0 de (R_ui − U_u · I_i)²."""
    observed = R != 0
    errors = (R - U @ I.T)[observed]
    return float(np.sum(errors ** 2))


U0, I0 = init_embeddings(0)
print(f"{np.count_nonzero(R)} calificaciones observadas de {R.size}; L con los embeddings iniciales = {loss(U0, I0, R):.3f}")

# %% [markdown]
# ## 2. Las derivadas
#
# Derivá a mano $\partial L / \partial U$ y $\partial L / \partial I$. Una guía: $U_u$ aparece solo en los
# términos de las películas que calificó el usuario $u$, y en cada uno a través del producto interno
# $U_u \cdot I_i$; con la regla de la cadena, derivá un término y después sumá sobre los términos donde aparece.
# Lo mismo para $I_i$, sobre los usuarios que calificaron la película $i$. Las calificaciones que faltan
# ($R_{u,i} = 0$) no son parte de $L$.
#
# Implementá `gradients(U, I, R)`: devuelve `(dU, dI)`, dos arrays con la forma de `U` (6×2) y de `I` (5×2),
# con la derivada de **toda la suma** $L$. Podés usar bucles o operaciones de matrices.
#
# > **Derivá, no aproximes.** Una diferencia finita, $\dfrac{L(U + h) - L(U - h)}{2h}$, sirve para *verificar* una
# > derivada, pero no es una derivada: da valores parecidos con menos cifras correctas, y el autograder lo detecta
# > (ver la autoverificación). La fórmula derivada es exacta y cuesta un par de productos de matrices.

# %% deletable=false nbgrader={"cell_type": "code", "checksum": "4d6893177277ccdcd9fb82ea2721f7cd", "grade": false, "grade_id": "gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
def gradients(U, I, R):
    """(dU, dI): las derivadas de L respecto de U (6×K) y de I (5×K)."""
    None  # TU CÓDIGO AQUÍ

    dU = (
        None  # TU CÓDIGO AQUÍ
    )
    dI = (
        None  # TU CÓDIGO AQUÍ
    )
    return dU, dI


# %% [markdown]
# ### Autoverificación
#
# La celda siguiente define las funciones de autoverificación (solo usan numpy). No la modifiques. Trae, para cada
# punto de prueba, el valor **exacto** de $\partial L / \partial U$ y $\partial L / \partial I$, calculado sin
# redondeo al armar el notebook, y compara tus derivadas con esos valores entrada por entrada.
#
# Los dos últimos son **puntos de precisión**: una calificación enorme (del orden de $10^8$) entre las comunes.
# Ahí una fórmula derivada conserva unas 16 cifras (error relativo menor que $10^{-12}$), mientras que una
# diferencia finita pierde cifras por redondeo: $L$ ronda $10^{18}$, y restar dos valores así de grandes y dividir
# por $h$ amplifica el error. El autograder del curso hace la misma prueba, y además en puntos ocultos.

# %% deletable=false editable=false nbgrader={"cell_type": "code", "checksum": "979a0c8faee535ded0fb823cda4ee42c", "grade": false, "grade_id": "given_self_checks", "locked": true, "schema_version": 3, "solution": false, "task": false}
SELF_CHECK_POINTS = [  # (U, I, R, dU exacta, dI exacta)
    (*init_embeddings(0), R,
     [[-11.388490362486474, -7.761722678768025], [-18.806186154870094, -9.61028326570851], [-4.70166074530038, -3.5528526703805823], [-6.232799944179959, -1.7943491905079], [-15.190837015220042, -8.932428796323967], [-4.225150855773065, -4.2328794677198385]],
     [[-3.0794396726545474, -3.6907568735996543], [-12.22633408806155, -11.357857877146447], [-11.924789427696926, -12.765744764750144], [-16.9527245688397, -12.62662243974952], [-14.091791797362553, -6.440662969859589]]),
    (*init_embeddings(1), R,
     [[-6.470776654893767, -7.737939444017431], [-10.964270398443238, -12.97924348266286], [-2.065124579935744, -4.355851041304273], [-6.628934679255811, -6.0898861852798785], [-5.942907442761843, -10.983494948468683], [-7.158550063794215, -4.9086871268102374]],
     [[-4.4763620101113935, -7.750293652187276], [-13.367942248110909, -9.539124229696364], [-12.099153885103908, -18.100255121507168], [-15.102341690419752, -16.80592037685297], [-12.607150244711274, -17.13993057482097]]),
    ([[1.98, -0.47], [1.31, 1.35], [1.9, -1.69], [-0.73, 1.68], [0.7, -0.86], [-0.44, -1.08]],
     [[-1.33, -1.39], [1.9, -0.3], [-1.75, -0.03], [-0.85, -1.15], [-1.17, 0.32]],
     [[1.0, 3.0, 3.0, 4.5, 2.5], [1.0, 2.0, 2.5, 2.0, 0.0], [1.5, 0.0, 0.0, 0.0, 4.0], [5.0, 5.0, 4.0, 0.0, 4.0], [0.0, 0.0, 5.0, 3.0, 1.0], [4.5, 0.5, 4.0, 0.0, 0.0]],
     [[55.151646, 17.928801999999997], [37.452908, 23.811643999999998], [20.290506, 0.3357300000000005], [6.5518100000000015, 20.324416], [31.027828, 5.0254639999999995], [13.766176, 7.508863999999999]],
     [[-18.862626000000002, -20.168836], [14.747379999999998, -21.589859999999998], [-40.024582, 1.2672419999999989], [-38.217620000000004, -2.811930000000001], [-44.495521999999994, 22.368759999999998]]),
    ([[-0.98, -0.99], [-1.6, 1.6], [-2.0, 1.9], [-1.9, 1.5], [-1.1, -0.71], [-1.1, 0.97]],
     [[1.5, 0.59], [-0.63, 0.75], [1.7, -2.0], [-1.1, -2.0], [1.8, 0.74]],
     [[0.0, 4.0, 1.5, 3.5, 4.5], [3.0, 4.5, 0.0, 0.5, 5.0], [4.0, 1.0, 4.0, 5.0, 0.0], [0.0, 0.0, 4.0, 3.0, 1.5], [1.0, 1.5, 0.0, 0.0, 3.5], [3.5, 0.0, 828000000.0, 0.5, 2.5]],
     [[-23.050134, -10.030618], [-30.317680000000003, -10.84616], [-43.3201, 66.79028], [-39.896, 50.9212], [-29.138370000000002, -14.518544], [-2815200037.52502, 3312000009.190258]],
     [[54.59772, -41.1223], [11.626496, 9.138387999999999], [1821600094.3805602, -1606320078.29312], [51.03832, -44.529039999999995], [71.107256, -17.774932000000003]]),
    ([[-0.94, 1.2], [-1.6, -1.3], [-1.0, 1.7], [-1.2, 1.3], [1.5, 0.89], [1.3, -0.6]],
     [[1.3, -1.0], [1.4, 1.4], [0.79, 0.65], [1.1, -0.98], [-1.3, 0.82]],
     [[1.5, 5.0, 0.0, 2.0, 1.5], [3.5, 3.5, 2.5, 2.5, 0.5], [5.0, 0.0, 1.0, 0.0, 2.5], [0.0, 3.0, 502000000.0, 0.0, 0.0], [0.5, 5.0, 0.5, 5.0, 0.5], [1.5, 4.5, 3.5, 2.5, 4.5]],
     [[-34.2756, 4.27264], [-47.48382, -11.904179999999998], [-22.3867, 15.42766], [-793160008.17074, -652600008.1419001], [-5.99519, 1.3457339999999993], [3.987260000000002, -25.17166]],
     [[40.80336, -25.435999999999996], [25.65768, 2.3734800000000003], [1204800012.7127, -1305199984.92877], [3.5502000000000016, -9.277515999999999], [-25.893880000000003, 5.974043999999998]]),
]

TOLERANCE = 1e-05  # error relativo máximo de una derivada correcta
PRECISION = 1e-12  # en un punto de precisión, una derivada (no una aproximación) queda por debajo
PRECISION_RATING = 100000000.0  # un punto de precisión tiene una calificación |R_ui| ≥ 1e8
CONVERGED_BELOW = 1e-06  # L final de un entrenamiento que ajusta R
GRADED_LR, GRADED_EPOCHS, GRADED_SEED = 0.015, 700, 1  # el train que corre el autograder


def rel_error(expected, got, floor=1e-2):
    """Error relativo entrada por entrada, con piso en el denominador: tolera derivadas casi nulas."""
    return np.abs(expected - got) / np.maximum(floor, np.abs(expected) + np.abs(got))


def as_matrix(value, shape):
    """Un array de floats con esa forma, o None."""
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array if array.shape == shape else None


def check_gradients(gradients_fn):
    """Imprime ✓ o ✗ para dU y para dI y devuelve los nombres de las que están mal."""
    wrong = []
    for name, index in (("dU", 3), ("dI", 4)):
        problem, approximate = "", True
        for number, point in enumerate(SELF_CHECK_POINTS):
            U, I, ratings, exact = np.array(point[0]), np.array(point[1]), np.array(point[2]), np.array(point[index])
            try:
                got = gradients_fn(U.copy(), I.copy(), ratings.copy())
            except Exception as error:
                problem = f"gradients() lanzó {type(error).__name__}: {error}"
                break
            if not (isinstance(got, (tuple, list)) and len(got) == 2):
                problem = "gradients() debe devolver la tupla (dU, dI)"
                break
            value = got[index - 3]
            mine = as_matrix(value, exact.shape)
            if mine is None:
                problem = "sin completar" if value is None else f"no es una matriz de {exact.shape[0]}×{exact.shape[1]}"
                break
            precise = np.abs(ratings).max() >= PRECISION_RATING
            error = rel_error(exact, mine)
            if precise or np.all(rel_error(exact, mine, floor=1.0) < 1e-2):
                pass
            else:
                approximate = False
            if not np.all(error < (PRECISION if precise else TOLERANCE)) and not problem:
                u, k = np.unravel_index(np.argmax(np.nan_to_num(error, nan=np.inf)), exact.shape)
                digits = max(0, int(-np.log10(max(float(error[u, k]), 1e-17))))
                where = "el punto de precisión" if precise else f"el punto {number + 1}"
                problem = (f"en {where}, entrada [{u}, {k}]: esperado {exact[u, k]:.15g}, obtenido {mine[u, k]:.15g} "
                           f"(coinciden {digits} cifras)")
        if not problem:
            print(f"✓ ∂L/∂{name[-1]}")
            continue
        wrong.append(name)
        print(f"✗ ∂L/∂{name[-1]}: {problem}")
        if approximate and "esperado" in problem:
            print("  → Se acerca a la derivada pero no es exacta: eso es lo que da una aproximación numérica (una\n"
                  "    diferencia finita) o un cálculo en float32. Derivá con la regla de la cadena y calculá en float64.")
    return wrong


def format_loss(value):
    """Una L para leer: 3 cifras, o «< 1e-12» cuando ya es error de redondeo (que cambia de una máquina a otra)."""
    return f"{value:.3g}" if value >= 1e-12 else "< 1e-12"


def check_history(history, n_epochs=None):
    """Revisa que history sea L por epoch y que termine ajustando R; devuelve la lista de problemas."""
    values = np.asarray(history, dtype=float) if history is not None else np.array([])
    if values.ndim != 1 or len(values) < 2:
        return ["loss_history debe ser una lista de al menos 2 valores de L, uno por epoch"]
    problems = []
    if n_epochs is not None and len(values) != n_epochs:
        problems.append(f"loss_history tiene {len(values)} valores y debería tener uno por epoch ({n_epochs})")
    if not np.all(np.isfinite(values)):
        problems.append("loss_history tiene NaN o infinitos: ¿el entrenamiento diverge?")
    elif values[-1] >= CONVERGED_BELOW:
        problems.append(f"L final es {values[-1]:.3g}: no ajusta R (se espera < {CONVERGED_BELOW})")
    return problems


def check_training(train_fn):
    """Entrena con tu train y tus derivadas, como el autograder (GRADED_LR, GRADED_EPOCHS, GRADED_SEED)."""
    global loss_history
    student_gradients, calls = gradients, []

    def counted_gradients(*args):
        calls.append(1)
        return student_gradients(*args)

    globals()["gradients"] = counted_gradients
    loss_history = None
    try:
        result = train_fn(R.copy(), lr=GRADED_LR, n_epochs=GRADED_EPOCHS, seed=GRADED_SEED)
    finally:
        globals()["gradients"] = student_gradients
    if not (isinstance(result, tuple) and len(result) == 2):
        print("✗ train debe devolver la tupla (U, I)")
        return False
    if len(calls) != GRADED_EPOCHS:
        print(f"✗ train llamó a gradients {len(calls)} veces; se espera una vez por epoch ({GRADED_EPOCHS}): el "
              "autograder verifica tu descenso a través de esas llamadas")
        return False
    problems = check_history(loss_history, GRADED_EPOCHS)
    for problem in problems:
        print("✗", problem)
    if not problems:
        print(f"✓ train ajusta R (lr = {GRADED_LR}, {GRADED_EPOCHS} epochs, semilla {GRADED_SEED}): "
              f"L final {format_loss(loss_history[-1])}")
    return not problems


# %% deletable=false editable=false nbgrader={"cell_type": "code", "checksum": "5de83ee7506ec9c4104c2ddd6f8ec12b", "grade": true, "grade_id": "test_gradients", "locked": true, "points": 6, "schema_version": 3, "solution": false, "task": false}
# Autoverificación de las derivadas (3 puntos cada una).
wrong_derivatives = check_gradients(gradients)
assert not wrong_derivatives, f"Revisá estas derivadas: {wrong_derivatives}"


# %% [markdown]
# ## 3. Descenso por gradiente
#
# ```
# U, I = init_embeddings(seed)                       (embeddings ~ U(0, 1))
# for epoch in range(n_epochs):
#     (1) Backward      dU, dI = gradients(U, I, R)  (con los U, I de esta epoch)
#     (2) Actualización U ← U − lr · dU
#                       I ← I − lr · dI
#     Guardar L(U, I) después de actualizar
# Return U, I
# ```
#
# Implementá `train(R, lr, n_epochs, seed)`:
#
# - empezá con `U, I = init_embeddings(seed)`;
# - en cada epoch llamá **una vez** a tus `gradients`, con los `U, I` de esa epoch, y actualizá **los dos** con esas
#   derivadas (si actualizás `U` antes de calcular `dI`, `dI` ya no es la derivada en el punto de la epoch);
# - guardá en la variable **global** `loss_history` (usá `global loss_history`) un valor por epoch: $L$ después de
#   actualizar, con la función `loss` dada;
# - devolvé `(U, I)`.
#
# Usá `gradients` (no copies su código dentro de `train`): el autograder corrige tu descenso con derivadas
# correctas, para que un error en una derivada no te descuente dos veces.

# %% deletable=false nbgrader={"cell_type": "code", "checksum": "40079c93945db3c7222985f95632e217", "grade": false, "grade_id": "train", "locked": false, "schema_version": 3, "solution": true, "task": false}
def train(R, lr, n_epochs, seed):
    """Descenso por gradiente en batch, una actualización por epoch. Devuelve (U, I) y deja loss_history."""
    global loss_history
    None  # TU CÓDIGO AQUÍ


# %% deletable=false editable=false nbgrader={"cell_type": "code", "checksum": "fc1bf3ef7135210d644d7227c3cc9a42", "grade": true, "grade_id": "test_train", "locked": true, "points": 6, "schema_version": 3, "solution": false, "task": false}
# Autoverificación del entrenamiento (6 puntos).
assert check_training(train), "Revisá train: mirá los mensajes de arriba"

# %% [markdown]
# ## 4. L por epoch
#
# Entrená con `train(R, lr=LR, n_epochs=N_EPOCHS, seed=0)` y graficá `loss_history`, un punto por epoch. Poné
# nombre a los ejes y un título; la escala logarítmica en el eje y muestra mucho mejor cómo baja $L$.

# %% deletable=false nbgrader={"cell_type": "code", "checksum": "f0632180b43a84b01ce8802a27926019", "grade": false, "grade_id": "plot_loss", "locked": false, "schema_version": 3, "solution": true, "task": false}
None  # TU CÓDIGO AQUÍ

# %% deletable=false editable=false nbgrader={"cell_type": "code", "checksum": "6bfff58d1e9d590fd00d3237535f488a", "grade": true, "grade_id": "test_plot", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
# Autoverificación del gráfico (3 puntos). Debe quedar un gráfico de `loss_history` en la celda anterior.
curve_problems = check_history(globals().get("loss_history"))
for problem in curve_problems:
    print("✗", problem)
assert not curve_problems, "Revisá loss_history"
print(f"✓ loss_history tiene {len(loss_history)} epochs y termina en {format_loss(loss_history[-1])}")

# %% [markdown]
# ## 5. Predicciones
#
# Con los embeddings entrenados, $\hat{R} = U I^T$ reproduce las calificaciones observadas y **predice las que
# faltan** (marcadas con `*`): esa es la recomendación.

# %% deletable=false editable=false nbgrader={"cell_type": "code", "checksum": "94d08c75d70362c631a0e516e8e01e6f", "grade": false, "grade_id": "given_predictions", "locked": true, "schema_version": 3, "solution": false, "task": false}
trained = globals().get("U"), globals().get("I")
if all(isinstance(m, np.ndarray) for m in trained) and trained[0].shape == (R.shape[0], K):
    predicted = trained[0] @ trained[1].T
    for u in range(R.shape[0]):
        cells = [f"{predicted[u, i] + 0.0:5.2f}{'*' if R[u, i] == 0 else ' '}" for i in range(R.shape[1])]
        print(f"usuario {u}: " + "  ".join(cells))
else:
    print("Todavía no hay embeddings entrenados: completá la celda del gráfico.")
