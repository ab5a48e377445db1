import { describe, expect, it } from 'vitest';
import { maxAgeSeconds, PlatformJwksCache } from '../../../../src/lti/launch/jwks-cache.js';

describe('maxAgeSeconds', () => {
  it('reads max-age, treats no-store as 0 and falls back to the default', () => {
    expect(maxAgeSeconds('public, max-age=120', 300)).toBe(120);
    expect(maxAgeSeconds('no-store', 300)).toBe(0);
    expect(maxAgeSeconds(null, 300)).toBe(300);
    expect(maxAgeSeconds('max-age=99999999', 300)).toBe(86_400);
  });
});

describe('PlatformJwksCache', () => {
  it('refetches on an unknown kid only after the throttle window', async () => {
    let now = 0;
    let calls = 0;
    const keys = [{ kty: 'RSA', kid: 'a' }];
    const cache = new PlatformJwksCache({
      timeoutMs: 100,
      defaultMaxAgeSeconds: 300,
      now: () => now,
      fetch: (async () => {
        calls += 1;
        return new Response(JSON.stringify({ keys }), { headers: { 'cache-control': 'max-age=600' } });
      }) as typeof fetch,
    });
    expect((await cache.findKey('https://lms/jwks', 'a')).kid).toBe('a');
    await expect(cache.findKey('https://lms/jwks', 'b')).rejects.toMatchObject({ code: 'invalid_signature' });
    expect(calls).toBe(1);
    now = 6000;
    keys.push({ kty: 'RSA', kid: 'b' });
    expect((await cache.findKey('https://lms/jwks', 'b')).kid).toBe('b');
    expect(calls).toBe(2);
  });
});
