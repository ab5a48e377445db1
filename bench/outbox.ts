/**
 * Outbox benchmark: 1,000 scores (one per student) queued in one transaction, then delivered by
 * the outbox worker to the fake LMS's AGS over HTTP on 127.0.0.1, on the embedded database.
 * Prints scores per second (target ≥ 200/s) and service tokens issued (target 1).
 * Run alone: `npx tsx bench/outbox.ts` (BENCH_SCORES changes the count).
 */
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { compose } from '../src/main.js';
import { migrate } from '../src/store/migrate.js';
import { openPgliteDatabase } from '../src/store/pglite-database.js';
import { agsCourse, agsPlatform, enqueueAll, outboxStates, waitFor } from '../test/support/ags-scenario.js';

export interface OutboxFigures {
  scores: number;
  seconds: number;
  perSecond: number;
  tokensIssued: number;
  scorePosts: number;
  outOfOrder: number;
}

/** Runs the benchmark and returns its figures and the lines to print. */
export async function runOutboxBench(count = Number(process.env.BENCH_SCORES) || 1000): Promise<{ figures: OutboxFigures; lines: string[] }> {
  const db = await openPgliteDatabase();
  await migrate(db);
  const config = loadConfig({
    env: { NODE_ENV: 'test' },
    overrides: { publicUrl: 'http://127.0.0.1:3999', dataDir: './data-bench', logLevel: 'silent', grades: { pollIntervalMs: 1000 } },
  });
  const pw = await compose(config, { db });
  const env = await agsPlatform(pw);
  try {
    const course = await agsCourse(pw, env, { students: count, lineitem: true });
    await enqueueAll(pw, course.placementId, course.students, (i) => i % 101);
    const started = performance.now();
    pw.ctx.outbox.kick();
    await waitFor(async () => (await outboxStates(pw, course.placementId)).sent === count, 120_000);
    const seconds = (performance.now() - started) / 1000;
    const figures: OutboxFigures = {
      scores: count,
      seconds,
      perSecond: count / seconds,
      tokensIssued: env.tokens.issued,
      scorePosts: env.ags.scorePosts,
      outOfOrder: env.ags.outOfOrder,
    };
    const lines = [
      `  outbox delivery (embedded PostgreSQL, fake AGS on 127.0.0.1, concurrency ${config.grades.concurrency})`,
      `    scores delivered          ${count} in ${seconds.toFixed(2)} s`,
      `    scores per second         ${figures.perSecond.toFixed(0)}  (target ≥ 200)`,
      `    service tokens issued     ${figures.tokensIssued}  (target 1)`,
      `    score posts / out of order ${figures.scorePosts} / ${figures.outOfOrder}`,
    ];
    return { figures, lines };
  } finally {
    await pw.close();
    await env.fake.stop();
  }
}

/** For bench/run.ts: prints the figures. */
export async function run(): Promise<OutboxFigures> {
  const { figures, lines } = await runOutboxBench();
  for (const line of lines) console.log(line);
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err: unknown) => {
    console.error(`outbox bench failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
