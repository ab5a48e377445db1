import type { Queryable } from './database.js';

export interface LoginState {
  state: string;
  nonce: string;
  platformId: string;
  targetLinkUri: string;
  storageTarget: string | null;
  /** SHA-256 (base64url) of the proof the login page kept in the tool's own web storage. */
  ownProofHash: string | null;
  /** SHA-256 (base64url) of the proof the login page kept in LTI platform storage. */
  platformProofHash: string | null;
  /** The login initiation parameters, so the login can be restarted in a new tab. */
  loginParams: Record<string, string> | null;
  /** Restarted in a new tab from a frame that kept nothing for Pathwise. */
  newTab: boolean;
  expiresAt: Date;
  usedAt: Date | null;
}

const COLUMNS = `state, nonce, platform_id as "platformId", target_link_uri as "targetLinkUri",
  storage_target as "storageTarget", own_proof_hash as "ownProofHash",
  platform_proof_hash as "platformProofHash", login_params as "loginParams", new_tab as "newTab", expires_at as "expiresAt", used_at as "usedAt"`;

/** OIDC login states: one per login initiation, consumed once at launch. */
export class LoginStateRepository {
  constructor(private readonly db: Queryable) {}

  async create(
    input: Omit<LoginState, 'expiresAt' | 'usedAt' | 'ownProofHash' | 'platformProofHash' | 'loginParams' | 'newTab'> &
      Partial<Pick<LoginState, 'ownProofHash' | 'platformProofHash' | 'loginParams' | 'newTab'>> & { ttlSeconds: number },
  ): Promise<void> {
    await this.db.query(
      `insert into login_states (state, nonce, platform_id, target_link_uri, storage_target, own_proof_hash, platform_proof_hash, login_params, new_tab, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(secs => $10))`,
      [
        input.state,
        input.nonce,
        input.platformId,
        input.targetLinkUri,
        input.storageTarget,
        input.ownProofHash ?? null,
        input.platformProofHash ?? null,
        input.loginParams ? JSON.stringify(input.loginParams) : null,
        input.newTab ?? false,
        input.ttlSeconds,
      ],
      { prepare: true },
    );
  }

  /**
   * Offers a restart of an unused login in a new tab: keeps the hash of a single-use token for
   * `ttlSeconds`. False when the login is used, expired or cannot be restarted (no parameters kept).
   */
  async offerRestart(state: string, tokenHash: string, ttlSeconds: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `update login_states set restart_hash = $2, restart_expires_at = now() + make_interval(secs => $3)
       where state = $1 and used_at is null and restarted_at is null and login_params is not null and expires_at > now()`,
      [state, tokenHash, ttlSeconds],
    );
    return rowCount > 0;
  }

  /** Uses a restart token once, atomically: the login parameters to start over with, or null. */
  async takeRestart(tokenHash: string): Promise<Record<string, string> | null> {
    const { rows } = await this.db.query<{ loginParams: Record<string, string> }>(
      `update login_states set restarted_at = now()
       where restart_hash = $1 and restarted_at is null and restart_expires_at > now()
       returning login_params as "loginParams"`,
      [tokenHash],
    );
    return rows[0]?.loginParams ?? null;
  }

  /** A state that is neither used nor expired, or null. */
  async findUsable(state: string): Promise<LoginState | null> {
    const { rows } = await this.db.query<LoginState>(`select ${COLUMNS} from login_states where state = $1 and used_at is null and expires_at > now()`, [
      state,
    ]);
    return rows[0] ?? null;
  }

  async find(state: string): Promise<LoginState | null> {
    const { rows } = await this.db.query<LoginState>(`select ${COLUMNS} from login_states where state = $1`, [state]);
    return rows[0] ?? null;
  }

  /**
   * Consumes the nonce atomically: of two concurrent submits of one id_token exactly one gets the row
   * back (https://www.imsglobal.org/spec/security/v1p0/#authentication-response-validation, nonce replay).
   */
  async consume(state: string, nonce: string): Promise<LoginState | null> {
    const { rows } = await this.db.query<LoginState>(
      `update login_states set used_at = now()
       where state = $1 and nonce = $2 and used_at is null and expires_at > now()
       returning ${COLUMNS}`,
      [state, nonce],
    );
    return rows[0] ?? null;
  }

  /**
   * The launch's usual case in one statement: consumes the state if it belongs to `platformId`,
   * carries `nonce`, is unused and unexpired, and matches each stored proof hash given (null: not
   * offered). Returns the row it consumed, or null, after which the caller finds out why with
   * find() and consume() (only refused launches pay for that).
   */
  async consumeBound(input: {
    state: string;
    nonce: string;
    platformId: string;
    ownProofHash: string | null;
    platformProofHash: string | null;
  }): Promise<LoginState | null> {
    const { rows } = await this.db.query<LoginState>(
      `update login_states set used_at = now()
       where state = $1 and nonce = $2 and platform_id = $3 and used_at is null and expires_at > now()
         and ($4::text is null or own_proof_hash = $4::text) and ($5::text is null or platform_proof_hash = $5::text)
       returning ${COLUMNS}`,
      [input.state, input.nonce, input.platformId, input.ownProofHash, input.platformProofHash],
      { prepare: true },
    );
    return rows[0] ?? null;
  }

  /** Removes states expired more than a day ago. */
  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.db.query(`delete from login_states where expires_at < now() - interval '1 day'`);
    return rowCount;
  }
}
