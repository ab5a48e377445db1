import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Pathwise } from '../../src/main.js';
import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { openPgliteDatabase } from '../../src/store/pglite-database.js';
import { openServerDatabase } from '../../src/store/server-database.js';
import { claimDueScores } from '../../src/store/grade-outbox.js';
import { testConfig } from '../support/app.js';
import type { FakePlatform } from '../support/fake-platform.js';
import { agsCourse, agsPlatform, enqueueAll, outboxStates, waitFor } from '../support/ags-scenario.js';

// "Pathwise stopped mid-outbox and started again → delivered exactly once": the same database is
// opened again by a new Pathwise (a directory for the embedded database, a schema on a server).
describe('grade outbox across restarts', () => {
  const url = process.env.DATABASE_URL;
  const dir = mkdtempSync(path.join(tmpdir(), 'pathwise-outbox-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const fakes: FakePlatform[] = [];
  let current: Pathwise | undefined;

  const openSame = async (): Promise<Database> => {
    const db = url ? await openServerDatabase(url, { schema, max: 5 }) : await openPgliteDatabase(dir);
    await migrate(db);
    return db;
  };
  const start = async (grades: Record<string, unknown>) => {
    current = await compose(testConfig({ grades: { pollIntervalMs: 20, baseDelayMs: 5, maxDelayMs: 20, ...grades } }), { db: await openSame() });
    return current;
  };
  const platform = async (pw: Pathwise) => {
    // The fake checks client assertions against whichever Pathwise is running now.
    const env = await agsPlatform(pw, { toolJwks: () => current!.ctx.keys.publicJwks() });
    fakes.push(env.fake);
    return env;
  };

  beforeAll(async () => {
    if (url) {
      const admin = await openServerDatabase(url, { max: 1 });
      await admin.exec(`create schema ${schema}`);
      await admin.close();
    }
    // Creating the directory database (initdb on disk) is the slow part; do it once, up front.
    await (await openSame()).close();
  }, 180_000); // initdb and every migration on disk: seconds when idle, minutes on a loaded machine
  afterAll(async () => {
    await current?.close().catch(() => undefined);
    await Promise.all(fakes.map((f) => f.stop()));
    if (url) {
      const admin = await openServerDatabase(url, { max: 1 });
      await admin.exec(`drop schema if exists ${schema} cascade`);
      await admin.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each score exactly once when Pathwise stops mid-outbox and starts again', async () => {
    const first = await start({ concurrency: 4, batchSize: 10 });
    const env = await platform(first);
    const course = await agsCourse(first, env, { students: 60, lineitem: true });
    env.ags.scoreDelayMs = 15;
    await enqueueAll(first, course.placementId, course.students, (i) => i);
    first.ctx.outbox.kick();
    await waitFor(() => env.ags.scores.length >= 12);
    await first.close(); // stops the worker (in-flight deliveries finish, the rest are given back), then the database
    const before = env.ags.scores.length;
    expect(before).toBeLessThan(60);

    const second = await start({ concurrency: 4, batchSize: 10 });
    env.ags.scoreDelayMs = 0;
    await waitFor(async () => (await outboxStates(second, course.placementId)).sent === 60, 20_000);
    expect(env.ags.scorePosts).toBe(60);
    for (const [i, s] of course.students.entries()) {
      expect(env.ags.scoresFor(course.lineItemId!, s.sub).map((x) => x.scoreGiven)).toEqual([i]);
    }
    expect(env.ags.outOfOrder).toBe(0);
    await second.close();
  }, 60_000);

  it('takes over scores a crashed worker left in sending once the lease runs out, and sends them once', async () => {
    const crashed = await start({ worker: false });
    const env = await platform(crashed);
    const course = await agsCourse(crashed, env, { students: 20, lineitem: true });
    await enqueueAll(crashed, course.placementId, course.students, () => 77);
    // A worker claims the rows, then the process dies before it sends or records anything.
    expect(await claimDueScores(crashed.ctx.db, 50, 60_000)).toHaveLength(20);
    await crashed.close();

    const restarted = await start({ worker: false, leaseMs: 1000 });
    // As if the crash happened just now: the lease starts running from here.
    await restarted.ctx.db.query('update grade_outbox set claimed_at = now() where placement_id = $1', [course.placementId]);
    const startedAt = Date.now();
    restarted.ctx.outbox.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(env.ags.scorePosts).toBe(0); // still leased to the dead worker
    expect(await outboxStates(restarted, course.placementId)).toEqual({ sending: 20 });
    await waitFor(async () => (await outboxStates(restarted, course.placementId)).sent === 20, 20_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
    expect(env.ags.scorePosts).toBe(20);
    expect(new Set(env.ags.scores.map((s) => s.score.userId)).size).toBe(20);
    await restarted.close();
  }, 60_000);
});
