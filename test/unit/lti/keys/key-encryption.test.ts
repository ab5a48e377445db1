import { generateKeyPair, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { isSealed, KeyEncryptionError, KeySealer } from '../../../../src/lti/keys/key-encryption.js';

const SECRET = 'a'.repeat(40);

describe('KeySealer: the tool private keys at rest', () => {
  it('seals a key under the secret (no key material in the stored form) and opens it again', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const sealer = new KeySealer(SECRET);
    const stored = await sealer.seal(jwk);
    expect(isSealed(stored)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(jwk.d!);
    expect(await sealer.open(stored)).toEqual(jwk);
  });

  it('without a secret, keys are stored and read as they are', async () => {
    const sealer = new KeySealer(undefined);
    expect(sealer.enabled).toBe(false);
    const jwk = { kty: 'oct', k: 'abc' };
    expect(await sealer.seal(jwk)).toBe(jwk);
    expect(await sealer.open(jwk)).toBe(jwk);
  });

  it('refuses, with a message naming KEY_ENCRYPTION_KEY, sealed keys and no secret or another secret', async () => {
    const stored = await new KeySealer(SECRET).seal({ kty: 'oct', k: 'abc' });
    await expect(new KeySealer(undefined).open(stored)).rejects.toThrow(KeyEncryptionError);
    await expect(new KeySealer(undefined).open(stored)).rejects.toThrow(/set KEY_ENCRYPTION_KEY/);
    await expect(new KeySealer('b'.repeat(40)).open(stored)).rejects.toThrow(/KEY_ENCRYPTION_KEY is not the secret/);
    await expect(new KeySealer(SECRET).open({ jwe: 'not.a.jwe.at.all' })).rejects.toThrow(KeyEncryptionError);
  });
});
