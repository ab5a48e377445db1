import type { Response } from 'express';

/**
 * Answers 303 See Other to `url` with an empty body (RFC 9110 §15.4.4: the body is optional and
 * a browser never shows it). Express's `res.redirect` negotiates a "Redirecting to …" body in
 * text or HTML against the Accept header on every call, which was a measurable share of a
 * launch's CPU (docs/performance.md, _Profile and cuts_); the Location is encoded the same way.
 */
export function seeOther(res: Response, url: string): void {
  res.location(url);
  res.statusCode = 303;
  res.setHeader('Content-Length', '0');
  res.end();
}
