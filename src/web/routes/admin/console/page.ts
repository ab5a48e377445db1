import type { Request, Response } from 'express';
import { z } from 'zod';
import { invalid } from '../../../../shared/errors.js';
import type { AdminScope } from '../../../middleware/admin-session.js';
import { formatUtcDateTime } from '../../../i18n/format.js';
import { translate } from '../../../i18n/index.js';

export type AdminSection = 'platforms' | 'registration' | 'keys' | 'usage' | 'privacy' | 'audit';

/** Renders a console page with the admin navigation, the page title and the scope banner. */
export function renderAdmin(res: Response, section: AdminSection, view: string, data: Record<string, unknown>): void {
  const locale = String(res.locals.locale ?? 'en');
  const scope = res.locals.adminScope as AdminScope | undefined;
  res.render(view, {
    ...data,
    title: translate(locale, `admin.${section}.title`),
    nav: { [section]: true },
    operator: scope?.kind === 'operator',
    limited: scope?.kind === 'platform',
  });
}

/**
 * Dates as the console shows them: date and time in UTC, saying so (administrators of one
 * platform may sit in several time zones), written the page's way ("5 dic 2026, 07:36 UTC").
 */
export function when(res: Response, d: Date | string | null | undefined): string {
  if (!d) return '';
  return formatUtcDateTime(String(res.locals.locale ?? 'en'), d instanceof Date ? d : new Date(d));
}

/** Redirect after a console form, with a notice key for the next page. */
export function done(res: Response, path: string, notice: string): void {
  res.redirect(303, `${path}${path.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}`);
}

const noticeSchema = z.string().regex(/^[a-z_]{1,40}$/);

/** The notice key of a redirect (only known-shaped keys are shown). */
export function noticeOf(req: Request): string | undefined {
  const n = noticeSchema.safeParse(req.query.notice);
  return n.success ? `admin.notice.${n.data}` : undefined;
}

/** A uuid route parameter or a 400 with a readable page. */
export function uuidParam(req: Request, name = 'id'): string {
  const p = z.uuid().safeParse(req.params[name]);
  if (!p.success) throw invalid('invalid_request', 'This address is not valid.', 'Go back to the console and try again.', undefined, { variant: 'address' });
  return p.data;
}
