import { z } from 'zod';
import { DEMO_BASE_PATH } from './demo-course.js';

export type DemoLocale = 'en' | 'es';
export type DemoMessageKind = 'resource' | 'deep_linking';

/** What the demo LMS opens: who, which activity (or "place a unit"), in which language. */
export interface DemoOpen {
  user: string;
  link?: string;
  message: DemoMessageKind;
  lang: DemoLocale;
}

/** The query of /demo-lms/course and /demo-lms/launch. */
export const openQuerySchema = z.object({
  user: z.string().min(1).max(40),
  link: z.string().max(80).optional(),
  message: z.enum(['resource', 'deep_linking']).catch('resource'),
  lang: z.enum(['en', 'es']).catch('en'),
});

export const langOf = (value: unknown): DemoLocale => (value === 'es' ? 'es' : 'en');

const query = (open: DemoOpen) => {
  const q = new URLSearchParams({ user: open.user, message: open.message, lang: open.lang });
  if (open.link) q.set('link', open.link);
  return q.toString();
};

/** The demo course page, which frames Pathwise like an LMS does. */
export const coursePath = (open: DemoOpen): string => `${DEMO_BASE_PATH}/course?${query(open)}`;
/** The demo LMS's launch start: it sends the browser to Pathwise's login initiation URL. */
export const launchPath = (open: DemoOpen): string => `${DEMO_BASE_PATH}/launch?${query(open)}`;

/**
 * lti_message_hint: opaque to Pathwise, echoed back to the auth endpoint, where it says which
 * message to send (https://www.imsglobal.org/spec/lti/v1p3/#lti_message_hint-login-parameter).
 */
export const messageHint = (open: DemoOpen): string => `${open.message}:${open.link ?? ''}:${open.lang}`;

export function parseMessageHint(hint: string | undefined): { message: DemoMessageKind; link?: string; lang: DemoLocale } | null {
  const m = /^(resource|deep_linking):([\w-]{0,80}):(en|es)$/.exec(hint ?? '');
  if (!m) return null;
  return { message: m[1] as DemoMessageKind, link: m[2] || undefined, lang: m[3] as DemoLocale };
}
