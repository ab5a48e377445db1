import { randomFillSync } from 'node:crypto';

/**
 * Random bytes for tokens, drawn from a pool that `crypto.randomFillSync` (the same CSPRNG as
 * `randomBytes`) refills 4 KiB at a time, as Node's own `randomUUID` does: `randomBytes(32)` asks
 * OpenSSL each time (about 6 µs), and a launch round trip needs eight such values (state, nonce,
 * proofs, session token, the pages' CSP nonces). Every byte is handed out once.
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let offset = POOL_SIZE;

export function randomToken(bytes: number, encoding: 'base64' | 'base64url' = 'base64url'): string {
  if (bytes > POOL_SIZE) return randomFillSync(Buffer.alloc(bytes)).toString(encoding);
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.toString(encoding, offset, offset + bytes);
  // Not left readable in the pool once handed out.
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return out;
}
