/** English catalog: every user-visible string. Keys are dotted; `{name}` is interpolated. */
export const en: Record<string, string> = {
  'app.name': 'Pathwise',
  'app.tagline': 'Competency-based, personalized learning inside your LMS.',
  'common.skipToContent': 'Skip to main content',
  'common.requestId': 'Reference: {requestId}',
  'error.title': 'Something went wrong',
  'error.notFound.title': 'Page not found',
  'error.notFound.body': 'There is nothing at this address.',
  'error.internal.body': 'Pathwise could not finish this request. Please try again; if it keeps happening, tell your administrator and give them the reference below.',
  'error.forbidden.title': 'Not allowed',
  'error.unauthenticated.title': 'Please launch Pathwise from your course',
  'error.invalid.title': 'This request could not be used',
  'error.unavailable.title': 'Pathwise is unavailable right now',
  'error.whatToDo': 'What to do',
  'home.title': 'Pathwise',
  'home.body': 'Pathwise is an LTI 1.3 tool. Add it to your LMS as an external tool and launch it from a course.',
};
