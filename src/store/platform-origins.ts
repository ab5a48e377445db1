import type { Database } from './database.js';
import { DEPLOYMENT_COLUMNS, PLATFORM_COLUMNS, type DeploymentRecord, type PlatformRecord } from './platform-repository.js';

/** Platform lookups by issuer from memory (what the login and the launch ask on every request). */
export interface PlatformDirectory {
  /** The registrations of an issuer, oldest first; empty when none is known. */
  byIssuer(issuer: string): Promise<PlatformRecord[]>;
  /** A platform's deployment by its `deployment_id`, or undefined when none is known. */
  deployment(platformId: string, deploymentId: string): Promise<DeploymentRecord | undefined>;
  /** Drops what is held; the next lookup reads the database. */
  invalidate(): void;
}

/** The NOTIFY channel the triggers of migrations 035 (platforms) and 055 (deployments) announce changes on. */
export const PLATFORMS_CHANNEL = 'pathwise_platforms';

interface Snapshot {
  all: string[];
  byIssuer: Map<string, PlatformRecord[]>;
  byPlatform: Map<string, string[]>;
  /** Keyed by deploymentKey(platform id, deployment_id). */
  deployments: Map<string, DeploymentRecord>;
  loadedAt: number;
}

const deploymentKey = (platformId: string, deploymentId: string) => `${platformId} ${deploymentId}`;

/**
 * The registered platforms, their deployments and their origins (issuer and OIDC login URL), for CSP frame-ancestors
 * and form-action and for the platform and deployment lookups of every login and launch. Kept in memory instead
 * of being read on every request: a trigger on `platforms` and on `deployments` sends a NOTIFY at commit and every instance on the same database drops its copy at once. The
 * copy also expires after `maxAgeMs`, for a notification lost while the listening connection
 * was down (or behind a pooler that does not pass LISTEN through).
 */
export class PlatformOriginsCache implements PlatformDirectory {
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;
  /** Bumped by every invalidation, so a load that started before it is not kept. */
  private generation = 0;
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: { maxAgeMs?: number } = {},
  ) {}

  /** Subscribes to platform changes. Without it the copy only expires by age. */
  async start(): Promise<void> {
    this.stopListening = await this.db.listen(
      PLATFORMS_CHANNEL,
      () => this.invalidate(),
      () => this.invalidate(),
    );
  }

  /** Drops the copy; the next read loads it again. */
  invalidate(): void {
    this.generation += 1;
    this.snapshot = undefined;
    this.loading = undefined;
  }

  /** Origins of every registered platform. */
  async all(): Promise<string[]> {
    return (await this.current()).all;
  }

  async byIssuer(issuer: string): Promise<PlatformRecord[]> {
    return (await this.current()).byIssuer.get(issuer) ?? [];
  }

  async deployment(platformId: string, deploymentId: string): Promise<DeploymentRecord | undefined> {
    return (await this.current()).deployments.get(deploymentKey(platformId, deploymentId));
  }

  /** Origins of one platform (empty when it is unknown). */
  async forPlatform(platformId: string): Promise<string[]> {
    return (await this.current()).byPlatform.get(platformId) ?? [];
  }

  async close(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.();
  }

  private current(): Promise<Snapshot> {
    const s = this.snapshot;
    if (s && Date.now() - s.loadedAt < (this.options.maxAgeMs ?? 300_000)) return Promise.resolve(s);
    if (this.loading) return this.loading;
    const generation = this.generation;
    const loading = this.load().then(
      (loaded) => {
        if (this.generation === generation) this.snapshot = loaded;
        if (this.loading === loading) this.loading = undefined;
        return loaded;
      },
      (err: unknown) => {
        if (this.loading === loading) this.loading = undefined;
        throw err;
      },
    );
    this.loading = loading;
    return loading;
  }

  private async load(): Promise<Snapshot> {
    // One statement: each platform with its deployments (as JSON, their dates as text).
    const { rows } = await this.db.query<
      PlatformRecord & { deployments: Array<Omit<DeploymentRecord, 'createdAt' | 'approvedAt'> & { createdAt: string; approvedAt: string | null }> }
    >(
      `select ${PLATFORM_COLUMNS},
         coalesce((select json_agg(d) from (select ${DEPLOYMENT_COLUMNS} from deployments where platform_id = platforms.id) d), '[]') as deployments
       from platforms order by created_at`,
    );
    const deployments = new Map<string, DeploymentRecord>();
    for (const { deployments: ds } of rows) {
      for (const d of ds) {
        deployments.set(deploymentKey(d.platformId, d.deploymentId), {
          ...d,
          createdAt: new Date(d.createdAt),
          approvedAt: d.approvedAt === null ? null : new Date(d.approvedAt),
        });
      }
    }
    const all = new Set<string>();
    const byPlatform = new Map<string, string[]>();
    const byIssuer = new Map<string, PlatformRecord[]>();
    for (const { deployments: _, ...r } of rows) {
      byIssuer.set(r.issuer, [...(byIssuer.get(r.issuer) ?? []), r]);
      const origins = [...new Set([r.issuer, r.authLoginUrl].map(originOf).filter((o): o is string => o !== null))];
      byPlatform.set(r.id, origins);
      for (const o of origins) all.add(o);
    }
    return { all: [...all], byPlatform, byIssuer, deployments, loadedAt: Date.now() };
  }
}

/** The origin of a URL, or null for one that does not parse (refused at registration; older rows are skipped). */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
