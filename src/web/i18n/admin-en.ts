/** English catalog of the admin console and privacy pages (merged into the main catalog). */
export const adminEn: Record<string, string> = {
  'errors.platform_disabled.message': 'Pathwise is turned off for this LMS.',
  'errors.platform_disabled.help': 'Your district’s Pathwise administrator has turned Pathwise off for this LMS. Ask them if it should be on.',
  'errors.deployment_blocked.message': 'Pathwise is blocked for this part of your LMS.',
  'errors.deployment_blocked.help': 'Your district’s Pathwise administrator has blocked this deployment. Ask them if it should be approved.',
  'errors.operator_only.message': 'Only the Pathwise operator can do this.',
  'errors.operator_only.help': 'Ask whoever runs Pathwise for your district to do it, or sign in with the admin token.',
  'errors.admin_session_expired.message': 'Your admin session has ended.',
  'errors.admin_session_expired.help': 'Sign in again.',
};
