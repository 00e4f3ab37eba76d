"""Every diagnosis of the XOR exercise, once: what the student reads, and one line for the instructor.

A check's feedback names the derivative, the point and the numbers; the sentence that explains the mistake
comes from here (`DIAGNOSES[code].student`), and so does the cohort report's teaching hint (`.hint`).
"""
from ...engine.assignment import Diagnosis as D

DIAGNOSES = {
    # gradient:*: usual mistakes in one derivative (gradients.py recognises them from the values)
    "sign_flipped": D("el signo está invertido",
                      "signo cambiado: repasar ∂L/∂ŷ = −2·(y − ŷ) y la regla de la cadena desde la pérdida"),
    "missing_factor_2": D("falta el factor 2 de ∂L/∂ŷ = -2·(y - ŷ)", "falta el 2 que baja del cuadrado en L = (y − ŷ)²"),
    "extra_factor_2": D("sobra un factor 2", "un 2 de más: la derivada de (y − ŷ)² tiene un solo factor 2"),
    "sign_and_factor_2": D("el signo está invertido y falta el factor 2: ∂L/∂ŷ = -2·(y - ŷ)",
                           "derivan mal el cuadrado: ∂L/∂ŷ = −2·(y − ŷ)"),
    "returns_zero": D("devuelve 0", "devuelven 0: la derivada quedó sin hacer"),
    "missing_sigma_prime": D("falta σ'(z) = σ(z)·(1 - σ(z)) de la neurona oculta",
                             "olvidan σ′ al atravesar la activación: repasar la cadena ŷ → a → z → W"),
    "sigma_instead_of_prime": D("σ'(z) está mal: usaste σ(z) en lugar de σ(z)·(1 - σ(z))",
                                "usan σ(z) en lugar de σ′(z) = σ(z)·(1 − σ(z))"),
    "one_minus_sigma_instead_of_prime": D("σ'(z) está mal: usaste 1 - σ(z) en lugar de σ(z)·(1 - σ(z))",
                                          "usan 1 − σ(z) en lugar de σ(z)·(1 − σ(z))"),
    "z_instead_of_sigma": D("σ'(z) está mal: usaste z·(1 - z) en lugar de σ(z)·(1 - σ(z))",
                            "aplican σ′ a z en vez de a σ(z): σ′(z) = σ(z)·(1 − σ(z)), no z·(1 − z)"),
    "slide_typo": D("usaste un peso de la capa oculta, W⁽¹⁾, donde va el peso de salida W⁽²⁾: es el error de la "
                    "diapositiva; ∂ŷ/∂a es el peso que sale de la neurona oculta",
                    "copiaron el error de la diapositiva (W⁽¹⁾ donde va W⁽²⁾): repasarlo en la próxima clase"),
    "swapped_inputs": D("intercambiaste las entradas x1 y x2", "confunden x1 y x2: cada peso multiplica su propia entrada"),
    "bias_times_input": D("multiplicaste el sesgo por una entrada", "multiplican el sesgo por una entrada: ∂z/∂b = 1"),
    "output_bias_times_activation": D("multiplicaste el sesgo de salida por una activación",
                                      "multiplican el sesgo de salida por una activación: ∂ŷ/∂b⁽²⁾ = 1"),
    "other_derivative": D("coincide con la derivada de otro parámetro",
                          "devuelven la derivada de otro parámetro: revisar qué variable deriva cada hueco"),
    # gradient:*: right values that are not a derivation
    "finite_difference": D(
        "parece una aproximación numérica (una diferencia finita como (L(θ + h) - L(θ - h)) / 2h), no una "
        "derivada obtenida con la regla de la cadena. Tus valores se acercan a la derivada en los puntos comunes, "
        "pero en los puntos de precisión (b2_1 e y enormes) una diferencia finita pierde cifras por redondeo, "
        "mientras que la fórmula derivada conserva casi todas (error relativo < 1e-12). El ejercicio pide "
        "derivar a mano: esa cuenta es backpropagation, es exacta y cuesta una sola pasada por la red, en lugar "
        "de 18 evaluaciones de forward por muestra",
        "aproximaron numéricamente en lugar de derivar: conversar por qué se pide la derivada"),
    "float32": D("tus valores tienen la precisión de float32 (unas 7 cifras). Calculá en float64, el tipo por defecto "
                 "de Python y de numpy: con 7 cifras no se distingue una derivada de una aproximación numérica",
                 "calculan en float32"),
    "complex_step": D("tu código usa números complejos (el método del paso complejo): es una derivación numérica "
                      "hecha por la máquina, no una derivada obtenida con la regla de la cadena. El ejercicio pide "
                      "derivar a mano cada ∂L/∂θ",
                      "usan el paso complejo en lugar de derivar: es derivación automática, no backpropagation a mano"),
    "operator_overloading": D("tu código define una clase con operadores aritméticos (números duales o diferenciación "
                              "automática): la máquina deriva por vos. El ejercicio pide derivar a mano cada ∂L/∂θ",
                              "usan números duales / diferenciación automática en lugar de derivar"),
    "extended_precision": D("tu código calcula con precisión extendida (Decimal, Fraction, longdouble o similar). El "
                            "ejercicio pide derivar a mano y calcular en float64: con más cifras una diferencia finita "
                            "se disfraza de derivada",
                            "calculan con precisión extendida (Decimal, Fraction, longdouble): típico de una "
                            "diferencia finita disfrazada"),
    "machine_differentiation": D("tu código deriva con una biblioteca (diferenciación automática o simbólica, o "
                                 "np.gradient). El ejercicio pide derivar a mano cada ∂L/∂θ",
                                 "derivan con una biblioteca (autodiff, sympy, np.gradient)"),
    "hidden_call": D("tu código oculta qué función llama (eval, exec, getattr con un nombre armado, __import__, "
                     "globals()[...]): no se puede verificar que sea una derivada. Lo revisa la cátedra a mano",
                     "código que oculta lo que llama: revisarlo a mano"),
    "needs_review": D("tu notebook usa recursos que actúan por fuera del llamado normal a tus funciones (hilos, "
                      "descriptores de archivo, señales, introspección, módulos modificados): estos puntos quedan "
                      "para que los revise la cátedra a mano",
                      "el notebook actúa por fuera del llamado normal (hilos, descriptores, hooks, introspección): "
                      "revisar a mano"),
    "missing": D("está sin completar (None)", "derivadas sin completar"),
    "not_a_number": D("no es un número", "devuelven algo que no es un número"),
    "nan": D("da NaN (no es un número): revisá divisiones 0/0 o restas de infinitos",
             "divisiones 0/0 o restas de infinitos: NaN"),
    "gradients_raised": D("gradients(params, x, y) lanza un error", "su gradients lanza un error: probar la celda antes de entregar"),
    # sgd:*
    "gradient_ascent": D("los parámetros suben por el gradiente (ascenso): la actualización es θ ← θ − lr·∂L/∂θ, "
                         "con signo menos", "suman el gradiente: repasar el signo de θ ← θ − α·∂L/∂θ"),
    "output_layer_only": D("solo se actualiza la capa de salida: W1_11, W1_12, b1_1, W1_21, W1_22 y b1_2 nunca cambian",
                           "actualizan solo la capa de salida: las 9 derivadas entran en la actualización"),
    "no_updates": D("train llama a gradients pero nunca cambia los parámetros (¿actualizás una copia, o una variable "
                    "suelta en lugar de params[nombre]?)", "el bucle no cambia los parámetros: actualizan una copia"),
    "ignores_lr": D("el paso no usa lr", "el paso no usa el learning rate que recibe train"),
    "batch_updates": D("se actualiza una vez por epoch (gradiente en batch); SGD actualiza después de cada muestra",
                       "actualizan una vez por epoch: eso es descenso por gradiente en batch, no SGD"),
    "calls_per_epoch": D("SGD llama a gradients una vez por muestra", "no llaman a gradients una vez por muestra"),
    "samples_per_epoch": D("una epoch recorre las 4 muestras de XOR una vez cada una",
                           "una epoch no recorre las 4 muestras una vez cada una"),
    "wrong_init": D("train no empieza de params = init_params(seed)", "no empiezan de init_params(seed)"),
    "initial_params_returned": D("train devolvió los parámetros iniciales, no los entrenados (¿actualizaste una copia?)",
                                 "devuelven los parámetros iniciales: actualizan una copia"),
    "returned_not_final": D("las actualizaciones son correctas, pero los params devueltos no son los del final del "
                            "entrenamiento", "devuelven parámetros que no son los del final del entrenamiento"),
    "untrained_params": D("train devolvió los parámetros iniciales sin entrenar (no llamó a gradients)",
                          "train no entrena: no llama a gradients"),
    "hardcoded_params": D("train devolvió una solución de XOR sin entrenar: no llamó a gradients (¿parámetros "
                          "copiados de otro lado?)", "train devuelve una solución sin entrenar (¿copiada?)"),
    "no_gradients_calls": D("train no llamó a gradients(params, x_i, y_i): usá esa función en cada muestra para que el "
                            "autograder pueda verificar la actualización", "train no usa gradients(params, x, y)"),
    "train_raised": D("train lanza un error", "su train lanza un error"),
    "history_per_sample": D("registraste el error de cada muestra; va un valor por epoch",
                            "registran el error de cada muestra, no el MSE de cada epoch"),
    "history_length": D("mse_history no tiene un valor por epoch", "mse_history no tiene un valor por epoch"),
    "history_summed": D("sumaste los errores en lugar de promediarlos: MSE = 1/4 · Σ (y_i − ŷ_i)²",
                        "suman los errores en lugar de promediarlos: MSE = 1/4·Σ"),
    "history_rmse": D("es la raíz del MSE (RMSE), no el MSE", "registran la raíz del MSE"),
    "history_before_epoch": D("registrás el MSE antes de recorrer la epoch: calculalo después de las 4 actualizaciones",
                              "registran el MSE antes de actualizar la epoch"),
    "history_not_mse": D("mse_history no es el MSE de la red durante el entrenamiento",
                         "mse_history no es el MSE de su propio entrenamiento"),
    "history_nan": D("mse_history tiene NaN o infinitos, y el entrenamiento no los tuvo en esas epochs",
                     "mse_history tiene NaN o infinitos que el entrenamiento no tuvo"),
    "history_not_numbers": D("mse_history (lo segundo que devuelve train) no es una lista de números",
                             "mse_history no es una lista de números"),
    "params_not_trained": D("los params devueltos no salen de entrenar con los gradientes que recibió train",
                            "los params devueltos no salen del entrenamiento"),
    "diverges": D("el entrenamiento diverge: el MSE final es NaN o infinito", "el entrenamiento diverge (MSE infinito o NaN)"),
    "not_converged": D("el entrenamiento no resuelve XOR", "con lr = 0.3 y 2000 epochs no resuelven XOR"),
    # plot:mse_curve
    "no_history": D("no existe la variable global mse_history, o no es una lista de números",
                    "no dejan la variable global mse_history"),
    "one_point": D("un solo punto no es una curva", "mse_history de un solo valor"),
    "no_figure": D("la celda plot_mse no dejó ningún gráfico", "la celda del gráfico no muestra ninguna figura"),
    "partial_curve": D("el gráfico muestra solo parte de mse_history: graficá todas las epochs",
                       "grafican solo parte de las epochs"),
    "markers_only": D("el gráfico muestra mse_history solo con marcadores: dibujala como línea",
                      "grafican puntos sueltos en lugar de una línea"),
    "no_line": D("el gráfico no tiene ninguna línea: graficá mse_history con plot (no scatter ni barras)",
                 "usan scatter o barras en lugar de una curva"),
    "other_series": D("el gráfico no muestra mse_history: graficá el MSE de cada epoch que devolvió train",
                      "grafican otra cosa en lugar de mse_history"),
    "no_finite_curve": D("mse_history no tiene valores finitos: el gráfico no muestra ninguna curva",
                         "grafican una curva sin valores finitos (NaN o infinitos)"),
    "not_from_training": D("la curva no sale de un entrenamiento: en la celda plot_mse, mse_history tiene que ser lo "
                           "que devolvió tu train (que llama a tus gradients en cada muestra)",
                           "grafican una curva que no sale de su entrenamiento (inventada o copiada)"),
    # any check
    "not_evaluated": D("no se pudo evaluar: la celda falló o no terminó",
                       "no se pudo evaluar: la celda falló o no terminó (revisar errores y bucles infinitos)"),
}

# Not misconceptions but work not done, or code that did not run: ranked after real mistakes of the same count.
NOT_ATTEMPTED = {"missing", "no_history", "train_raised", "gradients_raised", "not_evaluated", "not_a_number"}
