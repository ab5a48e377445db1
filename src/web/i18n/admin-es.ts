/** Catálogo en español de la consola de administración y de privacidad (se une al catálogo principal). */
export const adminEs: Record<string, string> = {
  'errors.platform_disabled.message': 'Pathwise está desactivado para este LMS.',
  'errors.platform_disabled.help': 'La persona que administra Pathwise en tu distrito lo ha desactivado para este LMS. Pregúntale si debería estar activo.',
  'errors.deployment_blocked.message': 'Pathwise está bloqueado para esta parte de tu LMS.',
  'errors.deployment_blocked.help': 'La persona que administra Pathwise en tu distrito ha bloqueado esta implementación. Pregúntale si debería aprobarse.',
  'errors.operator_only.message': 'Solo quien opera Pathwise puede hacer esto.',
  'errors.operator_only.help': 'Pídeselo a quien opera Pathwise en tu distrito, o inicia sesión con el token de administración.',
  'errors.admin_session_expired.message': 'Tu sesión de administración ha terminado.',
  'errors.admin_session_expired.help': 'Vuelve a iniciar sesión.',
};
