/**
 * Roster benchmark: one NRPS sync of 5,000 members in 50 pages from the fake LMS (in this
 * process, over real HTTP on 127.0.0.1) into the embedded database, then a second sync of the
 * same roster (all updates), after a 1,000-member warm-up course. Target: under 2 s per sync, one service token for the whole run.
 *
 * Run alone: npx tsx bench/roster.ts   (BENCH_ROSTER_MEMBERS / BENCH_ROSTER_PAGE_SIZE to change)
 */
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { ROLE } from '../src/lti/claims.js';
import { ToolKeys } from '../src/lti/keys/tool-keys.js';
import { RosterSync } from '../src/lti/nrps/roster-sync.js';
import { LmsHttp } from '../src/lti/http/lms-http.js';
import { ServiceTokens } from '../src/lti/services/access-token.js';
import { createLogger } from '../src/shared/logger.js';
import { ContextRepository } from '../src/store/context-repository.js';
import { migrate } from '../src/store/migrate.js';
import { openPgliteDatabase } from '../src/store/pglite-database.js';
import { PlatformRepository } from '../src/store/platform-repository.js';
import { RosterRepository } from '../src/store/roster-repository.js';
import { FakePlatform } from '../test/support/fake-platform.js';
import { addNrps, addTokenEndpoint, type FakeMember } from '../test/support/fake-services.js';
import { envInt } from './support/stats.js';

export interface RosterFigures {
  members: number;
  pages: number;
  pageSize: number;
  /** The warm-up course (cold process), synced before the measured ones. */
  coldStart: { ms: number; fetchMs: number; storeMs: number; cpuMs: number; members: number };
  first: { ms: number; fetchMs: number; storeMs: number; cpuMs: number };
  second: { ms: number; fetchMs: number; storeMs: number; cpuMs: number };
  stored: number;
  tokensIssued: number;
  pageRequests: number;
  loadAverage: number;
  cores: number;
}

/** Runs the benchmark once and returns its figures. */
export async function measureRoster(): Promise<RosterFigures> {
  const total = envInt('BENCH_ROSTER_MEMBERS', 5000);
  const pageSize = envInt('BENCH_ROSTER_PAGE_SIZE', 100);
  const db = await openPgliteDatabase();
  const fake = new FakePlatform({ clientId: `bench-${randomUUID().slice(0, 8)}` });
  try {
    await migrate(db);
    const keys = new ToolKeys(db, { rotationGraceHours: 1 });
    await keys.ensureKey();
    const tokens = addTokenEndpoint(fake, { toolJwks: () => keys.publicJwks() });
    const members: FakeMember[] = Array.from({ length: total }, (_, i) => ({
      user_id: `member-${i}`,
      roles: i < 5 ? ['Instructor'] : i % 2 ? ['Learner'] : [ROLE.learner],
      name: `Member ${i}`,
      given_name: 'Member',
      family_name: String(i),
      email: `m${i}@school.example`,
    }));
    const nrps = addNrps(fake, { tokens, members, pageSize });
    // A smaller course synced first warms up what a running server has warm already (HTTP client,
    // JIT, query plans); its time is printed as the cold start.
    const warmNrps = addNrps(fake, { tokens, members: members.slice(0, 1000), pageSize, contextId: 'warm-up' });
    await fake.start();
    const platforms = new PlatformRepository(db);
    const platform = await platforms.create({ ...fake.registration(), name: null, productFamily: null, authTokenAudience: null });
    const deployment = (await platforms.findDeployment(platform.id, fake.deploymentId))!;
    const { courseId } = await new ContextRepository(db).upsertFromLaunch({
      platformId: platform.id,
      deploymentRowId: deployment.id,
      user: { sub: 'member-0' },
      roles: [ROLE.instructor],
      context: { id: 'bench-course' },
    });
    const warm = await new ContextRepository(db).upsertFromLaunch({
      platformId: platform.id,
      deploymentRowId: deployment.id,
      user: { sub: 'member-0' },
      roles: [ROLE.instructor],
      context: { id: 'warm-up' },
    });
    const roster = new RosterRepository(db);
    await roster.rememberService(courseId!, nrps.url);
    await roster.rememberService(warm.courseId!, warmNrps.url);
    const logger = createLogger('silent');
    // The fake LMS listens on 127.0.0.1: allow private addresses, as the test config does.
    const http = new LmsHttp({ timeoutMs: 10_000, maxBytes: 262_144, allowPrivateAddresses: true });
    const serviceTokens = new ServiceTokens(keys, { logger, http });
    const sync = new RosterSync(
      { roster, platforms, tokens: serviceTokens, logger },
      { maxAgeMinutes: 15, maxPages: 1000, privacy: { storeNames: true, storeEmails: true } },
    );
    // CPU time of this process (client, fake LMS and embedded database all run here): a figure
    // less swayed than wall time when other work shares the machine.
    const timed = async (id = courseId!) => {
      const cpu = process.cpuUsage();
      const result = await sync.sync(id);
      const used = process.cpuUsage(cpu);
      return { ...result, cpuMs: Math.round((used.user + used.system) / 1000) };
    };
    const coldStart = await timed(warm.courseId!);
    const first = await timed();
    const second = await timed();
    const stored = (await roster.listRoster(courseId!)).length;
    const pick = (r: typeof first) => ({ ms: r.ms, fetchMs: r.fetchMs, storeMs: r.storeMs, cpuMs: r.cpuMs });
    return {
      members: total,
      pages: first.pages,
      pageSize,
      coldStart: { ...pick(coldStart), members: coldStart.members },
      first: pick(first),
      second: pick(second),
      stored,
      tokensIssued: tokens.issued,
      pageRequests: nrps.requests,
      loadAverage: loadavg()[0]!,
      cores: availableParallelism(),
    };
  } finally {
    await fake.stop();
    await db.close();
  }
}

