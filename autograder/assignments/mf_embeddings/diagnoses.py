"""Every diagnosis of the mf_embeddings exercise, once: what the student reads, and one line for the instructor.

A check's feedback names the matrix, the point, the entry and the numbers; the sentence that explains the
mistake comes from here (`DIAGNOSES[code].student`), and so does the cohort report's hint (`.hint`).
"""
from ...engine.assignment import Diagnosis as D

DIAGNOSES = {
    # gradient:*: usual mistakes in dU or dI (gradients.py recognises them from the values)
    "with_missing": D("sumaste también las entradas faltantes (R = 0): L suma solo las calificaciones observadas, "
                      "así que el error de una entrada con R_ui = 0 no entra en la derivada (usá la máscara R != 0)",
                      "suman sobre las entradas faltantes (R = 0): repasar que L solo mira las calificaciones observadas"),
    "sign_flipped": D("el signo está invertido: ∂L/∂Û_ui = −2·(R_ui − U_u·I_i)",
                      "signo cambiado: repasar ∂/∂x (R − x)² = −2·(R − x)"),
    "missing_factor_2": D("falta el factor 2 que baja del cuadrado: ∂L/∂U_u = −2·Σ_i (R_ui − U_u·I_i)·I_i",
                          "falta el 2 que baja del cuadrado en (R − U·I)²"),
    "extra_factor_2": D("sobra un factor 2", "un 2 de más: la derivada de (R − U·I)² tiene un solo factor 2"),
    "sign_and_factor_2": D("el signo está invertido y falta el factor 2: la derivada de (R_ui − U_u·I_i)² respecto "
                           "de U_u es −2·(R_ui − U_u·I_i)·I_i", "derivan mal el cuadrado: signo y factor 2"),
    "returns_zero": D("da siempre 0", "devuelven ceros: la derivada quedó sin hacer"),
    "mean_not_sum": D("dividiste por la cantidad de calificaciones: L es la suma de los errores al cuadrado, no "
                      "su promedio", "derivan el promedio en lugar de la suma que define L"),
    "own_embedding": D("multiplicaste por el embedding que estás derivando: ∂L/∂U_u lleva I_i (el del ítem) y "
                       "∂L/∂I_i lleva U_u (el del usuario)",
                       "multiplican por su propio embedding: ∂(U_u·I_i)/∂U_u = I_i"),
    "item_row_of_U": D("en dI usaste la fila de U con el índice del ítem (U[i]) en lugar de la del usuario (U[u]): "
                       "∂L/∂I_i = −2·Σ_u (R_ui − U_u·I_i)·U_u",
                       "confunden índices en dI: U[i] en lugar de U[u] (filas de U cambiadas)"),
    # gradient:*: right values that are not a derivation
    "finite_difference": D(
        "parece una aproximación numérica (una diferencia finita como (L(U + h) − L(U − h)) / 2h), no una derivada "
        "obtenida con la regla de la cadena. Tus valores se acercan a la derivada en los puntos comunes, pero en los "
        "puntos de precisión (una calificación enorme) una diferencia finita pierde cifras por redondeo, mientras "
        "que la fórmula derivada conserva casi todas (error relativo < 1e-12). El ejercicio pide derivar a mano: "
        "−2·E·I y −2·Eᵀ·U son exactas y cuestan un par de productos de matrices, en lugar de 44 evaluaciones de L",
        "aproximaron numéricamente en lugar de derivar: conversar por qué se pide la derivada"),
    "float32": D("tus valores tienen la precisión de float32 (unas 7 cifras). Calculá en float64, el tipo por defecto "
                 "de numpy: con 7 cifras no se distingue una derivada de una aproximación numérica", "calculan en float32"),
    "complex_step": D("tu código usa números complejos (el método del paso complejo): es una derivación numérica, no "
                      "una derivada obtenida con la regla de la cadena. El ejercicio pide derivar a mano",
                      "usan el paso complejo en lugar de derivar"),
    "operator_overloading": D("tu código define una clase con operadores aritméticos (números duales o diferenciación "
                              "automática): la máquina deriva por vos. El ejercicio pide derivar a mano",
                              "usan números duales / diferenciación automática en lugar de derivar"),
    "extended_precision": D("tu código calcula con precisión extendida (Decimal, Fraction, longdouble o similar). El "
                            "ejercicio pide derivar a mano y calcular en float64: con más cifras una diferencia finita "
                            "se disfraza de derivada",
                            "calculan con precisión extendida: típico de una diferencia finita disfrazada"),
    "machine_differentiation": D("tu código deriva con una biblioteca (diferenciación automática o simbólica, o "
                                 "np.gradient). El ejercicio pide derivar a mano",
                                 "derivan con una biblioteca (autodiff, sympy, np.gradient)"),
    "hidden_call": D("tu código oculta qué función llama (eval, exec, getattr con un nombre armado, __import__, "
                     "globals()[...]): no se puede verificar que sea una derivada. Lo revisa la cátedra a mano",
                     "código que oculta lo que llama: revisarlo a mano"),
    "needs_review": D("tu notebook usa recursos que actúan por fuera del llamado normal a tus funciones (hilos, "
                      "descriptores de archivo, señales, introspección, módulos modificados): estos puntos quedan "
                      "para que los revise la cátedra a mano",
                      "el notebook actúa por fuera del llamado normal: revisar a mano"),
    "missing": D("está sin completar (None)", "derivadas sin completar"),
    "not_a_matrix": D("no es una matriz de la forma de la variable que derivás", "devuelven algo que no es una matriz "
                      "de la forma de U o de I"),
    "nan": D("da NaN (no es un número): revisá divisiones 0/0 o restas de infinitos",
             "divisiones 0/0 o restas de infinitos: NaN"),
    "gradients_raised": D("gradients(U, I, R) lanza un error", "su gradients lanza un error: probar la celda antes"),
    # gd:*
    "u_before_di": D("actualizaste U antes de calcular dI: dI se calculó con el U nuevo. Las dos derivadas van en "
                     "los U, I de antes del paso (una llamada a gradients por epoch, después se actualizan los dos)",
                     "actualizan U antes de calcular dI (descenso alternado): las dos derivadas van en el punto viejo"),
    "gradient_ascent": D("los embeddings suben por el gradiente (ascenso): la actualización es U ← U − lr·dU, con "
                         "signo menos", "suman el gradiente: repasar el signo de θ ← θ − α·∂L/∂θ"),
    "only_U": D("solo se actualiza U: I nunca cambia", "actualizan solo U: van las dos matrices"),
    "only_I": D("solo se actualiza I: U nunca cambia", "actualizan solo I: van las dos matrices"),
    "no_updates": D("train llama a gradients pero nunca cambia U ni I (¿actualizás una copia?)",
                    "el bucle no cambia los embeddings: actualizan una copia"),
    "ignores_lr": D("el paso no usa lr", "el paso no usa el learning rate que recibe train (¿usan la global LR?)"),
    "calls_per_epoch": D("el descenso por gradiente en batch llama a gradients una vez por epoch",
                         "no llaman a gradients una vez por epoch"),
    "other_ratings": D("train llamó a gradients con otra matriz, no con la R que recibió",
                       "llaman a gradients con otra R (¿la global, o una copia modificada?)"),
    "wrong_init": D("train no empieza de U, I = init_embeddings(seed)", "no empiezan de init_embeddings(seed)"),
    "initial_returned": D("train devolvió los embeddings iniciales, no los entrenados (¿actualizaste una copia?)",
                          "devuelven los embeddings iniciales"),
    "returned_not_final": D("las actualizaciones son correctas, pero U, I devueltos no son los del final del "
                            "entrenamiento", "devuelven embeddings que no son los del final del entrenamiento"),
    "untrained": D("train devolvió los embeddings iniciales sin entrenar (no llamó a gradients)",
                   "train no entrena: no llama a gradients"),
    "no_gradients_calls": D("train no llamó a gradients(U, I, R): usala en cada epoch para que el autograder pueda "
                            "verificar la actualización", "train no usa gradients(U, I, R)"),
    "train_raised": D("train lanza un error", "su train lanza un error"),
    "no_global_history": D("train no dejó la variable global loss_history (usá `global loss_history` dentro de train)",
                           "no dejan la variable global loss_history desde train"),
    "history_not_numbers": D("loss_history no es una lista de números", "loss_history no es una lista de números"),
    "history_length": D("se espera un valor por epoch", "loss_history no tiene un valor por epoch"),
    "history_before_epoch": D("registrás L antes de actualizar: calculala después de actualizar U e I",
                              "registran L antes del paso de la epoch"),
    "history_mean": D("promediaste los errores en lugar de sumarlos: L es la suma", "registran el promedio, no L"),
    "history_rmse": D("es la raíz del error cuadrático medio (RMSE), no L", "registran el RMSE, no L"),
    "history_with_missing": D("sumaste también las entradas faltantes (R = 0)",
                              "registran una pérdida que suma las entradas faltantes"),
    "history_not_loss": D("loss_history no es L durante el entrenamiento", "loss_history no es la L de su entrenamiento"),
    "history_nan": D("loss_history tiene NaN o infinitos, y el entrenamiento no los tuvo en esas epochs",
                     "loss_history tiene NaN o infinitos que el entrenamiento no tuvo"),
    "not_trained": D("U, I devueltos no salen de entrenar con las derivadas que recibió train",
                     "los embeddings devueltos no salen del entrenamiento"),
    "diverges": D("el entrenamiento diverge: L final es NaN o infinito", "el entrenamiento diverge"),
    "not_converged": D("el entrenamiento no ajusta las calificaciones observadas",
                       "su descenso no llega a ajustar R (¿se corta antes, o da pasos de otro tamaño?)"),
    # plot:loss_curve
    "no_history": D("no existe la variable global loss_history, o no es una lista de números",
                    "no dejan la variable global loss_history"),
    "plot_raised": D("la celda plot_loss falló antes de dejar una curva (¿train o gradients lanzan un error?)",
                     "la celda del gráfico falla: casi siempre porque su gradients o su train fallan"),
    "one_point": D("un solo punto no es una curva", "loss_history de un solo valor"),
    "no_figure": D("la celda plot_loss no dejó ningún gráfico", "la celda del gráfico no muestra ninguna figura"),
    "partial_curve": D("el gráfico muestra solo parte de loss_history: graficá todas las epochs",
                       "grafican solo parte de las epochs"),
    "markers_only": D("el gráfico muestra loss_history solo con marcadores: dibujala como línea",
                      "grafican puntos sueltos en lugar de una línea"),
    "no_line": D("el gráfico no tiene ninguna línea: graficá loss_history con plot (no scatter ni barras)",
                 "usan scatter o barras en lugar de una curva"),
    "other_series": D("el gráfico no muestra loss_history: graficá la L de cada epoch que dejó train",
                      "grafican otra cosa en lugar de loss_history"),
    "no_finite_curve": D("loss_history no tiene valores finitos: el gráfico no muestra ninguna curva",
                         "grafican una curva sin valores finitos (NaN o infinitos)"),
    "not_from_training": D("la curva no sale de un entrenamiento: en la celda plot_loss, loss_history tiene que ser "
                           "lo que dejó tu train (que llama a tus gradients en cada epoch)",
                           "grafican una curva que no sale de su entrenamiento (inventada o copiada)"),
    # any check
    "not_evaluated": D("no se pudo evaluar: la celda falló o no terminó",
                       "no se pudo evaluar: la celda falló o no terminó (revisar errores y bucles infinitos)"),
}

# Not misconceptions but work not done, or code that did not run: ranked after real mistakes of the same count.
NOT_ATTEMPTED = {"missing", "no_history", "plot_raised", "train_raised", "gradients_raised", "not_evaluated", "not_a_matrix",
                 "no_global_history"}
