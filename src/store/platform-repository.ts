import { randomUUID } from 'node:crypto';
import type { Queryable } from './database.js';
import type { PlatformDirectory } from './platform-origins.js';

export interface PlatformRecord {
  id: string;
  issuer: string;
  clientId: string;
  name: string | null;
  productFamily: string | null;
  authLoginUrl: string;
  authTokenUrl: string;
  /** The `aud` for client assertions when the platform declares one (else authTokenUrl). */
  authTokenAudience: string | null;
  jwksUrl: string;
  createdAt: Date;
  /** Set when an admin turned the platform off: its launches are refused. */
  disabledAt?: Date | null;
}

export interface DeploymentRecord {
  id: string;
  platformId: string;
  deploymentId: string;
  status: 'active' | 'pending' | 'blocked';
  name: string | null;
  createdAt: Date;
  approvedAt: Date | null;
}

export type NewPlatform = Omit<PlatformRecord, 'id' | 'createdAt' | 'disabledAt'> & {
  deploymentIds: string[];
  registration?: unknown;
};

export const PLATFORM_COLUMNS = `id, issuer, client_id as "clientId", name, product_family as "productFamily",
  auth_login_url as "authLoginUrl", auth_token_url as "authTokenUrl",
  auth_token_audience as "authTokenAudience", jwks_url as "jwksUrl", created_at as "createdAt", disabled_at as "disabledAt"`;
export const DEPLOYMENT_COLUMNS = `id, platform_id as "platformId", deployment_id as "deploymentId", status, name,
  created_at as "createdAt", approved_at as "approvedAt"`;

/** Platforms (LMS registrations) and their deployments. */
export class PlatformRepository {
  /**
   * `directory`, when given, answers the lookups by issuer from memory (PlatformOriginsCache,
   * kept fresh by NOTIFY); a miss still asks the database, so a registration is never refused
   * for being too new. Writes here drop it at once.
   */
  constructor(
    private readonly db: Queryable,
    private readonly directory?: PlatformDirectory,
  ) {}

  /** Stores a platform with its deployments (active). Pass a transaction as `db` to combine with other writes. */
  async create(input: NewPlatform, db: Queryable = this.db): Promise<PlatformRecord> {
    const id = randomUUID();
    const { rows } = await db.query<PlatformRecord>(
      `insert into platforms (id, issuer, client_id, name, product_family, auth_login_url, auth_token_url,
         auth_token_audience, jwks_url, registration)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${PLATFORM_COLUMNS}`,
      [
        id,
        input.issuer,
        input.clientId,
        input.name,
        input.productFamily,
        input.authLoginUrl,
        input.authTokenUrl,
        input.authTokenAudience,
        input.jwksUrl,
        input.registration === undefined ? null : JSON.stringify(input.registration),
      ],
    );
    for (const deploymentId of input.deploymentIds) {
      await db.query(
        `insert into deployments (id, platform_id, deployment_id, status, approved_at) values ($1, $2, $3, 'active', now())
         on conflict (platform_id, deployment_id) do nothing`,
        [randomUUID(), id, deploymentId],
      );
    }
    this.directory?.invalidate();
    return rows[0]!;
  }

  async findById(id: string): Promise<PlatformRecord | null> {
    const { rows } = await this.db.query<PlatformRecord>(`select ${PLATFORM_COLUMNS} from platforms where id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** All registrations of an issuer (one LMS may register Pathwise under several client ids). */
  async findByIssuer(issuer: string): Promise<PlatformRecord[]> {
    const known = await this.directory?.byIssuer(issuer).catch(() => []);
    if (known && known.length > 0) return known;
    const { rows } = await this.db.query<PlatformRecord>(`select ${PLATFORM_COLUMNS} from platforms where issuer = $1 order by created_at`, [issuer]);
    return rows;
  }

  async findByIssuerAndClient(issuer: string, clientId: string): Promise<PlatformRecord | null> {
    const known = (await this.directory?.byIssuer(issuer).catch(() => []))?.find((p) => p.clientId === clientId);
    if (known) return known;
    const { rows } = await this.db.query<PlatformRecord>(`select ${PLATFORM_COLUMNS} from platforms where issuer = $1 and client_id = $2`, [issuer, clientId]);
    return rows[0] ?? null;
  }

  async list(): Promise<Array<PlatformRecord & { deployments: DeploymentRecord[] }>> {
    const platforms = (await this.db.query<PlatformRecord>(`select ${PLATFORM_COLUMNS} from platforms order by created_at`)).rows;
    const deployments = (await this.db.query<DeploymentRecord>(`select ${DEPLOYMENT_COLUMNS} from deployments order by created_at`)).rows;
    return platforms.map((p) => ({ ...p, deployments: deployments.filter((d) => d.platformId === p.id) }));
  }

  /** A deployment of a platform; from the in-memory directory when it knows it (NOTIFY keeps it fresh). */
  async findDeployment(platformId: string, deploymentId: string): Promise<DeploymentRecord | null> {
    const known = await this.directory?.deployment(platformId, deploymentId).catch(() => undefined);
    if (known) return known;
    const { rows } = await this.db.query<DeploymentRecord>(`select ${DEPLOYMENT_COLUMNS} from deployments where platform_id = $1 and deployment_id = $2`, [
      platformId,
      deploymentId,
    ]);
    return rows[0] ?? null;
  }

  /** Records an unknown deployment id seen in a launch, for an admin to approve. Idempotent. */
  async addPendingDeployment(platformId: string, deploymentId: string): Promise<DeploymentRecord> {
    await this.db.query(
      `insert into deployments (id, platform_id, deployment_id, status) values ($1, $2, $3, 'pending')
       on conflict (platform_id, deployment_id) do nothing`,
      [randomUUID(), platformId, deploymentId],
    );
    this.directory?.invalidate();
    return (await this.findDeployment(platformId, deploymentId))!;
  }

  /** Approves a pending deployment (one click for the admin). Returns null when there is no such deployment. */
  async approveDeployment(id: string): Promise<DeploymentRecord | null> {
    const { rows } = await this.db.query<DeploymentRecord>(
      `update deployments set status = 'active', approved_at = coalesce(approved_at, now()) where id = $1
       returning ${DEPLOYMENT_COLUMNS}`,
      [id],
    );
    this.directory?.invalidate();
    return rows[0] ?? null;
  }

  async findDeploymentById(id: string): Promise<DeploymentRecord | null> {
    const { rows } = await this.db.query<DeploymentRecord>(`select ${DEPLOYMENT_COLUMNS} from deployments where id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Blocks a deployment (a school): its launches are refused until it is approved again. */
  async blockDeployment(id: string): Promise<DeploymentRecord | null> {
    const { rows } = await this.db.query<DeploymentRecord>(`update deployments set status = 'blocked' where id = $1 returning ${DEPLOYMENT_COLUMNS}`, [id]);
    this.directory?.invalidate();
    return rows[0] ?? null;
  }

  /** Turns a platform off (every launch refused with a page saying so) or on again. */
  async setDisabled(id: string, disabled: boolean): Promise<PlatformRecord | null> {
    const { rows } = await this.db.query<PlatformRecord>(
      `update platforms set disabled_at = case when $2 then coalesce(disabled_at, now()) else null end where id = $1
       returning ${PLATFORM_COLUMNS}`,
      [id, disabled],
    );
    this.directory?.invalidate();
    return rows[0] ?? null;
  }
}
