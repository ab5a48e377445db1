import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import type { Queryable } from '../../store/database.js';
import { isSealed, KeySealer, type StoredPrivateJwk } from './key-encryption.js';

export interface SigningKey {
  kid: string;
  alg: 'RS256';
  key: CryptoKey;
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_jwk: StoredPrivateJwk;
  activates_at: Date;
  retires_at: Date | null;
}

/**
 * The tool's RSA key set. A key is created at first start; rotation publishes the new key
 * before it signs anything and keeps the old one published for a grace period
 * (Security Framework §6.3 — https://www.imsglobal.org/spec/security/v1p0/#h_key-set-url).
 * Private keys never leave this class except as CryptoKey objects; with `encryptionKey`
 * (KEY_ENCRYPTION_KEY) they are stored encrypted, and retired keys are deleted once past their
 * grace period (`deleteRetired`).
 */
export class ToolKeys {
  private cached: { at: number; key: SigningKey } | undefined;
  private readonly sealer: KeySealer;

  constructor(
    private readonly db: Queryable,
    private readonly options: { rotationGraceHours: number; publishLeadSeconds?: number; encryptionKey?: string },
  ) {
    this.sealer = new KeySealer(options.encryptionKey);
  }

  /**
   * Creates the first key pair when none exists, and, with an encryption key, encrypts keys
   * stored before it was set (and checks that stored ones open). Safe to call on every start.
   */
  async ensureKey(): Promise<void> {
    const { rows } = await this.db.query<{ kid: string; private_jwk: StoredPrivateJwk }>('select kid, private_jwk from tool_keys');
    if (rows.length === 0) {
      await this.insertKey(new Date());
      return;
    }
    for (const row of rows) {
      const jwk = await this.sealer.open(row.private_jwk); // a wrong or missing secret stops start-up here
      if (this.sealer.enabled && !isSealed(row.private_jwk)) {
        await this.db.query('update tool_keys set private_jwk = $2 where kid = $1', [row.kid, JSON.stringify(await this.sealer.seal(jwk))]);
      }
    }
  }

  /** Deletes keys past their grace period (no longer published, never used again). */
  async deleteRetired(): Promise<number> {
    const { rowCount } = await this.db.query('delete from tool_keys where retires_at is not null and retires_at <= now()');
    return rowCount;
  }

  /** The key to sign with now: the newest already active and still published. */
  async signingKey(): Promise<SigningKey> {
    if (this.cached && Date.now() - this.cached.at < 10_000) return this.cached.key;
    const { rows } = await this.db.query<KeyRow>(
      `select * from tool_keys where activates_at <= now() and (retires_at is null or retires_at > now())
       order by activates_at desc limit 1`,
    );
    const row = rows[0];
    if (!row) {
      await this.ensureKey();
      return this.signingKey();
    }
    const key: SigningKey = { kid: row.kid, alg: 'RS256', key: (await importJWK(await this.sealer.open(row.private_jwk), 'RS256')) as CryptoKey };
    this.cached = { at: Date.now(), key };
    return key;
  }

  /** The public key set served at /.well-known/jwks.json: every key not yet past its grace period. */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    const { rows } = await this.db.query<KeyRow>(`select * from tool_keys where retires_at is null or retires_at > now() order by activates_at desc`);
    return { keys: rows.map((r) => r.public_jwk) };
  }

  /**
   * Creates a new key that is published at once and signs only after `publishLeadSeconds`
   * (default 0: platforms refetch our JWKS on an unknown kid); older keys stay published
   * for the grace period, then drop out of the JWKS.
   */
  async rotate(): Promise<{ kid: string; activatesAt: Date; previousRetireAt: Date }> {
    const lead = this.options.publishLeadSeconds ?? 0;
    const activatesAt = new Date(Date.now() + lead * 1000);
    const previousRetireAt = new Date(activatesAt.getTime() + this.options.rotationGraceHours * 3600_000);
    const kid = await this.insertKey(activatesAt);
    await this.db.query(`update tool_keys set retires_at = $2 where kid <> $1 and (retires_at is null or retires_at > $2)`, [kid, previousRetireAt]);
    this.cached = undefined;
    return { kid, activatesAt, previousRetireAt };
  }

  private async insertKey(activatesAt: Date): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const kid = randomUUID();
    const pub = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const priv = { ...(await exportJWK(privateKey)), kid, alg: 'RS256' };
    await this.db.query(`insert into tool_keys (kid, public_jwk, private_jwk, activates_at) values ($1, $2, $3, $4)`, [
      kid,
      JSON.stringify(pub),
      JSON.stringify(await this.sealer.seal(priv)),
      activatesAt,
    ]);
    return kid;
  }
}