/** Printable lines for a run's figures. */
export function rosterLines(f: RosterFigures): string[] {
  const verdict = (ms: number) => (ms < 2000 ? 'under the 2 s target' : 'OVER the 2 s target');
  const rate = (ms: number) => Math.round((f.members / Math.max(ms, 1)) * 1000);
  return [
    `roster sync: ${f.members} members in ${f.pages} pages of ${f.pageSize} (fake NRPS over HTTP, embedded PostgreSQL)`,
    `  first sync (inserts)    ${f.first.ms} ms, ${rate(f.first.ms)} members/s — ${verdict(f.first.ms)}`,
    `    reading the LMS ${f.first.fetchMs} ms, writing the database ${f.first.storeMs} ms, CPU ${f.first.cpuMs} ms`,
    `  second sync (updates)   ${f.second.ms} ms, ${rate(f.second.ms)} members/s — ${verdict(f.second.ms)}`,
    `    reading the LMS ${f.second.fetchMs} ms, writing the database ${f.second.storeMs} ms, CPU ${f.second.cpuMs} ms`,
    `  cold start (warm-up)    ${f.coldStart.members} members in ${f.coldStart.ms} ms (CPU ${f.coldStart.cpuMs} ms), in a fresh process`,
    `  members stored          ${f.stored}`,
    `  service tokens issued   ${f.tokensIssued} (page requests ${f.pageRequests})`,
    `  load average            ${f.loadAverage.toFixed(1)} on ${f.cores} cores (wall times grow with it; CPU time less so)`,
  ];
}

/** Runs the benchmark and returns its figures as printable lines. */
export async function runRosterBench(): Promise<string[]> {
  return rosterLines(await measureRoster());
}

/** Prints the figures and returns them for bench/results (the shape bench/run.ts calls). */
export async function run(): Promise<RosterFigures> {
  const figures = await measureRoster();
  for (const line of rosterLines(figures)) console.log(line);
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err: unknown) => {
    console.error(`roster bench failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
