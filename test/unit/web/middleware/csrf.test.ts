import { describe, expect, it } from 'vitest';
import type { NextFunction, Request, Response } from 'express';
import { csrfProtection, csrfTokenFor } from '../../../../src/web/middleware/csrf.js';

function run(method: string, body: Record<string, unknown> | undefined, sessionToken: string | undefined) {
  const res = { locals: { sessionToken } } as unknown as Response;
  let error: unknown = 'not called';
  csrfProtection()({ method, body } as Request, res, ((err?: unknown) => (error = err)) as NextFunction);
  return { error: error as { code?: string } | undefined, locals: res.locals };
}

describe('csrfProtection', () => {
  const token = 'a'.repeat(43);
  const good = csrfTokenFor(token);

  it('derives a stable per-session token that differs between sessions', () => {
    expect(csrfTokenFor(token)).toBe(good);
    expect(csrfTokenFor('b'.repeat(43))).not.toBe(good);
    expect(good).not.toContain(token);
  });

  it('lets GET through and gives views the token', () => {
    const r = run('GET', undefined, token);
    expect(r.error).toBeUndefined();
    expect(r.locals.csrfToken).toBe(good);
  });

  it('accepts a POST carrying the token', () => {
    expect(run('POST', { _csrf: good }, token).error).toBeUndefined();
  });

  it.each([
    ['missing', {}],
    ['empty', { _csrf: '' }],
    ['wrong', { _csrf: csrfTokenFor('c'.repeat(43)) }],
    ['longer', { _csrf: `${good}x` }],
    ['non-ASCII of the same length', { _csrf: `${good.slice(0, -1)}é` }],
    ['an array', { _csrf: [good] }],
  ])('refuses a POST whose token is %s (csrf_failed)', (_name, body) => {
    expect(run('POST', body, token).error).toMatchObject({ code: 'csrf_failed', kind: 'forbidden' });
  });

  it('refuses every unsafe method without a session', () => {
    for (const m of ['POST', 'PUT', 'DELETE']) expect(run(m, { _csrf: good }, undefined).error).toMatchObject({ code: 'csrf_failed' });
  });
});
