"""The diagnoses the engine itself gives, for any assignment: what the student reads, and the instructor's hint."""
from .assignment import Diagnosis as D

ENGINE_DIAGNOSES = {
    "manipulated": D("el notebook envió al autograder mensajes que nadie le pidió o interfirió con la corrección: "
                     "se marcó como manipulado y este chequeo no se corrigió. Lo revisa la cátedra",
                     "notebook marcado como manipulado (mensajes no pedidos al autograder): revisar a mano"),
    "internal_error": D("el autograder tuvo un error propio al corregir este chequeo. No es culpa tuya: avisale a la "
                        "cátedra, que tiene el detalle en el registro del autograder",
                        "error interno del autograder (no del alumno): ver el registro y volver a corregir"),
    "sandbox_unavailable": D("no se corrigió: el sandbox no aplica en el servidor",
                             "el servidor no tiene todas las capas del sandbox (modo estricto)"),
    "unreadable": D("no se pudo leer el notebook", "archivos que no son un notebook legible"),
}
