import type { RequestHandler } from 'express';

/** One year, the value browsers' preload lists ask for; subdomains are not ours to pin. */
const MAX_AGE = 365 * 24 * 60 * 60;

/**
 * Strict-Transport-Security when Pathwise is served over https (its PUBLIC_URL), so a browser
 * that has seen it once never again follows an http:// link to it in clear text. RFC 6797 §7.2:
 * browsers ignore the header over plain http, so it is only sent when the public address is https
 * (TLS may end at a proxy in front of us: req.secure is not the test).
 */
export function hsts(publicUrl: string): RequestHandler {
  const on = new URL(publicUrl).protocol === 'https:';
  return (_req, res, next) => {
    if (on) res.setHeader('Strict-Transport-Security', `max-age=${MAX_AGE}`);
    next();
  };
}
