import type { Request } from 'express';

/** Cookies of a request (no dependency needed for this much). */
export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A malformed value is ignored, as if the cookie were absent.
    }
  }
  return out;
}

/**
 * Cookie attributes for an app inside an LMS iframe: on https, SameSite=None; Secure; Partitioned
 * (CHIPS) so the cookie works where partitioned third-party cookies are allowed; always HttpOnly.
 * On plain http (local development) browsers refuse SameSite=None, so Lax is used.
 */
export function cookieAttributes(publicUrl: string, maxAgeSeconds: number, path = '/'): string {
  const secure = publicUrl.startsWith('https:');
  const attrs = [`Path=${path}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly'];
  attrs.push(secure ? 'SameSite=None; Secure; Partitioned' : 'SameSite=Lax');
  return attrs.join('; ');
}
