/**
 * Launch benchmark: full LTI 1.3 launch round trips (login + platform auth + launch + landing page)
 * against Pathwise running as `node dist/main.js` in a child process, with the fake LMS in another.
 * Once on the embedded database (a temp DATA_DIR), once on PostgreSQL when DATABASE_URL is set
 * (in a schema of its own, dropped afterwards).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { launchOnce, type RoundTrip } from './support/launch-client.js';
import { cpuMsOf, rssOf, startPathwise, stopChild, type FakeLms } from './support/processes.js';
import { envInt, quantile } from './support/stats.js';

export interface LaunchBenchOptions {
  /** Measured round trips (after the warm-up). */
  count: number;
  concurrency: number;
  warmup: number;
  /** The measured phase stops here even when `count` is not reached. */
  timeLimitMs: number;
}

export interface LaunchFigures {
  database: 'embedded' | 'server';
  startupMs: number;
  roundTrips: number;
  failures: number;
  firstFailure?: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  stepsP50: RoundTrip['steps'];
  rssAfterStartup: number | null;
  rssAfterRun: number | null;
  /** SQL statements per round trip (adapter counter; BEGIN/COMMIT not counted), background work subtracted. */
  statementsPerTrip: number | null;
  transactionsPerTrip: number | null;
  /** CPU ms the Pathwise process used per round trip (from /proc). */
  cpuMsPerTrip: number | null;
}

export interface ToolStats {
  database: { statements: number; transactions: number };
}

async function toolStats(url: string, adminToken: string): Promise<ToolStats | null> {
  const res = await fetch(`${url}/admin/api/stats`, { headers: { authorization: `Bearer ${adminToken}` } }).catch(() => null);
  return res?.ok ? ((await res.json()) as ToolStats) : null;
}

/**
 * Counts the statements and transactions of `trips` round trips from two readings of the tool's
 * counters, minus what background work (the grade outbox poll) ran at `idlePerSecond` meanwhile.
 */
function perTrip(
  before: ToolStats | null,
  after: ToolStats | null,
  idle: { statements: number; transactions: number },
  seconds: number,
  trips: number,
): { statements: number | null; transactions: number | null } {
  if (!before || !after || trips === 0) return { statements: null, transactions: null };
  const d = (k: 'statements' | 'transactions') => Math.max(0, after.database[k] - before.database[k] - idle[k] * seconds) / trips;
  return { statements: d('statements'), transactions: d('transactions') };
}

/** Defaults, overridable with BENCH_LAUNCHES, BENCH_CONCURRENCY, BENCH_WARMUP, BENCH_SECONDS. */
export function launchOptions(): LaunchBenchOptions {
  return {
    count: envInt('BENCH_LAUNCHES', 300),
    concurrency: envInt('BENCH_CONCURRENCY', 10),
    warmup: envInt('BENCH_WARMUP', 20),
    timeLimitMs: envInt('BENCH_SECONDS', 60) * 1000,
  };
}

/** Mostly learners, some returning, one in ten a teacher: a class period's worth of launches. */
const loginHintFor = (i: number): string => (i % 10 === 0 ? `teacher-${i % 3}` : `learner-${i % 150}`);

