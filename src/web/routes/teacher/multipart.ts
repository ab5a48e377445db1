import express, { type RequestHandler } from 'express';

/**
 * Reads a small multipart/form-data body (an import form with a file field) into plain string
 * fields, so the session and CSRF checks see them as in any other form. Text only: a unit file is
 * JSON. RFC 7578; one level of parts, no nested multipart.
 */
export function multipartText(limit = '2mb'): RequestHandler[] {
  const raw = express.raw({ type: 'multipart/form-data', limit });
  const parse: RequestHandler = (req, _res, next) => {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    if (!boundary || !Buffer.isBuffer(req.body)) {
      next();
      return;
    }
    const delimiter = `--${boundary[1] ?? boundary[2]}`;
    const fields: Record<string, string> = {};
    for (const part of (req.body as Buffer).toString('utf8').split(delimiter).slice(1)) {
      if (part.startsWith('--')) break;
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) continue;
      const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
      if (name !== undefined) fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
    }
    req.body = fields;
    next();
  };
  return [raw, parse];
}
