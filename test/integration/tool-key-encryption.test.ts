import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, importJWK, SignJWT } from 'jose';
import { KeyEncryptionError } from '../../src/lti/keys/key-encryption.js';
import { ToolKeys } from '../../src/lti/keys/tool-keys.js';
import type { Database } from '../../src/store/database.js';
import { createTestDatabase } from '../support/database.js';

const SECRET = 'a-long-random-secret-for-tests-0123456789';

describe('tool private keys: encrypted at rest with KEY_ENCRYPTION_KEY, deleted after their grace period', () => {
  let db: Database;
  const stored = async () =>
    (
      await db.query<{ kid: string; private_jwk: Record<string, unknown>; retires_at: Date | null }>(
        'select kid, private_jwk, retires_at from tool_keys order by activates_at',
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('a key made before the secret was set is encrypted at the next start, and still signs', async () => {
    await new ToolKeys(db, { rotationGraceHours: 1 }).ensureKey();
    expect((await stored())[0]!.private_jwk).toHaveProperty('d');
    const keys = new ToolKeys(db, { rotationGraceHours: 1, encryptionKey: SECRET });
    await keys.ensureKey();
    const [row] = await stored();
    expect(Object.keys(row!.private_jwk)).toEqual(['jwe']);
    expect(JSON.stringify(row!.private_jwk)).not.toMatch(/"d"|"p"|"q"/);
    const signing = await keys.signingKey();
    const jwt = await new SignJWT({ ok: true }).setProtectedHeader({ alg: 'RS256', kid: signing.kid }).sign(signing.key);
    const pub = (await keys.publicJwks()).keys.find((k) => k.kid === signing.kid)!;
    await expect(compactVerify(jwt, await importJWK(pub, 'RS256'))).resolves.toBeTruthy();
  });

  it('new keys are stored encrypted; without the secret, or with another, start-up stops with a clear message', async () => {
    const keys = new ToolKeys(db, { rotationGraceHours: 1, encryptionKey: SECRET });
    await keys.rotate();
    for (const row of await stored()) expect(Object.keys(row.private_jwk)).toEqual(['jwe']);
    await expect(new ToolKeys(db, { rotationGraceHours: 1 }).ensureKey()).rejects.toThrow(KeyEncryptionError);
    await expect(new ToolKeys(db, { rotationGraceHours: 1 }).ensureKey()).rejects.toThrow(/set KEY_ENCRYPTION_KEY/);
    await expect(new ToolKeys(db, { rotationGraceHours: 1, encryptionKey: `${SECRET}-other` }).ensureKey()).rejects.toThrow(/not the secret/);
  });

  it('retired keys are deleted once past their grace period, never the current one', async () => {
    const keys = new ToolKeys(db, { rotationGraceHours: 1, encryptionKey: SECRET });
    const before = await stored();
    expect(before.length).toBe(2);
    expect(await keys.deleteRetired()).toBe(0); // still in their grace period
    await db.query(`update tool_keys set retires_at = now() - interval '1 minute' where retires_at is not null`);
    expect(await keys.deleteRetired()).toBe(1);
    const after = await stored();
    expect(after).toHaveLength(1);
    expect(after[0]!.retires_at).toBeNull();
    await expect(keys.signingKey()).resolves.toMatchObject({ kid: after[0]!.kid });
  });
});
