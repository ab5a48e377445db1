import { describe, expect, it } from 'vitest';
import { randomToken } from '../../../src/shared/random.js';

describe('randomToken', () => {
  it('hands out distinct tokens of the asked size, across pool refills', () => {
    const seen = new Set<string>();
    // 32 bytes × 1,000 = 8 refills of the 4 KiB pool.
    for (let i = 0; i < 1000; i++) {
      const t = randomToken(32);
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
      seen.add(t);
    }
    expect(seen.size).toBe(1000);
  });

  it('writes base64 when asked (CSP nonces) and serves sizes larger than the pool', () => {
    expect(randomToken(16, 'base64')).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(Buffer.from(randomToken(5000), 'base64url')).toHaveLength(5000);
  });

  it('does not hand out a run of zero bytes where an earlier token was taken', () => {
    // The pool is zeroed behind each token; a token must come from fresh bytes, never from that.
    const zeros = Buffer.alloc(24).toString('base64url');
    for (let i = 0; i < 400; i++) expect(randomToken(24)).not.toBe(zeros);
  });
});
