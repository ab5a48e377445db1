import { createHash } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, type JWK } from 'jose';

/** A private JWK as stored: plain, or sealed in a JWE (dir + A256GCM) under KEY_ENCRYPTION_KEY. */
export type StoredPrivateJwk = JWK | { jwe: string };

export const isSealed = (v: StoredPrivateJwk): v is { jwe: string } => typeof (v as { jwe?: unknown }).jwe === 'string';

/** Thrown when sealed keys are in the database but no (or another) KEY_ENCRYPTION_KEY is set. */
export class KeyEncryptionError extends Error {
  override name = 'KeyEncryptionError';
}

/**
 * Seals and opens the tool's private keys with a 256-bit key derived from the operator's secret
 * (SHA-256 of it: the secret is at least 32 characters and random, so no stretching is needed).
 * Without a secret, keys are stored as they are (the embedded database on one machine).
 */
export class KeySealer {
  private readonly key: Uint8Array | undefined;

  constructor(secret: string | undefined) {
    this.key = secret ? new Uint8Array(createHash('sha256').update(`pathwise tool keys\0${secret}`).digest()) : undefined;
  }

  get enabled(): boolean {
    return this.key !== undefined;
  }

  async seal(jwk: JWK): Promise<StoredPrivateJwk> {
    if (!this.key) return jwk;
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'jwk+json' })
      .encrypt(this.key);
    return { jwe };
  }

  async open(stored: StoredPrivateJwk): Promise<JWK> {
    if (!isSealed(stored)) return stored;
    if (!this.key) throw new KeyEncryptionError('The tool private keys are encrypted: set KEY_ENCRYPTION_KEY to the secret they were encrypted with.');
    try {
      const { plaintext } = await compactDecrypt(stored.jwe, this.key);
      return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
    } catch {
      throw new KeyEncryptionError('The tool private keys cannot be decrypted: KEY_ENCRYPTION_KEY is not the secret they were encrypted with.');
    }
  }
}
