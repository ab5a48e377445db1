/**
 * Roster benchmark: one NRPS sync of 5,000 members in 50 pages from the fake LMS (in this
 * process, over real HTTP on 127.0.0.1) into the embedded database, then a second sync of the
 * same roster (all updates). Target: under 2 s per sync, one service token for the whole run.
 *
 * Run alone: npx tsx bench/roster.ts   (BENCH_ROSTER_MEMBERS / BENCH_ROSTER_PAGE_SIZE to change)
 */
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { ROLE } from '../src/lti/claims.js';
import { ToolKeys } from '../src/lti/keys/tool-keys.js';
import { RosterSync } from '../src/lti/nrps/roster-sync.js';
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

/** Runs the benchmark and returns its figures as printable lines. */
export async function runRosterBench(): Promise<string[]> {
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
    const roster = new RosterRepository(db);
    await roster.rememberService(courseId!, nrps.url);
    const logger = createLogger('silent');
    const serviceTokens = new ServiceTokens(keys, { logger });
    const sync = new RosterSync(
      { roster, platforms, tokens: serviceTokens, logger },
      { maxAgeMinutes: 15, maxPages: 1000, privacy: { storeNames: true, storeEmails: true } },
    );
    // CPU time of this process (client, fake LMS and embedded database all run here): a figure
    // less swayed than wall time when other work shares the machine.
    const timed = async () => {
      const cpu = process.cpuUsage();
      const result = await sync.sync(courseId!);
      const used = process.cpuUsage(cpu);
      return { ...result, cpuMs: Math.round((used.user + used.system) / 1000) };
    };
    const first = await timed();
    const second = await timed();
    const stored = (await roster.listRoster(courseId!)).length;
    const verdict = (ms: number) => (ms < 2000 ? 'under the 2 s target' : 'OVER the 2 s target');
    return [
      `roster sync: ${total} members in ${first.pages} pages of ${pageSize} (fake NRPS over HTTP, embedded PostgreSQL)`,
      `  first sync (inserts)    ${first.ms} ms, ${Math.round((total / first.ms) * 1000)} members/s — ${verdict(first.ms)}`,
      `    reading the LMS ${first.fetchMs} ms, writing the database ${first.storeMs} ms, CPU ${first.cpuMs} ms`,
      `  second sync (updates)   ${second.ms} ms, ${Math.round((total / second.ms) * 1000)} members/s — ${verdict(second.ms)}`,
      `    reading the LMS ${second.fetchMs} ms, writing the database ${second.storeMs} ms, CPU ${second.cpuMs} ms`,
      `  members stored          ${stored}`,
      `  load average            ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
      `  service tokens issued   ${tokens.issued} (page requests ${nrps.requests})`,
    ];
  } finally {
    await fake.stop();
    await db.close();
  }
}

/** Prints the figures (the shape bench/run.ts calls). */
export async function run(): Promise<void> {
  for (const line of await runRosterBench()) console.log(line);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err: unknown) => {
    console.error(`roster bench failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
