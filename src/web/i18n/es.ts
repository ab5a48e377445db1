/** Spanish catalog; missing keys fall back to English. */
export const es: Record<string, string> = {
  'app.name': 'Pathwise',
  'app.tagline': 'Aprendizaje personalizado y basado en competencias dentro de tu LMS.',
  'common.skipToContent': 'Saltar al contenido principal',
  'common.requestId': 'Referencia: {requestId}',
  'error.title': 'Algo salió mal',
  'error.notFound.title': 'Página no encontrada',
  'error.notFound.body': 'No hay nada en esta dirección.',
  'error.internal.body': 'Pathwise no pudo completar esta solicitud. Inténtalo de nuevo; si sigue ocurriendo, avisa a tu administrador y dale la referencia de abajo.',
  'error.forbidden.title': 'No permitido',
  'error.unauthenticated.title': 'Abre Pathwise desde tu curso',
  'error.invalid.title': 'No se pudo usar esta solicitud',
  'error.unavailable.title': 'Pathwise no está disponible en este momento',
  'error.whatToDo': 'Qué hacer',
  'home.title': 'Pathwise',
  'home.body': 'Pathwise es una herramienta LTI 1.3. Agrégala a tu LMS como herramienta externa y ábrela desde un curso.',
};