export async function registerPlatform(url: string, adminToken: string, lms: FakeLms): Promise<void> {
  const res = await fetch(`${url}/admin/api/platforms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      issuer: lms.issuer,
      clientId: lms.clientId,
      authLoginUrl: lms.authLoginUrl,
      authTokenUrl: lms.authTokenUrl,
      jwksUrl: lms.jwksUrl,
      deploymentIds: lms.deploymentIds,
      name: lms.name,
    }),
  });
  if (res.status !== 201) throw new Error(`registering the fake LMS failed: HTTP ${res.status} ${await res.text()}`);
}

/** Runs `total` launches with `concurrency` workers until done or `deadline` (ms since epoch). */
async function drive(target: Parameters<typeof launchOnce>[0], offset: number, total: number, concurrency: number, deadline: number) {
  const samples: RoundTrip[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < total && Date.now() < deadline) {
      const i = offset + next++;
      try {
        samples.push(await launchOnce(target, loginHintFor(i)));
      } catch (err) {
        failures += 1;
        firstFailure ??= (err as Error).message;
        // A broken build fails every launch: stop early instead of hammering it.
        if (failures >= 20 && samples.length === 0) return;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { samples, failures, firstFailure, seconds: (performance.now() - started) / 1000 };
}

/** A tool under load: where it answers, its process (for /proc) and how to read its SQL counters. */
export interface ToolUnderTest {
  url: string;
  pid: number | undefined;
  startupMs: number;
  stats(): Promise<ToolStats | null>;
}

/**
 * Drives the warm-up and the measured launches against a started tool and takes its figures:
 * latency, throughput, RSS and CPU from /proc, SQL statements from its counters (idle work subtracted).
 */
export async function measureLaunches(
  tool: ToolUnderTest,
  lms: FakeLms,
  database: LaunchFigures['database'],
  options: LaunchBenchOptions,
  rssAfterStartup: number | null,
): Promise<LaunchFigures> {
  const target = { url: tool.url, issuer: lms.issuer, clientId: lms.clientId, deploymentId: lms.deploymentIds[0]! };
  const deadline = Date.now() + options.timeLimitMs;
  const warm = await drive(target, 0, options.warmup, options.concurrency, deadline);
  if (warm.samples.length === 0 && warm.failures > 0) throw new Error(`every warm-up launch failed; first: ${warm.firstFailure}`);
  // What the process does when nobody launches (the outbox poll), to subtract from the counts.
  const idle0 = await tool.stats();
  await new Promise((r) => setTimeout(r, 2000));
  const idle1 = await tool.stats();
  const idle = {
    statements: idle0 && idle1 ? (idle1.database.statements - idle0.database.statements) / 2 : 0,
    transactions: idle0 && idle1 ? (idle1.database.transactions - idle0.database.transactions) / 2 : 0,
  };
  const before = await tool.stats();
  const cpuBefore = cpuMsOf(tool.pid);
  const windowStartUs = process.hrtime.bigint() / 1000n;
  const run = await drive(target, options.warmup, options.count, options.concurrency, deadline);
  const windowEndUs = process.hrtime.bigint() / 1000n;
  const cpuAfter = cpuMsOf(tool.pid);
  recordProfileWindow(tool.pid, windowStartUs, windowEndUs, run.samples.length + run.failures);
  const after = await tool.stats();
  const trips = run.samples.length + run.failures;
  const counted = perTrip(before, after, idle, run.seconds, trips);
  const totals = run.samples.map((s) => s.totalMs);
  const step = (k: keyof RoundTrip['steps']) =>
    quantile(
      run.samples.map((s) => s.steps[k]),
      0.5,
    );
  return {
    database,
    startupMs: tool.startupMs,
    roundTrips: run.samples.length,
    failures: run.failures + warm.failures,
    firstFailure: run.firstFailure ?? warm.firstFailure,
    seconds: run.seconds,
    perSecond: run.samples.length / run.seconds,
    p50: quantile(totals, 0.5),
    p95: quantile(totals, 0.95),
    p99: quantile(totals, 0.99),
    max: quantile(totals, 1),
    stepsP50: { login: step('login'), auth: step('auth'), launch: step('launch'), page: step('page') },
    rssAfterStartup,
    rssAfterRun: rssOf(tool.pid),
    statementsPerTrip: counted.statements,
    transactionsPerTrip: counted.transactions,
    cpuMsPerTrip: cpuBefore !== null && cpuAfter !== null && trips > 0 ? (cpuAfter - cpuBefore) / trips : null,
  };
}

/**
 * With BENCH_CPU_PROFILE=<dir>, notes when the measured launches ran (monotonic clock in µs, the
 * clock V8's profiles use) and how many there were, so `bench/support/profile-summary.ts` can
 * count only the measured run's samples and divide them by its round trips.
 */
function recordProfileWindow(pid: number | undefined, startUs: bigint, endUs: bigint, trips: number): void {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir || !pid) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `window-${pid}.json`), JSON.stringify({ pid, startUs: Number(startUs), endUs: Number(endUs), trips }));
}

/** Creates a schema of its own on the server and returns a URL whose connections use it. */
export async function benchSchema(databaseUrl: string): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await withClient(databaseUrl, (c) => c.query(`create schema ${schema}`));
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    schema,
    url: u.toString(),
    drop: () =>
      withClient(databaseUrl, (c) => c.query(`drop schema ${schema} cascade`)).then(
        () => undefined,
        () => undefined,
      ),
  };
}

/** Benchmarks launches on one database; `databaseUrl` undefined means the embedded one. */
export async function benchLaunch(lms: FakeLms, databaseUrl: string | undefined, options: LaunchBenchOptions): Promise<LaunchFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pathwise-bench-'));
  const schema = databaseUrl ? await benchSchema(databaseUrl) : undefined;
  try {
    // BENCH_STARTUP_SECONDS: a loaded machine may need more than a minute for a first start (initdb, migrations).
    const pw = await startPathwise(
      { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: schema?.url },
      envInt('BENCH_STARTUP_SECONDS', 60) * 1000,
    );
    try {
      const rssAfterStartup = rssOf(pw.child.pid);
      await registerPlatform(pw.url, pw.adminToken, lms);
      const tool = { url: pw.url, pid: pw.child.pid, startupMs: pw.startupMs, stats: () => toolStats(pw.url, pw.adminToken) };
      return await measureLaunches(tool, lms, databaseUrl ? 'server' : 'embedded', options, rssAfterStartup);
    } finally {
      await stopChild(pw.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await schema?.drop();
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
