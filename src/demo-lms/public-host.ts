import type { RequestHandler } from 'express';
import { DEMO_BASE_PATH } from './demo-course.js';

/** The demo's pages a person opens by hand (the home page and the course page around the frame). */
const ENTRY_PAGES = new Set(['/', `${DEMO_BASE_PATH}/course`]);

/**
 * The demo LMS and Pathwise must share one site: the course page frames Pathwise, and Pathwise
 * allows framing and sends its login, launch and cookies only at PUBLIC_URL. A browser that opened
 * the demo at another name of this machine (127.0.0.1 or the machine's own address, while
 * PUBLIC_URL is http://localhost:3000) would get a frame from another site, which fails. So those
 * entry pages send the browser once to the same page at PUBLIC_URL, and the home page says why
 * (`?opened_at=`). Only GET pages are moved; the LTI endpoints never are.
 */
export function demoOnPublicHost(publicUrl: string): RequestHandler {
  const base = new URL(publicUrl);
  return (req, res, next) => {
    if (req.method !== 'GET' || !ENTRY_PAGES.has(req.path)) return next();
    const host = req.get('host') ?? '';
    // Names are compared, not ports: a proxy may add or drop a default port, and only the name decides the site.
    if (!host || req.hostname.toLowerCase() === base.hostname.toLowerCase()) return next();
    const target = new URL(req.originalUrl, base);
    if (/^[\w.:[\]-]{1,100}$/.test(host)) target.searchParams.set('opened_at', host);
    res.redirect(302, target.toString());
  };
}

/** The host a moved browser came from, for the one-line note (only a plain host[:port] is shown). */
export function openedAt(value: unknown): string | null {
  return typeof value === 'string' && /^[\w.:[\]-]{1,100}$/.test(value) ? value : null;
}
