/**
 * Outbox benchmark: 1,000 scores (one per student) queued in one transaction, then delivered by
 * the outbox worker (embedded database) to the fake LMS's AGS, which runs in a process of its own
 * on 127.0.0.1. Prints scores per second (target ≥ 200/s) and service tokens issued (target 1).
 * Run alone: `npx tsx bench/outbox.ts` (BENCH_SCORES changes the count).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { compose } from '../src/main.js';
import { migrate } from '../src/store/migrate.js';
import { openPgliteDatabase } from '../src/store/pglite-database.js';
import { agsCourse, enqueueAll, outboxStates, waitFor } from '../test/support/ags-scenario.js';
import { ROOT, stopChild } from './support/processes.js';

export interface OutboxFigures {
  scores: number;
  seconds: number;
  perSecond: number;
  tokensIssued: number;
  scorePosts: number;
  outOfOrder: number;
  /** CPU time of the Pathwise process per score. */
  cpuMsPerScore: number;
}

interface Stats {
  tokensIssued: number;
  scores: number;
  scorePosts: number;
  outOfOrder: number;
}

/** Runs the benchmark and returns its figures and the lines to print. */
export async function runOutboxBench(count = Number(process.env.BENCH_SCORES) || 1000): Promise<{ figures: OutboxFigures; lines: string[] }> {
  const db = await openPgliteDatabase();
  await migrate(db);
  const config = loadConfig({
    env: { NODE_ENV: 'test' },
    overrides: { publicUrl: 'http://127.0.0.1:3999', dataDir: './data-bench', logLevel: 'silent' },
  });
  const pw = await compose(config, { db });
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/fake-ags-process.ts'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    child.stdin!.write(`${JSON.stringify(await pw.ctx.keys.publicJwks())}\n`);
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the fake AGS exited (${code})`)));
    });
    const lms = JSON.parse(line) as ReturnType<import('../test/support/fake-platform.js').FakePlatform['registration']> & {
      lineitemsUrl: string;
      lineItemId: string;
    };
    const stats = async () => (await (await fetch(new URL('/stats', lms.issuer))).json()) as Stats;
    const platform = await pw.ctx.platforms.create({ ...lms, name: 'Bench LMS', productFamily: 'bench', authTokenAudience: null });
    const env = {
      platform,
      fake: { deploymentId: lms.deploymentIds[0]! },
      ags: { lineitemsUrl: lms.lineitemsUrl, addLineItem: () => ({ id: lms.lineItemId }) },
    };
    const course = await agsCourse(pw, env, { students: count, lineitem: true });
    await enqueueAll(pw, course.placementId, course.students, (i) => i % 101);

    const started = performance.now();
    const cpu = process.cpuUsage();
    pw.ctx.outbox.kick();
    // Watch the fake LMS (not the database, which the worker needs) until every score arrived,
    // then wait for the last outcomes to be recorded.
    await waitFor(async () => (await stats()).scores >= count, 120_000);
    await waitFor(async () => (await outboxStates(pw, course.placementId)).sent === count, 30_000);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const final = await stats();
    const figures: OutboxFigures = {
      scores: count,
      seconds,
      perSecond: count / seconds,
      tokensIssued: final.tokensIssued,
      scorePosts: final.scorePosts,
      outOfOrder: final.outOfOrder,
      cpuMsPerScore: (used.user + used.system) / 1000 / count,
    };
    const lines = [
      `  outbox delivery (embedded PostgreSQL; fake AGS in its own process; concurrency ${config.grades.concurrency}, batch ${config.grades.batchSize})`,
      `    scores delivered          ${count} in ${seconds.toFixed(2)} s`,
      `    scores per second         ${figures.perSecond.toFixed(0)}  (target ≥ 200)`,
      `    service tokens issued     ${figures.tokensIssued}  (target 1)`,
      `    Pathwise CPU per score    ${figures.cpuMsPerScore.toFixed(2)} ms`,
      `    score posts / out of order ${figures.scorePosts} / ${figures.outOfOrder}`,
      `    machine load average      ${loadavg()[0]!.toFixed(1)} (1 min) — figures drop when other work shares the CPUs`,
    ];
    return { figures, lines };
  } finally {
    await pw.close();
    await stopChild(child);
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
