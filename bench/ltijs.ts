/**
 * `npm run bench -- ltijs`: Pathwise beside ltijs 5.9 (ltijs-sequelize) on the same PostgreSQL
 * server, driven by the same load generator (bench/launch.ts) with the same fake LMS, each tool in
 * a process of its own, at concurrency 1 and 16 (BENCH_LTIJS_CONCURRENCY="1,16"). Prints both side
 * by side with the ratio. Needs DATABASE_URL (ltijs has no embedded database); skipped without it.
 * ltijs gets a database of its own next to it (see ltijsDatabase).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { benchLaunch, launchOptions, measureLaunches, type LaunchBenchOptions, type LaunchFigures, type ToolStats } from './launch.js';
import { ROOT, build, onFreePort, rssOf, startFakeLms, stopChild, type FakeLms } from './support/processes.js';
import { envInt } from './support/stats.js';

/**
 * A database of its own for ltijs (ltijs-sequelize's migrations name the `public` schema, so a
 * schema of its own is not enough): LTIJS_DATABASE_URL when set (an empty database), else one
 * created next to DATABASE_URL's and dropped afterwards (the role needs CREATEDB).
 */
async function ltijsDatabase(databaseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (process.env.LTIJS_DATABASE_URL) return { url: process.env.LTIJS_DATABASE_URL, drop: async () => {} };
  const name = `ltijs_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`).catch((err: unknown) => {
    throw new Error(
      `ltijs needs a database of its own and DATABASE_URL's role cannot create one (${(err as Error).message}); grant it CREATEDB or set LTIJS_DATABASE_URL to an empty database`,
    );
  });
  const u = new URL(databaseUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name}`).catch(() => undefined) };
}

/** Starts bench/ltijs/app.ts on a database of its own and measures its launches. */
export async function benchLtijs(lms: FakeLms, databaseUrl: string, options: LaunchBenchOptions): Promise<LaunchFigures> {
  const database = await ltijsDatabase(databaseUrl);
  try {
    // Another port if this one was taken before ltijs bound it (it then reports EADDRINUSE).
    const { child, url, started } = await onFreePort((port) => startLtijs(port, lms, database.url));
    try {
      const rssAfterStartup = rssOf(child.pid);
      const stats = async (): Promise<ToolStats | null> => {
        const res = await fetch(`${url}/bench-stats`).catch(() => null);
        return res?.ok ? ((await res.json()) as ToolStats) : null;
      };
      return await measureLaunches({ url, pid: child.pid, startupMs: Date.now() - started, stats }, lms, 'server', options, rssAfterStartup);
    } finally {
      await stopChild(child);
    }
  } finally {
    await database.drop();
  }
}

/** Starts the ltijs app on `port` and waits for its "ready" line. */
async function startLtijs(port: number, lms: FakeLms, databaseUrl: string): Promise<{ child: ChildProcess; url: string; started: number }> {
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ltijs/app.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LTIJS_PLATFORM: JSON.stringify({
        issuer: lms.issuer,
        clientId: lms.clientId,
        authLoginUrl: lms.authLoginUrl,
        authTokenUrl: lms.authTokenUrl,
        jwksUrl: lms.jwksUrl,
        name: lms.name,
      }),
    },
  });
  // ltijs reports a failed start on stdout and exits 0: keep the tail of both.
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-2000));
  child.stderr!.on('data', keep);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ltijs did not start in time: ${output}`)), envInt('BENCH_STARTUP_SECONDS', 60) * 1000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        keep(Buffer.from(`${line}\n`));
        if (line.includes('"ready"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        reject(new Error(`ltijs exited (${code}): ${output}`));
      });
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { child, url, started };
}

const fixed = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? `${(a / b).toFixed(2)}×` : '–');

function printSideBySide(concurrency: number, pw: LaunchFigures, lt: LaunchFigures): void {
  const row = (name: string, a: string, b: string, r: string) => console.log(`    ${name.padEnd(26)}${a.padStart(16)}${b.padStart(16)}${r.padStart(10)}`);
  console.log(`\n  concurrency ${concurrency}`);
  row('', 'Pathwise', 'ltijs', 'ratio');
  row('round trips (failed)', `${pw.roundTrips} (${pw.failures})`, `${lt.roundTrips} (${lt.failures})`, '');
  row('round trips per second', fixed(pw.perSecond), fixed(lt.perSecond), ratio(pw.perSecond, lt.perSecond));
  row('p50 ms', fixed(pw.p50, 0), fixed(lt.p50, 0), ratio(lt.p50, pw.p50));
  row('p95 ms', fixed(pw.p95, 0), fixed(lt.p95, 0), ratio(lt.p95, pw.p95));
  row('p99 ms', fixed(pw.p99, 0), fixed(lt.p99, 0), ratio(lt.p99, pw.p99));
  const steps = (f: LaunchFigures) =>
    `${f.stepsP50.login.toFixed(0)}/${f.stepsP50.auth.toFixed(0)}/${f.stepsP50.launch.toFixed(0)}/${f.stepsP50.page.toFixed(0)}`;
  row('p50 login/auth/launch/page', steps(pw), steps(lt), '');
  row('tool CPU ms per round trip', fixed(pw.cpuMsPerTrip, 2), fixed(lt.cpuMsPerTrip, 2), ratio(lt.cpuMsPerTrip, pw.cpuMsPerTrip));
  row('SQL statements per trip', fixed(pw.statementsPerTrip), fixed(lt.statementsPerTrip), ratio(lt.statementsPerTrip, pw.statementsPerTrip));
  row('RSS after the run MiB', fixed((pw.rssAfterRun ?? NaN) / 2 ** 20, 0), fixed((lt.rssAfterRun ?? NaN) / 2 ** 20, 0), '');
  if (pw.firstFailure) console.log(`    Pathwise's first failure: ${pw.firstFailure}`);
  if (lt.firstFailure) console.log(`    ltijs's first failure: ${lt.firstFailure}`);
}

export async function run(): Promise<unknown> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('  skipped: ltijs runs on a PostgreSQL server only; set DATABASE_URL=postgres://user:password@host:port/db to compare');
    return null;
  }
  try {
    createRequire(import.meta.url).resolve('ltijs');
  } catch {
    console.log('  skipped: ltijs is not installed (it is a devDependency: npm ci without --omit=dev)');
    return null;
  }
  build();
  const levels = (process.env.BENCH_LTIJS_CONCURRENCY ?? '1,16')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const base = launchOptions();
  console.log(
    `  ${base.count} launches after ${base.warmup} warm-up per tool and concurrency (at most ${base.timeLimitMs / 1000} s), ` +
      'same fake LMS, same PostgreSQL server (a schema for Pathwise, a database for ltijs); ratios say how many times better Pathwise is. Load average before: ' +
      (await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' '),
  );
  const lms = await startFakeLms();
  const out: Array<{ concurrency: number; pathwise: LaunchFigures; ltijs: LaunchFigures }> = [];
  try {
    for (const concurrency of levels) {
      const options = { ...base, concurrency };
      const pathwise = await benchLaunch(lms, databaseUrl, options);
      const ltijs = await benchLtijs(lms, databaseUrl, options);
      printSideBySide(concurrency, pathwise, ltijs);
      out.push({ concurrency, pathwise, ltijs });
    }
  } finally {
    await stopChild(lms.child);
  }
  return out;
}
