import type { Request, Response } from 'express';
import { formatDateTime } from '../../i18n/format.js';
import { translate } from '../../i18n/index.js';

export type TeacherNav = 'home' | 'class' | 'units' | 'dashboard' | 'none';

/** Notices a redirect may name (?notice=…); anything else is ignored. */
const NOTICES = new Set(['saved', 'imported', 'copied', 'deleted', 'overridden', 'withdrawn', 'resolved']);

/** Renders a teacher page with the shared nav, the page title and any notice to announce. */
export function renderTeacher(
  req: Request,
  res: Response,
  page: string,
  titleKey: string,
  data: Record<string, unknown>,
  vars: Record<string, unknown> = {},
): void {
  const notice = typeof req.query.notice === 'string' ? req.query.notice : '';
  res.render(`pages/${page}`, {
    title: translate(String(res.locals.locale ?? 'en'), titleKey, vars),
    noticeKey: NOTICES.has(notice) ? `teacher.notice.${notice}` : null,
    sessionQuery: res.locals.sessionQuery,
    ...data,
  });
}

/** A date and time in the page's language. */
export function formatWhen(res: Response, d: Date | null | undefined): string {
  if (!d) return '';
  return formatDateTime(String(res.locals.locale ?? 'en'), d);
}
