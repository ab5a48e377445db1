import type { Queryable } from './database.js';

export interface LoginState {
  state: string;
  nonce: string;
  platformId: string;
  targetLinkUri: string;
  storageTarget: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

const COLUMNS = `state, nonce, platform_id as "platformId", target_link_uri as "targetLinkUri",
  storage_target as "storageTarget", expires_at as "expiresAt", used_at as "usedAt"`;

/** OIDC login states: one per login initiation, consumed once at launch. */
export class LoginStateRepository {
  constructor(private readonly db: Queryable) {}

  async create(input: Omit<LoginState, 'expiresAt' | 'usedAt'> & { ttlSeconds: number }): Promise<void> {
    await this.db.query(
      `insert into login_states (state, nonce, platform_id, target_link_uri, storage_target, expires_at)
       values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [input.state, input.nonce, input.platformId, input.targetLinkUri, input.storageTarget, input.ttlSeconds],
    );
  }

  /** A state that is neither used nor expired, or null. */
  async findUsable(state: string): Promise<LoginState | null> {
    const { rows } = await this.db.query<LoginState>(
      `select ${COLUMNS} from login_states where state = $1 and used_at is null and expires_at > now()`,
      [state],
    );
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

  /** Removes states expired more than a day ago. */
  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.db.query(`delete from login_states where expires_at < now() - interval '1 day'`);
    return rowCount;
  }
}
