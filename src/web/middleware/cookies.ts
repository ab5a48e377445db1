import { parseCookie } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';

/**
 * Every value the browser sent under `name`, in the order it sent them. The `cookie` package reads
 * each pair (quoting, percent-decoding; a malformed value is dropped, as if absent).
 *
 * Two cookies may share a name: a Partitioned (CHIPS) one and an unpartitioned one set before, or
 * by a browser that ignores Partitioned, both arrive, in an order RFC 6265 §5.4 leaves to path
 * length and creation time. So no value wins by position alone: see readCookie.
 */
export function readCookieValues(req: Request, name: string): string[] {
  const values: string[] = [];
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const value = parseCookie(pair)[name];
    if (value !== undefined) values.push(value);
  }
  return values;
}

/**
 * The value of cookie `name`. The rule for same-name cookies: the first value `accept` takes
 * (e.g. a token that names a live session, a state equal to the one posted) wins, so a stale
 * duplicate cannot hide a good one; when none is accepted, the first one sent (so the caller
 * can still say what was wrong with it).
 */
export function readCookie(req: Request, name: string, accept: (value: string) => boolean = () => true): string | undefined {
  const values = readCookieValues(req, name);
  return values.find(accept) ?? values[0];
}

/**
 * Cookie attributes for an app inside an LMS iframe: on https, SameSite=None; Secure; Partitioned
 * (CHIPS) so the cookie works where partitioned third-party cookies are allowed; always HttpOnly.
 * On plain http (local development) browsers refuse SameSite=None, so Lax is used.
 */
export function cookieOptions(publicUrl: string, maxAgeSeconds: number, path = '/'): CookieOptions {
  const secure = publicUrl.startsWith('https:');
  return {
    path,
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)) * 1000,
    httpOnly: true,
    ...(secure ? { sameSite: 'none', secure: true, partitioned: true } : { sameSite: 'lax' }),
  };
}

/** Sets cookie `name` through Express (res.cookie) with the attributes above. */
export function setCookie(res: Response, publicUrl: string, name: string, value: string, maxAgeSeconds: number, path = '/'): void {
  res.cookie(name, value, cookieOptions(publicUrl, maxAgeSeconds, path));
}

/** Removes cookie `name`: same path and attributes (a partitioned cookie is only cleared by a partitioned Set-Cookie). */
export function clearCookie(res: Response, publicUrl: string, name: string, path = '/'): void {
  const { maxAge: _maxAge, ...options } = cookieOptions(publicUrl, 0, path);
  res.clearCookie(name, options);
}
