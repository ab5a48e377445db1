import { describe, expect, it } from 'vitest';
import type { Request, Response } from 'express';
import { adminAuth } from '../../../../src/web/middleware/admin-auth.js';
import type { AppError } from '../../../../src/shared/errors.js';

function run(token: string | undefined, authorization: string | undefined): AppError | undefined {
  let passed: unknown = 'not called';
  const req = { headers: authorization === undefined ? {} : { authorization } } as Request;
  const res = { setHeader: () => res } as unknown as Response;
  adminAuth(token)(req, res, (err?: unknown) => (passed = err));
  expect(passed).not.toBe('not called');
  return passed as AppError | undefined;
}

describe('adminAuth', () => {
  const token = 'a-long-enough-admin-token';

  it('passes the exact bearer token, case-insensitively on the scheme', () => {
    expect(run(token, `Bearer ${token}`)).toBeUndefined();
    expect(run(token, `bearer ${token}`)).toBeUndefined();
  });

  it.each([undefined, '', 'Bearer', `Bearer ${token} extra`, `Bearer ${token.toUpperCase()}`, token, `Token ${token}`])(
    'refuses %j as unauthorized',
    (header) => {
      const err = run(token, header);
      expect(err?.code).toBe('unauthorized');
      expect(err?.kind).toBe('unauthenticated');
      expect(err?.help).toBeUndefined();
    },
  );

  it('turns the API off without a configured token', () => {
    const err = run(undefined, `Bearer ${token}`);
    expect(err?.code).toBe('admin_api_disabled');
    expect(err?.help).toContain('ADMIN_TOKEN');
  });
});
