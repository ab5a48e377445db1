import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Queryable } from '../store/database.js';

export interface DemoSigningKey {
  kid: string;
  key: CryptoKey;
}

/**
 * The demo LMS's own RSA key pair, kept in demo_lms_keys so launches keep verifying across
 * restarts. It signs id_tokens and service access tokens; its public half is served at
 * /demo-lms/jwks, where Pathwise fetches it like any platform's key set.
 */
export class DemoKeys {
  private signing: DemoSigningKey | undefined;
  private publicJwk: JWK | undefined;

  constructor(private readonly db: Queryable) {}

  /** Loads the key, creating it on first start. */
  async ensure(): Promise<void> {
    let row = (
      await this.db.query<{ kid: string; publicJwk: JWK; privateJwk: JWK }>(
        `select kid, public_jwk as "publicJwk", private_jwk as "privateJwk" from demo_lms_keys order by created_at desc limit 1`,
      )
    ).rows[0];
    if (!row) {
      const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
      const kid = `demo-${randomUUID()}`;
      row = {
        kid,
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256' },
      };
      await this.db.query(`insert into demo_lms_keys (kid, public_jwk, private_jwk) values ($1, $2, $3)`, [
        row.kid,
        JSON.stringify(row.publicJwk),
        JSON.stringify(row.privateJwk),
      ]);
    }
    this.signing = { kid: row.kid, key: (await importJWK(row.privateJwk, 'RS256')) as CryptoKey };
    this.publicJwk = row.publicJwk;
  }

  /** The key the demo LMS signs with. */
  signingKey(): DemoSigningKey {
    if (!this.signing) throw new Error('DemoKeys.ensure() was not called');
    return this.signing;
  }

  /** The public key set served at /demo-lms/jwks. */
  jwks(): { keys: JWK[] } {
    return { keys: this.publicJwk ? [this.publicJwk] : [] };
  }

  /** A verifier for tokens the demo LMS itself issued (service access tokens). */
  verifier() {
    return createLocalJWKSet(this.jwks());
  }
}
